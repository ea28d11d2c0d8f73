"""Microseconds per request through the whole ASGI app, in process (no HTTP, no client).

For comparing two states of the code on the same data, e.g. the peers' database:

    P=~/peers-bench; .venv/bin/python bench/inprocess.py \\
        --database $P/data/contentapi.sqlite3 --media $P/data/contentapi-media \\
        --query $P/contentapi/queries/q1_article.graphql --variables '{"slug": "..."}' \\
        [--no-cache] [--profile]

The database is copied first (the app migrates it); the same request is sent again and
again, so with the cache on this measures a kept answer, with ``--no-cache`` the
computation.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from asgi_lifespan import LifespanManager
from common import graphql_post_scope

from contentapi.app import create_app
from contentapi.settings import Settings


async def measure(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="contentapi-inprocess-"))
    shutil.copy(args.database, folder / "db.sqlite3")
    settings = Settings(
        database_url=f"sqlite://{folder / 'db.sqlite3'}",
        media_dir=Path(args.media),
        public_url="http://bench",
        cache_max_bytes=0 if args.no_cache else Settings().cache_max_bytes,
        **dict(item.split("=", 1) for item in args.setting),  # e.g. read_rate_limit=...
    )
    text = "\n".join(
        line
        for line in Path(args.query).read_text().splitlines()
        if not line.lstrip().startswith("#")
    )
    body = orjson.dumps({"query": text, "variables": orjson.loads(args.variables)})
    scope = graphql_post_scope(body, args.client)
    async with LifespanManager(create_app(settings)) as manager:

        async def call() -> int:
            delivered = False
            status = 0

            async def receive() -> dict[str, Any]:
                nonlocal delivered
                if not delivered:
                    delivered = True
                    return {"type": "http.request", "body": body, "more_body": False}
                await asyncio.sleep(3600)
                return {"type": "http.disconnect"}

            async def send(message: dict[str, Any]) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]

            await manager.app(dict(scope), receive, send)
            return status

        for _ in range(20):
            assert await call() == 200
        started = time.perf_counter()
        for _ in range(args.requests):
            await call()
        elapsed = time.perf_counter() - started
        print(f"{elapsed / args.requests * 1e6:.0f} µs per request ({args.requests} requests)")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(200):
                await call()
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--media", required=True)
    parser.add_argument("--query", required=True, help="a .graphql file ('#' lines are left out)")
    parser.add_argument("--variables", default="{}")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--client", default="127.0.0.1", help="the caller's address")
    parser.add_argument(
        "--setting", action="append", default=[], help="NAME=VALUE for Settings (repeatable)"
    )
    parser.add_argument("--profile", action="store_true")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
