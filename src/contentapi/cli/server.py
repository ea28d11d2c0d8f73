"""``contentapi serve``: run the API with uvicorn, optionally with demo content."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import uvicorn

from contentapi import db, logs
from contentapi.app import create_app
from contentapi.hosts import is_loopback
from contentapi.http_protocol import MAX_HEADER_BYTES, guarded_protocol
from contentapi.settings import Settings

BACKLOG = 2048  # connections the kernel queues before uvicorn accepts them (uvicorn's default)


def register(commands: Any) -> None:
    """Add the ``serve`` command."""
    parser = commands.add_parser(
        "serve", help="run the API server", description="Run the API server (one process)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo content first (adds only what is missing)",
    )
    parser.set_defaults(handler=serve)


async def _load_demo(settings: Settings) -> int:
    from contentapi.demo import load_demo  # only needed with --demo

    async with db.database(settings, global_fallback=False):
        return await load_demo(settings)


def unsafe_bind(host: str, settings: Settings) -> str | None:
    """Why serving on ``host`` with ``settings`` is refused, or None when it is not."""
    if is_loopback(host) or settings.public_url or settings.allowed_hosts:
        return None
    return (
        f"refusing to serve on {host} without CONTENTAPI_PUBLIC_URL or "
        "CONTENTAPI_ALLOWED_HOSTS: absolute media URLs would follow whatever Host header a "
        "client sends. Set CONTENTAPI_PUBLIC_URL=https://your.site (or "
        "CONTENTAPI_ALLOWED_HOSTS=your.site), or bind to 127.0.0.1."
    )


def serve(args: argparse.Namespace) -> int:
    """Migrate, load the demo if asked, then serve until stopped."""
    settings = Settings.from_env()
    problem = unsafe_bind(args.host, settings)
    if problem:
        print(f"contentapi serve: {problem}", file=sys.stderr)
        return 2
    if args.demo:
        added = asyncio.run(_load_demo(settings))
        print(f"demo content: {added} articles added")
    app = create_app(settings)
    logs.install()  # user input in log lines: escaped and capped
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
        ws_max_size=settings.max_body_bytes,  # the body limit holds for websocket frames too
        # httptools with a deadline for request headers (slowloris; uvicorn has none) and a
        # 16 KB cap on them (uvicorn's h11_max_incomplete_event_size is for h11 only)
        http=guarded_protocol(settings.read_timeout_seconds, MAX_HEADER_BYTES),
        timeout_keep_alive=settings.keep_alive_seconds,  # an idle kept-alive connection
        limit_concurrency=settings.max_connections,  # connections or requests: 503 beyond
        backlog=BACKLOG,
    )
    return 0
