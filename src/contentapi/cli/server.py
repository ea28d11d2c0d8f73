"""``contentapi serve``: run the API with uvicorn (one process, or ``--workers N``),
optionally with demo content.

The database is migrated (and the demo loaded) once, here, before any worker starts;
each worker then builds its own app from the environment (:mod:`contentapi.asgi`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import uvicorn

from contentapi import asgi, db, logs
from contentapi.app import create_app
from contentapi.articles import listing
from contentapi.articles.search import index as search_index
from contentapi.hosts import is_loopback
from contentapi.http_protocol import MAX_HEADER_BYTES, guarded_protocol
from contentapi.settings import Settings

BACKLOG = 2048  # connections the kernel queues before uvicorn accepts them (uvicorn's default)
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # where prometheus_client's workers share counts
ALONE_WITHOUT_REDIS = (
    "note: --workers {workers} without CONTENTAPI_REDIS_URL: each worker's live subscriptions "
    "hear only that worker's events, and rate limits are counted per worker (webhooks, "
    "scheduled publishing and caches are shared through the database)"
)


def register(commands: Any) -> None:
    """Add the ``serve`` command."""
    parser = commands.add_parser(
        "serve",
        help="run the API server",
        description="Run the API server: one process, or several workers (PostgreSQL).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        metavar="N",
        help="worker processes sharing the port (default 1; above 1 needs PostgreSQL)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo content first (adds only what is missing)",
    )
    parser.set_defaults(handler=serve)


def _worker_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1 or more)")
    return count


async def _prepare(settings: Settings, demo: bool) -> int | None:
    """Migrate (and check the database answers), bring the read models up to date, and
    load the demo if asked: how many articles it added. Done once, before any worker: each
    worker's start then finds nothing to do."""
    async with db.database(settings, global_fallback=False):
        await listing.ensure_current(settings.make_locales())
        await search_index.ensure_current()
        if not demo:
            return None
        from contentapi.demo import load_demo  # only needed with --demo

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


def workers_problem(workers: int, settings: Settings) -> str | None:
    """Why ``workers`` processes cannot serve ``settings``' database, or None."""
    if workers > 1 and settings.database_url.startswith("sqlite"):
        return (
            f"--workers {workers} needs PostgreSQL: SQLite has one writer at a time, so "
            "workers would wait for each other's write lock; set CONTENTAPI_DATABASE_URL="
            "postgres://... or serve with one worker"
        )
    return None


def where(database_url: str) -> str:
    """The database's address without user or password, for messages."""
    parts = urlsplit(database_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def serve(args: argparse.Namespace) -> int:
    """Migrate, load the demo if asked, then serve until stopped."""
    settings = Settings.from_env()
    problem = unsafe_bind(args.host, settings) or workers_problem(args.workers, settings)
    if problem:
        print(f"contentapi serve: {problem}", file=sys.stderr)
        return 2
    # user input in log lines: escaped and capped; JSON lines with CONTENTAPI_LOG_FORMAT
    logs.install_for(settings.log_format, settings.access_log)
    try:
        added = asyncio.run(_prepare(settings, args.demo))
    except Exception as exc:
        if not (db.unavailable(exc) or isinstance(exc, OSError)):  # TimeoutError is one
            raise
        reason = str(exc) or type(exc).__name__
        print(
            f"contentapi serve: cannot reach the database at {where(settings.database_url)} "
            f"({reason}); is it running, and is CONTENTAPI_DATABASE_URL right?",
            file=sys.stderr,
        )
        return 1
    if added is not None:
        print(f"demo content: {added} articles added")
    # built here even for several workers: a bad setting stops the start once, with a
    # clear message, rather than every worker as it spawns
    app = create_app(settings)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "access_log": False,
        "ws_max_size": settings.max_body_bytes,  # the body limit holds for websocket frames too
        # httptools with a deadline for request headers (slowloris; uvicorn has none) and a
        # 16 KB cap on them (uvicorn's h11_max_incomplete_event_size is for h11 only)
        "http": guarded_protocol(settings.read_timeout_seconds, MAX_HEADER_BYTES),
        "timeout_keep_alive": settings.keep_alive_seconds,  # an idle kept-alive connection
        "limit_concurrency": settings.max_connections,  # connections or requests: 503 beyond
        "backlog": BACKLOG,
        **forwarded(settings),
        # JSON: uvicorn's own records go to the root handler as JSON lines too
        **({"log_config": None} if settings.log_format == "json" else {}),
    }
    if args.workers == 1:
        uvicorn.run(app, **options)
        return 0
    del app
    if not settings.redis_url:
        print(f"contentapi serve: {ALONE_WITHOUT_REDIS.format(workers=args.workers)}")
    with metrics_dir():
        # each worker imports contentapi.asgi and builds its own app from the environment
        uvicorn.run(asgi.FACTORY, factory=True, workers=args.workers, **options)
    return 0


def forwarded(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy options: X-Forwarded-For/-Proto believed from the listed proxies
    only: by default 127.0.0.1 (uvicorn's default: a proxy on this machine; a client from
    elsewhere cannot connect from there), set empty for nobody. uvicorn's own
    $FORWARDED_ALLOW_IPS is not read."""
    if not settings.forwarded_allow_ips:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.forwarded_allow_ips)}


@contextmanager
def metrics_dir() -> Iterator[None]:
    """A fresh empty directory in ``$PROMETHEUS_MULTIPROC_DIR`` while the workers run (each
    writes its counts there; /metrics adds them up), removed at exit. One set by the
    operator is used as it is, and kept."""
    if os.environ.get(METRICS_DIR):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="contentapi-metrics-") as folder:
        os.environ[METRICS_DIR] = folder  # spawned workers inherit it
        try:
            yield
        finally:
            del os.environ[METRICS_DIR]
