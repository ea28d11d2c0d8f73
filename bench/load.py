"""Load benchmark: a real ``contentapi serve --demo`` process, one worker, on SQLite.

Counts the SQL statements of each request in-process first, then drives the server with
N concurrent keep-alive connections for a fixed time and prints requests per second and
latency percentiles. The load comes from wrk (Debian package ``wrk``) when it is
installed, else from a Python generator in this process; either way it is a separate
process from the server.

    .venv/bin/python bench/load.py [--connections 16] [--duration 20] [--tool wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queries import workloads

from contentapi.app import create_app
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from contentapi.settings import Settings


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        if (
            record.getMessage()
            .lstrip()
            .upper()
            .startswith(("SELECT", "INSERT", "UPDATE", "DELETE"))
        ):
            self.n += 1


async def count_statements(folder: Path) -> dict[str, int]:
    """SQL statements per request, measured on a warm in-process app."""
    settings = Settings(
        database_url=f"sqlite://{folder / 'count.sqlite3'}", media_dir=folder / "media-count"
    )
    app = create_app(settings)
    counter = _Counter()
    logger = logging.getLogger("tortoise.db_client")
    counts: dict[str, int] = {}
    async with LifespanManager(app) as manager:
        await load_demo(settings)
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            logger.setLevel(logging.DEBUG)
            logger.addHandler(counter)
            for name, body in workloads(SEED.slug["nn"]).items():
                await client.post("/graphql", json=body)  # warm the caches
                counter.n = 0
                response = await client.post("/graphql", json=body)
                assert "errors" not in response.json(), response.text
                counts[name] = counter.n
            logger.removeHandler(counter)
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def demo_server(folder: Path, **settings: str) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """``contentapi serve --demo`` in its own process on a free port, on SQLite in ``folder``;
    yields its base URL and environment (``settings`` are extra CONTENTAPI_* variables)."""
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{folder / 'bench.sqlite3'}",
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
        **settings,
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "contentapi", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, server)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=15)


async def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=1) as client:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit("server exited during start")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("server not ready after 60 s")


async def drive(
    base: str, body: dict[str, Any], connections: int, duration: float
) -> dict[str, float]:
    """Closed-loop load: each connection sends its next request when the last one returns."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(connections):  # warm-up
            await client.post("/graphql", json=body)
        stop = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = await client.post("/graphql", json=body)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200 or b'"errors"' in response.content:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def drive_wrk(
    base: str, body: dict[str, Any], connections: int, duration: float
) -> dict[str, float]:
    """The same closed-loop load from wrk, which costs far less CPU than Python does."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{int(duration)}s",
                "--latency",
                "-s",
                script.name,
                f"{base}/graphql",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
        return float(match.group(1)) * scale

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert rps and total, out
    return {
        "requests": float(total.group(1)),
        "errors": float(bad.group(1)) if bad else 0.0,
        "rps": float(rps.group(1)),
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per workload")
    parser.add_argument(
        "--tool", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        counts = await count_statements(folder)
        async with demo_server(folder) as (base, _env):
            print(
                f"one uvicorn worker, SQLite (WAL), {args.connections} connections, "
                f"{args.duration:.0f} s per workload, load from {args.tool} in its own process"
            )
            print("| workload | SQL statements | requests/s | p50 ms | p99 ms | errors |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for name, body in workloads(SEED.slug["nn"]).items():
                async with httpx.AsyncClient(base_url=base) as check:  # answers, not errors
                    answer = (await check.post("/graphql", json=body)).json()
                    assert "errors" not in answer and answer["data"], answer
                if args.tool == "wrk":
                    r = drive_wrk(base, body, args.connections, args.duration)
                else:
                    r = await drive(base, body, args.connections, args.duration)
                print(
                    f"| {name} | {counts[name]} | {r['rps']:.0f} | {r['p50_ms']:.1f} | "
                    f"{r['p99_ms']:.1f} | {r['errors']:.0f} |"
                )


if __name__ == "__main__":
    asyncio.run(main())
