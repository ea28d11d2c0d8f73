"""Search benchmark: latency of ``search`` on a generated archive, in process.

Fills a database with ``contentapi load-archive --articles N`` (the product's loader: nb,
70 % also nn; the search index is filled as it loads) unless it holds articles already
(``--reuse``), then sends each query again and again through the whole ASGI app, in
process (as bench/inprocess.py: no HTTP, no client), with the response cache off, and
prints p50 and p99 per query, the hits, and the ratio to the article page (one nn
article with its images, clip and comments) timed in the same run.

    .venv/bin/python bench/search.py [--size 2000] [--database-url URL] [--requests 200]

Without ``--database-url``: a new SQLite file in a temporary folder. A PostgreSQL URL
must name an empty database (or pass ``--reuse`` to measure what is in it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from asgi_lifespan import LifespanManager
from common import post_graphql

from contentapi import db
from contentapi.app import create_app
from contentapi.articles.models import Article, ArticleTranslation
from contentapi.settings import Settings

SEARCH = """query Search($q: String!, $locale: String) { search(query: $q, locale: $locale,
  first: 20) { totalCount edges { cursor snippet score node { title slug lead publishedAt
  locale isFallback leadImage { url alt } } } } }"""
ARTICLE = """query ArticlePage($slug: String!) { article(slug: $slug, locale: "nn") {
  locale title slug lead body publishedAt updatedAt images { url alt caption credit }
  videos { url title } comments(first: 20) { edges { node { authorName body createdAt } } }
  commentCount } }"""
# (name, query, locale): a word in nearly every article, a place name (one in 47), a
# prefix, two words (one in about 750), a Nynorsk form in nn, and a word in none
QUERIES = (
    ("common word", "kommune", "nb"),
    ("rare word", "Voss", "nb"),
    ("prefix", "innbygg*", "nb"),
    ("two words", "klimabudsjett Stord", "nb"),
    ("nn locale", "løysingane", "nn"),
    ("no hits", "gaupefôring", "nb"),
)


async def _timed(app: Any, bodies: list[bytes], requests: int) -> list[float]:
    """Milliseconds per request, ``requests`` times (bodies taken in turn), after a warm-up."""
    for body in bodies[:20]:
        await post_graphql(app, body)
    times = []
    for n in range(requests):
        started = time.perf_counter()
        await post_graphql(app, bodies[n % len(bodies)])
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _articles(settings: Settings) -> int:
    async with db.database(settings, global_fallback=False, create=True):
        return await Article.all().count()


def _load(settings: Settings, size: int) -> float:
    """``contentapi load-archive``; seconds taken."""
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": settings.database_url,
        "CONTENTAPI_MEDIA_DIR": str(settings.media_dir),
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "contentapi", "load-archive", "--articles", str(size)],
        env=env,
        check=True,
    )
    return time.perf_counter() - started


async def measure(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="contentapi-search-bench-"))
    url = args.database_url or f"sqlite://{folder / 'bench.sqlite3'}"
    settings = Settings(
        database_url=url,
        media_dir=folder / "media",
        public_url="http://bench",
        allowed_hosts=("bench",),
        cache_max_bytes=0,  # the computation, not a kept answer
        read_rate_limit="",  # one client sends everything
    )
    found = await _articles(settings)
    if found and not args.reuse:
        raise SystemExit(f"the database holds {found} articles: pass --reuse to measure them")
    if not found:
        print(f"loading {args.size} articles ...", flush=True)
        print(f"loaded in {_load(settings, args.size):.1f} s", flush=True)
    async with LifespanManager(create_app(settings)) as manager:
        count = await Article.all().count()
        slugs = (
            await ArticleTranslation.filter(locale="nn").limit(2000).values_list("slug", flat=True)
        )
        random.Random(1).shuffle(slugs)
        pages = [
            orjson.dumps({"query": ARTICLE, "variables": {"slug": slug}}) for slug in slugs[:200]
        ]
        baseline = await _timed(manager.app, pages, args.requests)
        base_p50 = statistics.median(baseline)
        dialect = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"\n{dialect}, {count} articles, {args.requests} requests per line (ms)")
        print(f"{'query':<34}{'hits':>8}{'p50':>9}{'p99':>9}{'p50 / page':>12}")
        print(f"{'article page (baseline)':<34}{'':>8}{base_p50:>9.2f}{_p(baseline, 0.99):>9.2f}")
        for name, q, locale in QUERIES:
            body = orjson.dumps({"query": SEARCH, "variables": {"q": q, "locale": locale}})
            hits = (await post_graphql(manager.app, body))["data"]["search"]["totalCount"]
            times = await _timed(manager.app, [body], args.requests)
            p50 = statistics.median(times)
            label = f"{name}: {q} ({locale})"
            print(f"{label:<34}{hits:>8}{p50:>9.2f}{_p(times, 0.99):>9.2f}{p50 / base_p50:>12.1f}")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=2000, help="articles to load (2000)")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--requests", type=int, default=200, help="per query (200)")
    parser.add_argument("--reuse", action="store_true", help="measure a filled database")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
