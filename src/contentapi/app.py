"""The ASGI app: routes, one lifespan owning the database, built from settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from contentapi import db, metrics
from contentapi.articles import listing
from contentapi.cache.fastpath import CacheFastPath
from contentapi.compression import Compression
from contentapi.graphql.view import GraphQLView
from contentapi.http_limits import BodySizeLimit
from contentapi.media import renditions
from contentapi.runtime import Runtime, build_runtime, utc_now
from contentapi.settings import Settings
from contentapi.static_assets import StaticAssets

logger = logging.getLogger("contentapi")
MEDIA_CACHE = "public, max-age=31536000, immutable"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Starlette:
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

    reader_page = (STATIC_DIR / "reader.html").read_text(encoding="utf-8")

    async def reader(request: Request) -> Response:
        return HTMLResponse(reader_page)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if await db.ping():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable"}, status_code=503)

    registry = metrics.registry_for(runtime)

    async def metrics_page(request: Request) -> Response:
        return Response(metrics.exposition(registry), media_type=metrics.CONTENT_TYPE)

    async def rendition(request: Request) -> Response:
        width = int(request.path_params["width"])
        path = await renditions.ensure_rendition(
            settings.media_dir, request.path_params["file"], width
        )
        if path is None:
            return JSONResponse({"error": "NOT_FOUND"}, status_code=404)
        return FileResponse(path, headers={"Cache-Control": MEDIA_CACHE})

    return Starlette(
        debug=False,
        routes=[
            Route("/", reader),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_page),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/media/w{width:int}/{file:path}", rendition),
            Mount("/media", app=CachedStaticFiles(directory=settings.media_dir), name="media"),
            Mount("/static", app=StaticAssets(directory=STATIC_DIR), name="static"),
        ],
        middleware=[
            # outermost: a repeated anonymous read is answered before anything else runs
            Middleware(
                CacheFastPath,
                cache=runtime.cache,
                max_body_bytes=settings.max_body_bytes,
                max_age=settings.cache_max_age,
                stale=settings.cache_stale_while_revalidate,
            ),
            # outermost: every answer passes it (413s too), and a response cache added
            # below it hands over bodies already compressed, which it leaves alone
            Middleware(Compression, minimum_size=500),
            Middleware(
                BodySizeLimit,
                max_bytes=settings.max_body_bytes,
                upload_max_bytes=settings.upload_max_bytes,
            ),
        ],
        lifespan=lifespan,
    )


class CachedStaticFiles(StaticFiles):
    """Media files never change under a name (names are content hashes): cache for long."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = MEDIA_CACHE
        return response
