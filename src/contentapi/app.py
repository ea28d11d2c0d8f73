"""The ASGI app: routes, one lifespan owning the database, built from settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

from contentapi import db, metrics
from contentapi.articles import listing
from contentapi.articles.search import index as search_index
from contentapi.cache.fastpath import CacheFastPath
from contentapi.compression import Compression
from contentapi.cors import CrossOrigin
from contentapi.edge import Edge, EdgeRules
from contentapi.errors import ErrorCode
from contentapi.graphql.relay import to_global_id
from contentapi.graphql.view import GraphQLView
from contentapi.hosts import TrustedHosts, allowed_hosts
from contentapi.http_errors import error_body
from contentapi.http_limits import BodyReadTimedOut, BodySizeLimit, timeout_message
from contentapi.limits import RateLimiter
from contentapi.media import renditions
from contentapi.read_limits import ReadRateLimit
from contentapi.reader import reader_endpoint
from contentapi.request_context import note_error
from contentapi.runtime import Runtime, build_runtime, utc_now
from contentapi.security_headers import SecurityPolicy
from contentapi.settings import Settings
from contentapi.static_assets import StaticAssets
from contentapi.syndication import routes as syndication_routes

logger = logging.getLogger("contentapi")
MEDIA_CACHE = "public, max-age=31536000, immutable"
VTT_TYPE = "text/vtt; charset=utf-8"  # caption files (media/captions.py)
STATIC_DIR = Path(__file__).resolve().parent / "static"
PROBES = ("/healthz", "/readyz", "/metrics")  # answer any Host: probes address servers by IP


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> App:
    """The whole app for ``settings``; nothing is read from the environment here.

    ``clock`` gives "now" everywhere (visibility, scheduling, dates); tests pass their own.
    """
    runtime = build_runtime(settings, clock, serving=True)
    graphql = GraphQLView(runtime)
    settings.media_dir.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Runtime]]:
        async with db.database(settings):
            await listing.ensure_current(runtime.locales)
            await search_index.ensure_current()
            await runtime.events.start()
            await runtime.cache.start()
            # what exists now (schema, catalogs, models) lives as long as the process:
            # keep it out of the garbage collector's scans (about 5 % of a page view)
            gc.freeze()
            try:
                yield {"runtime": runtime}
            finally:
                await runtime.cache.stop()
                await runtime.events.stop()

    reader = reader_endpoint(runtime, to_global_id)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        # a real read and a write-lock check: 503 while the database cannot serve
        reason = await db.readiness()
        if reason is None:
            return JSONResponse({"status": "ready"}, headers={"Cache-Control": "no-store"})
        return JSONResponse(
            {"status": "unavailable", "reason": reason},
            status_code=503,
            headers={"Cache-Control": "no-store", "Retry-After": "5"},
        )

    telemetry = metrics.Metrics(runtime)

    async def metrics_page(request: Request) -> Response:
        return Response(await telemetry.page(), media_type=metrics.CONTENT_TYPE)

    async def rendition(request: Request) -> Response:
        width = int(request.path_params["width"])
        path = await renditions.ensure_rendition(
            settings.media_dir, request.path_params["file"], width
        )
        if path is None:
            return coded(404, ErrorCode.NOT_FOUND, "No such file")
        return FileResponse(
            path,
            media_type=renditions.content_type(path.name),
            headers={"Cache-Control": MEDIA_CACHE},
        )

    # the rules at the edge, applied by the one outermost layer (edge.py), in this order:
    # a Host header that is not ours never reaches anything that writes URLs; CORS
    # preflights, and CORS headers on every answer (kept ones too); the read rate limit
    # (a kept answer counts as much as any other); the read timeout of request bodies
    rules = EdgeRules(
        hosts=TrustedHosts(
            allowed_hosts(settings.allowed_hosts, settings.public_url), exempt=PROBES
        ),
        cors=CrossOrigin(settings.cors_origins),
        security=SecurityPolicy(settings.public_url),
        read_timeout_seconds=settings.read_timeout_seconds,
        read_limit=ReadRateLimit(
            RateLimiter(settings.read_rate_limit, settings.redis_url),
            runtime.clients.key,
            limit_loopback=settings.rate_limit_loopback,
        )
        if settings.read_rate_limit
        else None,
    )
    return App(
        debug=False,
        routes=[
            Route("/", reader),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_page),
            *syndication_routes(runtime),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/media/w{width:int}/{file:path}", rendition),
            Mount("/media", app=CachedStaticFiles(directory=settings.media_dir), name="media"),
            Mount("/static", app=StaticAssets(directory=STATIC_DIR), name="static"),
        ],
        middleware=[
            # a repeated anonymous read is answered before anything else runs
            Middleware(
                CacheFastPath,
                cache=runtime.cache,
                max_body_bytes=settings.max_body_bytes,
                max_age=settings.cache_max_age,
                stale=settings.cache_stale_while_revalidate,
            ),
            # every answer from below passes it (413s too), and a response cache added
            # below it hands over bodies already compressed, which it leaves alone
            Middleware(Compression, minimum_size=500),
            Middleware(
                BodySizeLimit,
                max_bytes=settings.max_body_bytes,
                upload_max_bytes=settings.upload_max_bytes,
            ),
        ],
        exception_handlers={
            HTTPException: http_error,  # the router's 404 and 405, StaticFiles' too
            Exception: internal_error,
        },
        lifespan=lifespan,
        # outside Starlette's own error middleware: its 500s get the headers, the request
        # id and their place in the metrics and the access log too
        outermost=lambda app: Edge(app, rules, telemetry),
    )


class App(Starlette):
    """Starlette with one more layer outside its own error middleware (``outermost``)."""

    def __init__(self, *, outermost: Callable[[ASGIApp], ASGIApp], **options: Any) -> None:
        super().__init__(**options)
        self.outermost = outermost

    def build_middleware_stack(self) -> ASGIApp:
        return self.outermost(super().build_middleware_stack())


HTTP_CODES = {
    404: (ErrorCode.NOT_FOUND, "Not found"),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed"),
}


def coded(
    status: int, code: ErrorCode, message: str, headers: dict[str, str] | None = None
) -> Response:
    """A coded JSON error answer."""
    note_error(code.value)
    return Response(
        error_body(message, code),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """404, 405 (with ``Allow``) and the like, as coded JSON."""
    assert isinstance(exc, HTTPException)
    code, message = HTTP_CODES.get(exc.status_code, (ErrorCode.BAD_REQUEST, exc.detail))
    return coded(exc.status_code, code, message, dict(exc.headers or {}))


async def internal_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: ``INTERNAL_ERROR`` (the edge logs it; no traceback is sent)."""
    if isinstance(exc, BodyReadTimedOut):  # raised from the edge's receive, on its way out
        message = timeout_message(exc.seconds)
        return coded(408, ErrorCode.TIMEOUT, message, {"Connection": "close"})
    if db.unavailable(exc):  # a database fault outside GraphQL (e.g. a rendition's lookup)
        return coded(503, ErrorCode.UNAVAILABLE, db.UNAVAILABLE_MESSAGE, {"Retry-After": "5"})
    return coded(500, ErrorCode.INTERNAL_ERROR, "Internal server error")


class CachedStaticFiles(StaticFiles):
    """Media files never change under a name (names are content hashes): cache for long."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = MEDIA_CACHE
            if path.endswith(".vtt"):  # not every system's MIME table knows WebVTT
                response.headers["Content-Type"] = VTT_TYPE
        return response
