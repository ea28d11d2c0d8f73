"""``contentapi serve``: run the API with uvicorn, optionally with demo content."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import uvicorn

from contentapi import db
from contentapi.app import create_app
from contentapi.settings import Settings


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


def serve(args: argparse.Namespace) -> int:
    """Migrate, load the demo if asked, then serve until stopped."""
    settings = Settings.from_env()
    if args.demo:
        added = asyncio.run(_load_demo(settings))
        print(f"demo content: {added} articles added")
    app = create_app(settings)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
        ws_max_size=settings.max_body_bytes,  # the body limit holds for websocket frames too
    )
    return 0
