"""How many comments one server process accepts per second.

Starts ``contentapi serve --demo`` (one worker, SQLite in WAL mode, rate limit raised out
of the way), posts distinct valid comments to one article from N concurrent connections
for a fixed time (a Python load generator in this process), then checks with a moderator
token that exactly the accepted comments are stored.

    .venv/bin/python bench/comments.py [--connections 16] [--duration 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_server

POST = """mutation($a: ID!, $b: String!) { postComment(input: {articleId: $a,
  authorName: "Last", email: "last@example.org", body: $b}) { comment { id } errors { code } } }"""


async def pending(client: httpx.AsyncClient, token: str) -> int:
    """How many comments wait for moderation."""
    response = await client.post(
        "/graphql",
        json={"query": "{ pendingComments { totalCount } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return int(response.json()["data"]["pendingComments"]["totalCount"])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        async with demo_server(Path(tmp), CONTENTAPI_COMMENT_RATE_LIMIT="100000000/minute") as (
            base,
            env,
        ):
            token = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "contentapi",
                    "token",
                    "create",
                    "--role",
                    "moderator",
                    "--name",
                    "bench",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            limits = httpx.Limits(max_connections=args.connections)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
                first = await client.post(
                    "/graphql", json={"query": "{ articles(first: 1) { edges { node { id } } } }"}
                )
                article = first.json()["data"]["articles"]["edges"][0]["node"]["id"]
                pending_before = await pending(client, token)
                numbers = itertools.count()
                latencies: list[float] = []
                accepted = refused = 0
                stop = time.perf_counter() + args.duration

                async def worker() -> None:
                    nonlocal accepted, refused
                    while time.perf_counter() < stop:
                        body = f"Kommentar nummer {next(numbers)} frå lasttesten."
                        started = time.perf_counter()
                        response = await client.post(
                            "/graphql", json={"query": POST, "variables": {"a": article, "b": body}}
                        )
                        latencies.append(time.perf_counter() - started)
                        payload = response.json().get("data") or {}
                        if payload.get("postComment", {}).get("comment"):
                            accepted += 1
                        else:
                            refused += 1

                began = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(args.connections)))
                elapsed = time.perf_counter() - began
                stored = await pending(client, token) - pending_before
            latencies.sort()
            print(
                f"one uvicorn worker, SQLite (WAL), {args.connections} connections, "
                f"{args.duration:.0f} s, distinct comments to one article"
            )
            print("| accepted | refused | comments/s | p50 ms | p99 ms | newly stored |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: |")
            print(
                f"| {accepted} | {refused} | {accepted / elapsed:.0f} | "
                f"{statistics.median(latencies) * 1000:.1f} | "
                f"{latencies[int(len(latencies) * 0.99)] * 1000:.1f} | {stored} |"
            )


if __name__ == "__main__":
    asyncio.run(main())
