"""Tortoise ORM: configuration from settings, migrations, start and stop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

from contentapi import sql
from contentapi.settings import Settings

APP_LABEL = "contentapi"
MODEL_MODULES = [
    "contentapi.articles.models",
    "contentapi.media.models",
    "contentapi.comments.models",
    "contentapi.auth.models",
    "contentapi.events.models",
]


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise config dict for ``settings.database_url``."""
    return {
        "connections": {"default": settings.database_url},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "contentapi.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = Path(database_url.removeprefix("sqlite://").split("?", 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)


async def _tune_sqlite(ctx: TortoiseContext) -> None:
    connection = ctx.connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        # WAL lets readers go on while one writer writes.
        await connection.execute_script(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        )


async def migrate(settings: Settings) -> None:
    """Apply every pending migration to the configured database."""
    _ensure_sqlite_folder(settings.database_url)
    async with TortoiseContext():
        await run_migrations(config=tortoise_config(settings))


@asynccontextmanager
async def database(settings: Settings, *, global_fallback: bool = True) -> AsyncIterator[None]:
    """Migrate, then keep Tortoise open for the duration of the block.

    Tortoise 1.x keeps its state in a context variable; a lifespan runs in another
    task than the requests, so the context is also set as the global fallback.
    """
    await migrate(settings)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings), _enable_global_fallback=global_fallback)
        await _tune_sqlite(ctx)
        try:
            yield
        finally:
            sql.close_readers()


async def ping() -> bool:
    """True when the database answers a trivial query."""
    from tortoise.connection import connections

    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True
