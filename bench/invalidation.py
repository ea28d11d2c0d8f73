"""How long another server process serves an anonymous answer after the change it shows.

Two ``contentapi serve`` processes on one fresh database (SQLite by default; with
``--database-url`` a new database is made on that PostgreSQL server for each mode and
dropped after): A loads the demo, B answers readers. B's response cache is warmed (the
reader's query is answered with ``X-Cache: HIT``), then N times: A saves a new title of
the published demo article (``updateArticle``, an editor token), and the reader's query
is sent to B again and again until the new title shows. The delay is from A's answer to
B's first fresh answer (``time.perf_counter``), with a random pause of up to 100 ms
between rounds so the rounds do not fall in step with B's polling.

Modes: ``poll`` (no Redis: B reads the content version every 50 ms) and ``redis``
(``CONTENTAPI_REDIS_URL``: the change is pushed through Redis pub/sub). Prints p50, p90
and max per mode and appends one JSON line to ``bench/results/invalidation.jsonl``.

    .venv/bin/python bench/invalidation.py [--rounds 50] [--modes poll,redis]
        [--redis redis://127.0.0.1:6379/0] [--database-url postgres://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_server, serving

from contentapi.demo.content import SEED

RESULTS = Path(__file__).resolve().parent / "results" / "invalidation.jsonl"
READ = """query($id: ID!) { article(id: $id, locale: "nb") { title } }"""
VERSION = """query($id: ID!) { article(id: $id, locale: "nb", preview: true) { version } }"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  article { version } errors { code message } } }"""
GIVE_UP = 10.0  # seconds of stale answers after which B is taken as never hearing of it


@contextlib.asynccontextmanager
async def fresh_postgres(url: str, mode: str) -> AsyncIterator[str]:
    """A new, empty database on the server of ``url`` (dropped afterwards); its URL."""
    parts = urlsplit(url)
    name = f"contentapi_bench_{mode}_{uuid.uuid4().hex[:8]}"
    dsn = urlunsplit(parts._replace(scheme="postgresql"))
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def redis_answers(url: str) -> bool:
    """Whether something listens at the Redis URL's address."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1):
            return True
    except OSError:
        return False


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def warm(client: httpx.AsyncClient, variables: dict[str, Any]) -> str:
    """Read until B answers from its cache; the title it keeps."""
    for _ in range(20):
        response = await client.post("/graphql", json={"query": READ, "variables": variables})
        if response.headers.get("x-cache") == "HIT":
            return str(response.json()["data"]["article"]["title"])
        await asyncio.sleep(0.01)
    raise SystemExit("B never answered from its cache")


async def measure(
    a: str, b: str, env: dict[str, str], rounds: int, mode: str
) -> tuple[list[float], int]:
    """The delays in ms, and how many stale answers B gave in all."""
    token = subprocess.run(
        [sys.executable, "-m", "contentapi", "token", "create", "--role", "editor", "--name", "b"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    delays: list[float] = []
    stale_total = 0
    shuffle = random.Random(11)
    async with (
        httpx.AsyncClient(base_url=a, timeout=10) as on_a,
        httpx.AsyncClient(base_url=b, timeout=10) as on_b,
    ):
        found = await on_a.post(
            "/graphql",
            json={
                "query": "query($s: String!) { article(slug: $s) { id } }",
                "variables": {"s": SEED.slug["nb"]},
            },
        )
        variables = {"id": found.json()["data"]["article"]["id"]}
        read = await on_a.post(
            "/graphql", json={"query": VERSION, "variables": variables}, headers=auth
        )
        version = int(read.json()["data"]["article"]["version"])
        for number in range(rounds):
            title = f"Innovasjonspris til Træna ({mode} {number})"
            assert await warm(on_b, variables) != title
            await asyncio.sleep(shuffle.uniform(0, 0.1))
            change = {**variables, "locale": "nb", "expectedVersion": version, "title": title}
            response = await on_a.post(
                "/graphql", json={"query": UPDATE, "variables": {"input": change}}, headers=auth
            )
            answered = time.perf_counter()
            payload = response.json()["data"]["updateArticle"]
            if payload["errors"]:
                raise SystemExit(f"the edit was refused: {payload['errors']}")
            version = int(payload["article"]["version"])
            while True:
                seen = await on_b.post("/graphql", json={"query": READ, "variables": variables})
                now = time.perf_counter()
                if seen.json()["data"]["article"]["title"] == title:
                    delays.append((now - answered) * 1000)
                    break
                stale_total += 1
                if now - answered > GIVE_UP:
                    raise SystemExit(f"B still serves the old title after {GIVE_UP:.0f} s")
                await asyncio.sleep(0.001)
    return delays, stale_total


async def run_mode(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    """Two servers for one mode, measured; the figures."""
    settings = {"CONTENTAPI_REDIS_URL": args.redis} if mode == "redis" else {}
    with tempfile.TemporaryDirectory() as tmp:
        async with contextlib.AsyncExitStack() as stack:
            if args.database_url:
                url = await stack.enter_async_context(fresh_postgres(args.database_url, mode))
                settings["CONTENTAPI_DATABASE_URL"] = url
            a, env = await stack.enter_async_context(demo_server(Path(tmp), **settings))
            b, _ = await stack.enter_async_context(serving(env))
            delays, stale = await measure(a, b, env, args.rounds, mode)
    return {
        "rounds": len(delays),
        "p50_ms": round(statistics.median(delays), 1),
        "p90_ms": round(percentile(delays, 0.9), 1),
        "max_ms": round(max(delays), 1),
        "min_ms": round(min(delays), 1),
        "mean_ms": round(statistics.fmean(delays), 1),
        "stale_answers": stale,
    }


def commit() -> str | None:
    """The checkout's commit, if it is one."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    return None


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=50, help="changes per mode (50)")
    parser.add_argument("--modes", default="poll,redis", help="poll, redis or both (both)")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/0", help="Redis for the redis mode"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgres://user@host:5432/db) to make "
        "a fresh database on for each mode; SQLite files by default",
    )
    args = parser.parse_args()
    os.environ.pop("CONTENTAPI_REDIS_URL", None)  # the poll mode runs without; redis sets it
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - {"poll", "redis"}:
        parser.error("--modes takes poll, redis or poll,redis")
    if "redis" in modes and not redis_answers(args.redis):
        parser.error(f"no Redis answers at {args.redis} (start one, or --modes poll)")
    database = "postgresql" if args.database_url else "sqlite"
    results = {}
    print(f"invalidation delay on {database}, {args.rounds} changes per mode, A -> B")
    for mode in modes:
        figures = await run_mode(mode, args)
        results[mode] = figures
        print(
            f"  {mode:<5}  p50 {figures['p50_ms']:6.1f} ms   p90 {figures['p90_ms']:6.1f} ms   "
            f"max {figures['max_ms']:6.1f} ms   (min {figures['min_ms']:.1f}, "
            f"{figures['stale_answers']} stale answers in all)",
            flush=True,
        )
    RESULTS.parent.mkdir(exist_ok=True)
    line = {
        "bench": "invalidation",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "database": database,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "modes": results,
    }
    with RESULTS.open("a") as out:
        out.write(json.dumps(line) + "\n")
    print(f"appended to {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
