"""Editor lists benchmark: latency of ``articles(filter: {status ...})`` for an editor, in
process, on a generated archive, against the anonymous front page in the same run.

    .venv/bin/python bench/editor_lists.py --database-url URL [--requests 50]

The database must hold an archive (``contentapi load-archive --articles N``); it is
migrated first. A token is made for the run. Response cache off.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from asgi_lifespan import LifespanManager
from common import post_graphql
from search import _p

from contentapi.app import create_app
from contentapi.articles.models import Article
from contentapi.auth.tokens import Role, create_token
from contentapi.settings import Settings

FRONT = """{ articles(locale: "nb", first: 20) { edges { node { title slug lead published } } } }"""
LIST = """query($f: ArticleFilter, $o: ArticleOrder) { articles(locale: "nb", first: 20,
  filter: $f, orderBy: $o) { edges { cursor node { id title version hasPendingChanges
  translations { locale status hasPendingChanges } } } } }"""
EVERY = ["DRAFT", "SCHEDULED", "PUBLISHED", "UNPUBLISHED"]
CASES: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("drafts", {"status": ["DRAFT"]}, "UPDATED_DESC"),
    ("published, last changed", {"status": ["PUBLISHED"]}, "UPDATED_DESC"),
    (
        "every state, published order",
        {"status": ["DRAFT", "PUBLISHED", "SCHEDULED"]},
        "PUBLISHED_DESC",
    ),
    ("pending changes", {"hasPendingChanges": True}, "UPDATED_DESC"),
    ("author", {"author": "nobody"}, "UPDATED_DESC"),
    ("one word", {"search": "voss"}, "UPDATED_DESC"),
)


async def _timed(app: Any, body: bytes, token: str | None, requests: int) -> list[float]:
    for _ in range(3):
        await post_graphql(app, body, token)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        await post_graphql(app, body, token)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def measure(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="contentapi-editor-bench-"))
    settings = Settings(
        database_url=args.database_url,
        media_dir=folder / "media",
        public_url="http://bench",
        allowed_hosts=("bench",),
        cache_max_bytes=0,
        read_rate_limit="",
    )
    async with LifespanManager(create_app(settings)) as manager:
        _, token = await create_token("bench editor", Role.EDITOR, None)
        count = await Article.all().count()
        base = await _timed(manager.app, orjson.dumps({"query": FRONT}), None, args.requests)
        base_p50 = statistics.median(base)
        print(f"\n{count} articles, {args.requests} requests per line (ms)")
        print(f"{'list':<34}{'found':>7}{'p50':>9}{'p99':>9}{'p50 / front':>13}")
        print(
            f"{'front page, anonymous (baseline)':<34}{20:>7}{base_p50:>9.2f}{_p(base, 0.99):>9.2f}"
        )
        for name, flt, order in CASES:
            body = orjson.dumps({"query": LIST, "variables": {"f": flt, "o": order}})
            found = len((await post_graphql(manager.app, body, token))["data"]["articles"]["edges"])
            times = await _timed(manager.app, body, token, args.requests)
            p50 = statistics.median(times)
            print(f"{name:<34}{found:>7}{p50:>9.2f}{_p(times, 0.99):>9.2f}{p50 / base_p50:>13.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=50)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
