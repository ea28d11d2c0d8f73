"""Migrations and the readiness probe against real databases."""

from __future__ import annotations

from pathlib import Path

from tortoise.connection import connections
from tortoise.context import TortoiseContext

from contentapi import db
from contentapi.settings import Settings
from tests.conftest import fresh_database_url


async def test_migrations_apply_once_and_ping_answers(tmp_path: Path) -> None:
    settings = Settings(database_url=await fresh_database_url(tmp_path))
    await db.migrate(settings)
    await db.migrate(settings)  # a second run finds nothing to do and fails on nothing
    async with db.database(settings, global_fallback=False):
        assert await db.ping() is True


async def test_ping_is_false_when_the_database_does_not_answer() -> None:
    settings = Settings(database_url="postgres://postgres@127.0.0.1:9/nowhere")
    async with TortoiseContext() as ctx:
        await ctx.init(config=db.tortoise_config(settings))
        assert await db.ping() is False


async def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite://{tmp_path / 'wal.sqlite3'}")
    async with db.database(settings, global_fallback=False):
        _, rows = await connections.get("default").execute_query("PRAGMA journal_mode")
    assert str(rows[0][0]).lower() == "wal"
