"""Frontend benchmark (issue 15): what a news page asks for beyond the text, in process,
against the plain front page and article page in the same run; then the sitemap and a feed.

    .venv/bin/python bench/frontend.py --database-url URL [--requests 50]

The database must hold an archive (``contentapi load-archive --articles N``); it is
migrated first. Response cache off, the public site pattern set (canonical URLs).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from asgi_lifespan import LifespanManager
from common import post_graphql
from search import _p

from contentapi.app import create_app
from contentapi.articles.models import Article, ArticleTranslation
from contentapi.settings import Settings

FRONT = """{ articles(locale: "nn", first: 20) { edges { node { id title slug lead published
  leadImage { url(width: 640) alt } tags { key name } commentCount } } } }"""
NEWS_FRONT = """{ articles(locale: "nn", first: 20) { edges { node { id title slug lead published
  leadImage { url(width: 640) alt srcset(format: WEBP) } tags { key name } commentCount
  byline { authors { name role } unit { name } } readingMinutes excerpt(length: 160)
  canonicalUrl alternates { locale url } } } } }"""
OWN = """{ articles(locale: "nn", first: 20, includeFallbacks: false) { edges { node { id
  title slug lead published leadImage { url(width: 640) alt } tags { key name }
  commentCount } } } }"""
ARTICLE = """query($slug: String!) { article(slug: $slug, locale: "nn") { id title lead body
  published images { url(width: 960) alt caption credit } videos { title url credit }
  tags { key name } commentCount } }"""
NEWS_ARTICLE = """query($slug: String!) { article(slug: $slug, locale: "nn") { id title lead
  body published images { url(width: 960) alt caption credit renditions(format: WEBP)
  { width url } } videos { title url credit captions { locale label url } }
  tags { key name } commentCount byline { authors { name role } unit { name } }
  wordCount readingMinutes canonicalUrl alternates { locale url }
  related(first: 5) { title slug leadImage { url(width: 320) alt } } } }"""
ARTICLE_PARTS = (
    ("byline", "byline { authors { name role } unit { name } }"),
    ("wordCount, readingMinutes", "wordCount readingMinutes"),
    ("canonicalUrl, alternates", "canonicalUrl alternates { locale url }"),
    ("related(first: 5)", "related(first: 5) { title slug leadImage { url(width: 320) alt } }"),
    ("image renditions (WebP)", "leadImage { renditions(format: WEBP) { width url } }"),
    ("video captions", "videos { captions { locale label url } }"),
)
TAG_PAGE = """query($key: String!) { tag(key: $key, locale: "nn") { name
  articles(first: 20) { totalCount edges { node { id title slug lead published } } } } }"""


async def _timed(app: Any, body: bytes, requests: int) -> list[float]:
    for _ in range(3):
        await post_graphql(app, body)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        await post_graphql(app, body)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _line(name: str, times: list[float], base: float | None) -> str:
    p50 = statistics.median(times)
    ratio = f"{p50 / base:>13.2f}" if base else f"{'1.00':>13}"
    return f"{name:<44}{p50:>9.2f}{_p(times, 0.99):>9.2f}{ratio}"


async def _stream(client: httpx.AsyncClient, path: str) -> tuple[float, int, int]:
    """Seconds to read ``path`` to the end, its bytes, and its <loc> count."""
    started = time.perf_counter()
    size = locs = 0
    async with client.stream("GET", path) as response:
        assert response.status_code == 200, (path, response.status_code)
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            locs += chunk.count(b"<loc>")
    return time.perf_counter() - started, size, locs


async def measure(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="contentapi-frontend-bench-"))
    settings = Settings(
        database_url=args.database_url,
        media_dir=folder / "media",
        public_url="http://bench",
        public_site_url="https://example.no/{locale}/{slug}",
        allowed_hosts=("bench",),
        cache_max_bytes=0,
        read_rate_limit="",
    )
    async with LifespanManager(create_app(settings), startup_timeout=600) as manager:
        app = manager.app
        count = await Article.all().count()
        slug = (
            await ArticleTranslation.filter(locale="nn", status="PUBLISHED")
            .order_by("-published_at")
            .first()
            .values_list("slug", flat=True)
        )
        tag = await post_graphql(
            app,
            orjson.dumps({"query": '{ tags(locale: "nn", first: 1) { edges { node { key } } } }'}),
        )
        key = tag["data"]["tags"]["edges"][0]["node"]["key"]
        print(f"\n{count} articles, {args.requests} requests per line (ms)")
        print(f"{'request':<44}{'p50':>9}{'p99':>9}{'p50 / base':>13}")
        front = await _timed(app, orjson.dumps({"query": FRONT}), args.requests)
        base = statistics.median(front)
        print(_line("front page, nn (baseline)", front, None))
        for name, query in (
            ("front page + byline, reading, excerpt, urls", NEWS_FRONT),
            ("front page, includeFallbacks: false", OWN),
        ):
            print(
                _line(name, await _timed(app, orjson.dumps({"query": query}), args.requests), base)
            )
        variables = {"slug": slug}
        page = await _timed(
            app, orjson.dumps({"query": ARTICLE, "variables": variables}), args.requests
        )
        page_base = statistics.median(page)
        print(_line("article page, nn (baseline)", page, None))
        for name, extra in ARTICLE_PARTS:
            query = ARTICLE.replace("commentCount } }", f"commentCount {extra} }} }}")
            body = orjson.dumps({"query": query, "variables": variables})
            print(_line(f"article + {name}", await _timed(app, body, args.requests), page_base))
        body = orjson.dumps({"query": NEWS_ARTICLE, "variables": variables})
        print(_line("article + all of these", await _timed(app, body, args.requests), page_base))
        body = orjson.dumps({"query": TAG_PAGE, "variables": {"key": key}})
        print(
            _line(f"tag page ({key}), vs. front page", await _timed(app, body, args.requests), base)
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            seconds, size, locs = await _stream(client, "/sitemap.xml")
            total = locs
            parts = 0
            if b"sitemapindex" in (await client.get("/sitemap.xml")).content[:300]:
                parts = locs
                total = 0
                for n in range(1, parts + 1):
                    part_seconds, part_size, part_locs = await _stream(client, f"/sitemap-{n}.xml")
                    seconds += part_seconds
                    size += part_size
                    total += part_locs
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"\nsitemap: {parts or 1} file(s), {total} URLs, {size / 1e6:.1f} MB in "
                f"{seconds:.2f} s; peak RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MiB"
            )
            feed = []
            for _ in range(min(args.requests, 20)):
                started = time.perf_counter()
                assert (await client.get("/feeds/nn.xml")).status_code == 200
                feed.append((time.perf_counter() - started) * 1000)
            print(_line("feed /feeds/nn.xml (50 items), vs. front page", feed, base))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=50)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
