"""One consistent view of the database for the whole export, read in keyset batches.

An export takes minutes on a large site, and the site may be written to meanwhile; every
table must still come from the same moment, or a comment could name an article that the
file lacks. PostgreSQL: one ``REPEATABLE READ, READ ONLY`` transaction. SQLite: a read
transaction on a connection of its own (WAL gives it a snapshot and takes no write
lock, so the site goes on taking writes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from contentapi.sqlite_client import sqlite_connection
from contentapi.transfer.format import BATCH_ROWS, RecordType


class Snapshot(Protocol):
    """Reads from one moment of the database."""

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of one statement (``?`` placeholders)."""
        ...

    def text_order(self, column: str) -> str:
        """``column`` compared byte by byte (the same order on both databases)."""
        ...


class _SqliteSnapshot:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.connection.execute(sql, list(params)).fetchall()]

    def text_order(self, column: str) -> str:
        return f'"{column}"'  # BINARY, SQLite's default: byte order


class _PostgresSnapshot:
    def __init__(self, client: BaseDBAsyncClient) -> None:
        self.client = client

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        numbered = iter(range(1, len(params) + 1))
        parts = sql.split("?")
        text = parts[0] + "".join(f"${next(numbered)}{part}" for part in parts[1:])
        return await self.client.execute_query_dict(text, list(params))

    def text_order(self, column: str) -> str:
        return f'"{column}" COLLATE "C"'  # not the database's locale order


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL)."""
    if not database_url.startswith("sqlite://"):
        return None
    return Path(database_url.removeprefix("sqlite://").split("?", 1)[0])


@asynccontextmanager
async def snapshot(database_url: str) -> AsyncIterator[Snapshot]:
    """A snapshot of the open database (``database_url`` is the one Tortoise has open)."""
    sqlite_path = sqlite_file(database_url)
    if sqlite_path is not None:
        connection = sqlite_connection(sqlite_path, readonly=True)
        connection.row_factory = sqlite3.Row
        try:
            connection.execute("BEGIN")  # the snapshot starts at the first read
            yield _SqliteSnapshot(connection)
        finally:
            connection.close()
        return
    if connections.get("default").capabilities.dialect != "postgres":
        raise RuntimeError("an export reads SQLite from its file")
    async with in_transaction() as client:
        await client.execute_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield _PostgresSnapshot(client)


async def count(view: Snapshot, record: RecordType) -> int:
    """How many rows the table holds."""
    rows = await view.fetch(f'SELECT count(*) AS n FROM "{record.name}"')
    return int(rows[0]["n"])


async def last_id(view: Snapshot, record: RecordType) -> int:
    """The highest id of the table (0 when it is empty)."""
    rows = await view.fetch(f'SELECT max("{record.pk}") AS n FROM "{record.name}"')
    return int(rows[0]["n"] or 0)


async def batches(
    view: Snapshot, record: RecordType, columns: Sequence[str] | None = None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every row of the table in primary-key order, ``BATCH_ROWS`` at a time (keyset: each
    batch starts after the last key of the one before, so none rereads the table)."""
    pk = record.pk
    order = f'"{pk}"' if record.int_pk else view.text_order(pk)
    names = ", ".join(f'"{c}"' for c in (columns or [c.name for c in record.columns]))
    base = f'SELECT {names} FROM "{record.name}"'
    last: Any = None
    while True:
        where = "" if last is None else f" WHERE {order} > ?"
        rows = await view.fetch(
            f"{base}{where} ORDER BY {order} LIMIT {BATCH_ROWS}", [] if last is None else [last]
        )
        if not rows:
            return
        yield rows
        if len(rows) < BATCH_ROWS:
            return
        last = rows[-1][pk]
