"""Tortoise's SQLite client, guarded against faults (the engine ``db`` configures).

A write transaction waits for the file's write lock without holding the ORM's one
connection (reads go on meanwhile); a file removed or replaced under a running server
takes no more writes; readiness tries a real write lock on a connection of its own.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError

from contentapi import sql

WRITE_WAIT_SECONDS = 5.0  # at most, a write waits this long for SQLite's write lock
STATEMENT_WAIT_MS = 10  # SQLite busy timeout of one ORM statement (it holds the connection)
READY_WAIT_SECONDS = 1.0  # /readyz waits this long for the write lock or an answer
FILE_CHECK_SECONDS = 1.0  # readiness looks at the SQLite file at most this often per process


class DatabaseUnavailable(Exception):
    """The database cannot serve this request now (e.g. its file was removed)."""


def sqlite_connection(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to an existing file (never creates one), without a busy wait."""
    mode = "ro" if readonly else "rw"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=0, isolation_level=None
    )


class GuardedSqliteClient(SqliteClient):
    """Tortoise's SQLite client with three guards against faults.

    - A transaction begins with ``BEGIN IMMEDIATE``: the write lock is taken before any
      work, and while another process holds it the attempt is repeated for up to
      ``write_wait_seconds`` (at most 5 s, half the request timeout) *without* holding
      the ORM's one connection, so reads and /readyz are not queued behind a waiting
      write. After that: ``database is locked`` (``UNAVAILABLE``).
    - A statement outside a transaction waits ``STATEMENT_WAIT_MS`` for a lock, then is
      tried again the same way (a refused statement did nothing).
    - The file's identity (device, inode) is remembered when it is opened; a transaction
      whose file was removed or replaced since is refused (and so is the commit of one
      whose file went during it), instead of writing into an unlinked file.
    """

    def __init__(
        self, file_path: str, write_wait_seconds: float = WRITE_WAIT_SECONDS, **kwargs: Any
    ) -> None:
        kwargs.setdefault("busy_timeout", STATEMENT_WAIT_MS)
        super().__init__(file_path, **kwargs)
        self.write_wait = float(write_wait_seconds)
        self.identity: tuple[int, int] | None = None
        self.removed = False  # once found, for good: the server must be restarted
        self._checked_at = -FILE_CHECK_SECONDS

    async def create_connection(self, with_db: bool) -> None:
        if self._connection is None and self._on_disk():
            self.identity = _identity(self.filename)
        await super().create_connection(with_db)

    def _on_disk(self) -> bool:
        return self.filename != ":memory:" and not self.filename.startswith("file::memory:")

    def check_file(self) -> None:
        """Raise :class:`DatabaseUnavailable` when the file opened is no longer at its path."""
        if self.removed:
            raise DatabaseUnavailable("the database file was removed; restart the server")
        if self.identity is None:
            return
        if _identity(self.filename) != self.identity:
            self.removed = True
            sql.close_readers()  # they would read the removed file
            raise DatabaseUnavailable("the database file was removed; restart the server")

    def _in_transaction(self) -> SqliteTransactionContext:
        return _ImmediateTransaction(_GuardedTransaction(self), self._lock)

    # writes outside a transaction (autocommit) are checked one by one, and wait for the
    # write lock as transactions do: a refused statement did nothing and is tried again
    async def execute_insert(self, query: str, values: list[Any]) -> int:
        inserted: int = await self._patiently(super().execute_insert, query, values)
        return inserted

    async def execute_many(self, query: str, values: list[list[Any]]) -> None:
        await self._patiently(super().execute_many, query, values)

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, Sequence[dict[str, Any]]]:
        result: tuple[int, Sequence[dict[str, Any]]]
        result = await self._patiently(super().execute_query, query, values)
        return result

    async def execute_query_dict(
        self, query: str, values: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await self._patiently(
            super().execute_query_dict, query, values, check=False
        )
        return rows

    async def _patiently(
        self, run: Callable[..., Awaitable[Any]], query: str, values: Any, check: bool = True
    ) -> Any:
        """``run(query, values)``, tried again while the database is locked (for up to
        ``write_wait`` seconds), the connection free in between; writes check the file."""
        if check and not query.lstrip()[:6].upper().startswith(("SELECT", "PRAGMA", "WITH")):
            self.check_file()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.write_wait
        pause = 0.01
        while True:
            try:
                return await run(query, values)
            except OperationalError as exc:
                cause = exc.args[0] if exc.args else None
                if not isinstance(cause, sqlite3.Error) or not busy(cause):
                    raise
                if loop.time() >= deadline:
                    raise
            await asyncio.sleep(pause)  # the connection is free for others meanwhile
            pause = min(pause * 2, 0.2)

    async def readiness(self) -> str | None:
        """See :func:`readiness`: the file, then the write lock, on a connection of our own
        that never waits (retried on the event loop for about a second)."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        try:
            if self.removed or now - self._checked_at >= FILE_CHECK_SECONDS:
                self._checked_at = now
                self.check_file()
        except DatabaseUnavailable as exc:
            return str(exc)
        if not self._on_disk():
            try:
                await self.execute_query("SELECT 1")
            except Exception:
                return "the database does not answer"
            return None
        deadline = now + READY_WAIT_SECONDS
        while True:
            try:
                with sqlite_connection(Path(self.filename)) as probe:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.execute("ROLLBACK")
                return None
            except sqlite3.Error as exc:
                if not busy(exc) or loop.time() >= deadline:
                    return f"the database cannot serve: {exc}"
            await asyncio.sleep(0.05)


class _GuardedTransaction(SqliteTransactionWrapper):
    """A transaction that will not commit into a removed file."""

    async def commit(self) -> None:
        parent = self._parent
        if isinstance(parent, GuardedSqliteClient):
            try:
                parent.check_file()
            except DatabaseUnavailable:
                await self.rollback()
                raise
        await super().commit()


class _ImmediateTransaction(SqliteTransactionContext):
    """Takes the write lock first; waits for it with the ORM's connection free."""

    async def __aenter__(self) -> TransactionalDBClient:
        parent = self.connection._parent
        loop = asyncio.get_running_loop()
        wait = parent.write_wait if isinstance(parent, GuardedSqliteClient) else 0.0
        deadline = loop.time() + wait
        pause = 0.01
        while True:
            if isinstance(parent, GuardedSqliteClient):
                parent.check_file()
            await self._trxlock.acquire()
            try:
                await self.ensure_connection()
                await self.connection._connection.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.Error as exc:
                self._trxlock.release()
                if not busy(exc) or loop.time() >= deadline:
                    raise OperationalError(exc) from exc
            except BaseException:
                self._trxlock.release()
                raise
            await asyncio.sleep(pause)  # reads (and other writes' attempts) run meanwhile
            pause = min(pause * 2, 0.2)
        self.token = get_connections().set(self.connection_name, self.connection)
        return self.connection  # type: ignore[no-any-return]


def busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _identity(filename: str) -> tuple[int, int] | None:
    try:
        status = os.stat(filename)
    except OSError:
        return None
    return status.st_dev, status.st_ino


client_class = GuardedSqliteClient  # what Tortoise looks for in an engine module
