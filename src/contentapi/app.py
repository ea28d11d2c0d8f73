"""The ASGI app: routes, one lifespan owning the database, built from settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from contentapi import db
from contentapi.graphql.context import Runtime
from contentapi.graphql.view import GraphQLView
from contentapi.i18n import Catalogs, Locales
from contentapi.media import renditions
from contentapi.settings import Settings

logger = logging.getLogger("contentapi")
MEDIA_CACHE = "public, max-age=31536000, immutable"


def build_runtime(settings: Settings) -> Runtime:
    """Locales and catalogs, checked now: a missing catalog stops the start."""
    locales = Locales(settings.locales, settings.default_locale, settings.fallbacks)
    catalogs = Catalogs.load(settings.locale_dir, settings.locales)
    return Runtime(settings, locales, catalogs)


def create_app(settings: Settings) -> Starlette:
    """The whole app for ``settings``; nothing is read from the environment here."""
    runtime = build_runtime(settings)
    graphql = GraphQLView(runtime)
    settings.media_dir.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with db.database(settings):
            yield

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if await db.ping():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable"}, status_code=503)

    async def rendition(request: Request) -> Response:
        width = int(request.path_params["width"])
        file = request.path_params["file"]
        if width not in renditions.WIDTHS or ".." in file.split("/"):
            return JSONResponse({"error": "NOT_FOUND"}, status_code=404)
        path = await renditions.ensure_rendition(settings.media_dir, file, width)
        if path is None:
            return JSONResponse({"error": "NOT_FOUND"}, status_code=404)
        return FileResponse(path, headers={"Cache-Control": MEDIA_CACHE})

    return Starlette(
        debug=False,
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/media/w{width:int}/{file:path}", rendition),
            Mount("/media", app=CachedStaticFiles(directory=settings.media_dir), name="media"),
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
