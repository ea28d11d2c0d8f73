"""Tortoise ORM: configuration from settings, migrations, start and stop, and database faults.

Faults end in answers, not hangs: SQLite goes through ``sqlite_client`` (write-lock waits
that leave reads free, a removed file takes no writes), and :func:`readiness` tries a real
write lock. :func:`unavailable` tells a database fault (locked, read-only,
gone, unreachable) from a bug, so the API can answer ``UNAVAILABLE`` instead of
``INTERNAL_ERROR``.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import connections
from tortoise.context import TortoiseContext
from tortoise.exceptions import DBConnectionError, OperationalError
from tortoise.migrations.api import migrate as run_migrations

from contentapi import sql, sqlite_client
from contentapi.errors import ConfigError
from contentapi.settings import Settings
from contentapi.sqlite_client import (
    READY_WAIT_SECONDS,
    WRITE_WAIT_SECONDS,
    DatabaseUnavailable,
    GuardedSqliteClient,
    sqlite_connection,
)

APP_LABEL = "contentapi"
MODEL_MODULES = [
    "contentapi.articles.models",
    "contentapi.media.models",
    "contentapi.comments.models",
    "contentapi.auth.models",
    "contentapi.events.models",
    "contentapi.idempotency.models",
]
MIGRATIONS_TABLE = "tortoise_migrations"  # Tortoise's record of applied migrations

UNAVAILABLE_MESSAGE = "The database is not available; try again"
RETRY_AFTER_SECONDS = 5  # what an UNAVAILABLE answer suggests (extensions.retryAfter)
PG_LOCK_TIMEOUT = "5s"  # a PostgreSQL statement waits this long for a row or table lock
PG_CONNECT_TIMEOUT = 5.0  # seconds to open a PostgreSQL connection (asyncpg's default: 60)


def tortoise_config(settings: Settings, *, guarded: bool = True) -> dict[str, Any]:
    """The Tortoise config for ``settings.database_url``.

    SQLite goes through :class:`GuardedSqliteClient` (unless not ``guarded``: Tortoise's
    migrations pick their SQL dialect by the client's module); PostgreSQL connections get
    a lock timeout and a connect timeout unless the URL sets its own (``?timeout=``).
    """
    connection = expand_db_url(settings.database_url)
    credentials = connection["credentials"]
    if connection["engine"] == "tortoise.backends.sqlite" and guarded:
        connection["engine"] = sqlite_client.__name__  # its client_class
        # half the request's time: the answer is UNAVAILABLE, not the request's TIMEOUT
        credentials["write_wait_seconds"] = min(
            WRITE_WAIT_SECONDS, settings.request_timeout_seconds / 2
        )
    elif connection["engine"].startswith("tortoise.backends.asyncpg"):
        credentials.setdefault("timeout", PG_CONNECT_TIMEOUT)
        server = dict(credentials.get("server_settings") or {})
        server.setdefault("lock_timeout", PG_LOCK_TIMEOUT)
        credentials["server_settings"] = server
    return {
        "connections": {"default": connection},
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


def _sqlite_path(database_url: str) -> Path | None:
    if not database_url.startswith("sqlite://") or ":memory:" in database_url:
        return None
    return Path(database_url.removeprefix("sqlite://").split("?", 1)[0])


def _ensure_sqlite_folder(database_url: str) -> None:
    path = _sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


async def _tune_sqlite(ctx: TortoiseContext) -> None:
    connection = ctx.connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        # WAL lets readers go on while one writer writes.
        await connection.execute_script(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        )


async def migrate(settings: Settings) -> None:
    """Apply every pending migration to the configured database (creating it if need be)."""
    _ensure_sqlite_folder(settings.database_url)
    async with TortoiseContext():
        await run_migrations(config=tortoise_config(settings, guarded=False))


async def existing_database_problem(settings: Settings) -> str | None:
    """Why the configured database is not one to serve from (missing file, no migrations
    applied), or None when it has its schema."""
    path = _sqlite_path(settings.database_url)
    if path is not None:
        if not path.is_file():
            return f"the database file {path} does not exist"
        try:
            with sqlite_connection(path, readonly=True) as connection:
                found = connection.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?", (MIGRATIONS_TABLE,)
                ).fetchone()[0]
                count = f'SELECT count(*) FROM "{MIGRATIONS_TABLE}"'
                applied = found and connection.execute(count).fetchone()[0]
        except sqlite3.Error as exc:
            return f"the database file {path} cannot be read ({exc})"
        return None if applied else f"the database {path} is empty (no migrations applied)"
    if settings.database_url.startswith("sqlite://"):
        return None  # in memory: always new
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings))
        client = ctx.connections.get("default")
        found = await client.execute_query_dict(
            "SELECT count(*) AS n FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name = $1",
            [MIGRATIONS_TABLE],
        )
        rows = found[0]["n"] and await client.execute_query_dict(
            f'SELECT count(*) AS n FROM "{MIGRATIONS_TABLE}"'
        )
        if not rows or not rows[0]["n"]:
            return "the database is empty (no migrations applied)"
    return None


@asynccontextmanager
async def database(
    settings: Settings, *, global_fallback: bool = True, create: bool = False
) -> AsyncIterator[None]:
    """Migrate, then keep Tortoise open for the duration of the block.

    With ``settings.require_existing_db`` a missing or empty database is a
    :class:`ConfigError` unless ``create`` (``contentapi migrate`` makes new ones).
    Tortoise 1.x keeps its state in a context variable; a lifespan runs in another
    task than the requests, so the context is also set as the global fallback.
    """
    if settings.require_existing_db and not create:
        problem = await existing_database_problem(settings)
        if problem:
            raise ConfigError(
                f"{problem}; run `contentapi migrate` to create it, or set "
                "CONTENTAPI_REQUIRE_EXISTING_DB=false to create a new one at start"
            )
    await migrate(settings)
    # Tortoise keeps each model's INSERT by connection name, not by database: a process
    # that opened another database before (SQLite, then PostgreSQL) would send it "?" marks
    EXECUTOR_CACHE.clear()
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings), _enable_global_fallback=global_fallback)
        await _tune_sqlite(ctx)
        try:
            yield
        finally:
            sql.close_readers()


async def ping() -> bool:
    """True when the database answers a trivial query."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


async def readiness() -> str | None:
    """Why the database cannot serve reads and writes now, or None when it can.

    SQLite: the file is still the one opened, and ``BEGIN IMMEDIATE; ROLLBACK`` gets the
    write lock within about a second (tried without blocking the event loop).
    PostgreSQL: a read answers and the session is not read-only, within a second.
    """
    client = connections.get("default")
    if isinstance(client, GuardedSqliteClient):
        return await client.readiness()
    try:
        async with asyncio.timeout(READY_WAIT_SECONDS):
            _, rows = await client.execute_query("SHOW transaction_read_only")
    except TimeoutError:
        return "the database did not answer in time"
    except Exception as exc:
        return _reason(exc)
    if str(rows[0][0]).lower() == "on":
        return "the database is read-only"
    return None


def unavailable(exc: BaseException) -> bool:
    """True when ``exc`` (or what it wraps) is a database fault a retry may get past:
    locked or busy, read-only, gone, disk full or failing, unreachable, a lock timeout."""
    return any(_is_fault(error) for error in _chain(exc))


_SQLITE_FAULTS = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_FULL",
)
_PG_FAULTS = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.ReadOnlySQLTransactionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.DeadlockDetectedError,
)


def _is_fault(error: BaseException) -> bool:
    if isinstance(error, DatabaseUnavailable | DBConnectionError | ConnectionError):
        return True
    if isinstance(error, (socket.gaierror, *_PG_FAULTS)):
        return True
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        return name.startswith(_SQLITE_FAULTS)
    return False


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, what it was raised from or during, and exceptions it holds as arguments
    (Tortoise wraps the driver's error as ``OperationalError(error)``)."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        pending.extend(arg for arg in error.args if isinstance(arg, BaseException))
        pending.extend(e for e in (error.__cause__, error.__context__) if e is not None)


def _reason(exc: BaseException) -> str:
    """A short reason for readiness answers (driver messages carry no request values)."""
    for error in _chain(exc):
        if isinstance(error, DatabaseUnavailable):
            return str(error)
    if isinstance(exc, sqlite3.Error | OperationalError | asyncpg.PostgresError | OSError):
        return f"the database cannot serve: {exc}"
    return f"the database cannot serve: {type(exc).__name__}"
