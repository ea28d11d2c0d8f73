"""What the bench scripts share: a free port, a server that is ready, a statement counter."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

# the app's background tasks (the cache's version poll, scheduled publishing, webhooks)
BACKGROUND_TASKS = {"cache-version", "cache-horizon", "jobs", "webhooks"}


class StatementCounter(logging.Handler):
    """Counts the SQL statements logged on ``tortoise.db_client`` (the ORM's and ours)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.n = 0

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(RuntimeError):  # the app's background loops are no request's
            task = asyncio.current_task()
            if task is not None and task.get_name() in BACKGROUND_TASKS:
                return
        text = record.getMessage().lstrip().upper()
        if text.startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            self.n += 1


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    """Until ``/readyz`` answers 200 (or the process dies, or 60 s pass)."""
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


@asynccontextmanager
async def serving(
    env: dict[str, str], *args: str, cpu: int | None = None, log: Path | None = None
) -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    """``contentapi serve ARGS`` in its own process on a free port (pinned to ``cpu`` when
    given, its output in ``log`` when given), once ready; yields its base URL and the
    process, and stops it however the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "contentapi", "serve", *args, "--port", str(port)]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    with log.open("w") if log is not None else open(os.devnull, "w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, server)
        yield base, server
    finally:
        stop(server)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a process we started, and wait for it (kill it after 15 s)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@asynccontextmanager
async def demo_server(folder: Path, **settings: str) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """``contentapi serve --demo`` on SQLite in ``folder``; yields its base URL and
    environment (``settings`` are extra CONTENTAPI_* variables)."""
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{folder / 'bench.sqlite3'}",
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
        **settings,
    }
    async with serving(env, "--demo") as (base, _):
        yield base, env


def graphql_post_scope(body: bytes, client: str = "127.0.0.1") -> dict[str, Any]:
    """The ASGI scope of ``POST /graphql`` with a JSON ``body``, for in-process benches."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "client": (client, 1),
        "server": ("bench", 80),
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }


async def post_graphql(app: Any, body: bytes, token: str | None = None) -> dict[str, Any]:
    """One ``POST /graphql`` through ``app`` in process (with ``token`` as a bearer token);
    the decoded answer. Exits when the answer has errors: a bench must measure answers."""
    scope = graphql_post_scope(body)
    if token:
        scope["headers"].append((b"authorization", f"Bearer {token}".encode()))
    delivered = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    answer: dict[str, Any] = orjson.loads(b"".join(chunks))
    if "errors" in answer:
        raise SystemExit(f"the app answered with errors: {answer['errors']}")
    return answer
