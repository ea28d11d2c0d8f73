"""Hand-written SQL for the hot read paths, on SQLite and PostgreSQL alike.

Building a statement through the ORM's query builder costs more CPU than running it
(profiled: about 60 % of an article page), so the few statements every page view sends
are written out here once, with ``?`` placeholders. Rows come back as Tortoise models,
so nothing above this layer can tell. Every value is a parameter; only placeholders and
column lists are put into the text. The schema stays defined by the models and their
migrations, and every write but one (below) goes through the ORM.

On PostgreSQL the statements run on Tortoise's own connection. On SQLite, a short
indexed read costs less than the hop to aiosqlite's thread, so outside a transaction
they run on a connection of this process, on the event loop's thread (WAL lets it read
while another connection writes; the plan tests keep these statements index-bound).
:func:`insert` does the same for a one-row insert outside a transaction (a reader's
comment): it never waits for the write lock, and when another writer holds it the
insert goes through the ORM instead. Nothing here ever blocks the loop on a lock.

:func:`count_statements` counts every statement a request sends (these and the ORM's)
and the time they run, into the request's :class:`~contentapi.request_context.RequestInfo`.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from tortoise.backends.base.client import (
    BaseDBAsyncClient,
    ConnectionWrapper,
    PoolConnectionWrapper,
    TransactionalDBClient,
)
from tortoise.connection import connections
from tortoise.exceptions import IntegrityError
from tortoise.fields import DatetimeField
from tortoise.models import Model

from contentapi.request_context import CURRENT

M = TypeVar("M", bound=Model)
_MARK = re.compile(r"\?")


@lru_cache(maxsize=256)
def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list of ``count`` values (at least one)."""
    return ", ".join("?" * max(count, 1))


@lru_cache(maxsize=64)
def columns(
    model: type[Model], alias: str, prefix: str = "", names: tuple[str, ...] | None = None
) -> str:
    """``t."id" AS "id", ...``: the model's columns (or ``names``), renamed ``prefix + name``."""
    chosen = names if names is not None else sorted(model._meta.db_fields)
    return ", ".join(f'{alias}."{name}" AS "{prefix}{name}"' for name in chosen)


@lru_cache(maxsize=512)
def _numbered(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _MARK.sub(lambda _: f"${next(counter)}", sql)


def _client() -> BaseDBAsyncClient:
    client: BaseDBAsyncClient = connections.get("default")
    return client


async def fetch(sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of one statement as dicts; ``?`` placeholders on every database."""
    client = _client()
    dialect = client.capabilities.dialect
    if dialect == "postgres":
        sql = _numbered(sql)
    elif dialect == "sqlite" and not isinstance(client, TransactionalDBClient):
        rows = _read_now(client, sql, params)
        if rows is not None:
            return rows
    return await client.execute_query_dict(sql, list(params))


_readers: dict[tuple[int, str], sqlite3.Connection] = {}  # by thread (event loop) and file
_log = logging.getLogger("tortoise.db_client")  # where the ORM's statements are logged
STATEMENT = "%s: %s"  # the format every statement is logged with, just before it runs


def count_statements() -> None:
    """Count each request's statements and their time (once per process; cheap).

    Every statement, the ORM's and this module's, is logged on ``tortoise.db_client``
    just before it runs (what the tests' ``count_queries`` reads): the logger's ``debug``
    is wrapped to count it whether or not debug logging is on. A statement of the ORM
    ends when it gives its connection back (the exit of Tortoise's connection wrappers);
    one of this module's, when it returns.
    """
    if getattr(_log, "_contentapi_counting", False):
        return
    logged = _log.debug

    def debug(msg: object, *args: object, **kwargs: Any) -> None:
        if msg == STATEMENT:
            info = CURRENT.get()
            if info is not None:
                info.statement_started()
        if _log.isEnabledFor(logging.DEBUG):
            kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 1  # the caller's line
            logged(msg, *args, **kwargs)

    _log.debug = debug  # type: ignore[method-assign]
    _log._contentapi_counting = True  # type: ignore[attr-defined]
    for wrapper in (ConnectionWrapper, PoolConnectionWrapper):
        _end_statements_on_exit(wrapper)


def _end_statements_on_exit(wrapper: type[Any]) -> None:
    release = wrapper.__aexit__

    async def __aexit__(self: Any, exc_type: Any, exc: Any, tb: Any) -> None:
        _statement_ended()
        await release(self, exc_type, exc, tb)

    wrapper.__aexit__ = __aexit__


def _statement_ended() -> None:
    info = CURRENT.get()
    if info is not None:
        info.statement_ended()


def _connection(client: BaseDBAsyncClient) -> sqlite3.Connection | None:
    filename = str(getattr(client, "filename", ":memory:"))
    if filename == ":memory:" or filename.startswith("file::memory:"):
        return None  # another connection would see another database
    key = (threading.get_ident(), filename)
    connection = _readers.get(key)
    if connection is None:
        if getattr(client, "removed", False):
            return None  # the file was removed or replaced: the ORM's connection still reads it
        # no busy timeout: this runs on the event loop, which must never wait for a lock
        # mode=rw: never creates a file (one removed under us must not come back empty)
        connection = sqlite3.connect(
            f"{Path(filename).resolve().as_uri()}?mode=rw",
            uri=True,
            timeout=0,
            isolation_level=None,
            check_same_thread=False,
        )  # used by its own thread only; closed from whichever thread closes the database
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")  # as the ORM's connection (WAL)
        # a page cache of 32 MiB (SQLite's default is 2 MiB): index pages of a large
        # archive stay in memory; the bound does not grow with the archive
        connection.execute("PRAGMA cache_size = -32768")
        _readers[key] = connection
    return connection


def _read_now(
    client: BaseDBAsyncClient, sql: str, params: Sequence[Any]
) -> list[dict[str, Any]] | None:
    reader = _connection(client)
    if reader is None:
        return None
    _log.debug(STATEMENT, sql, list(params))
    try:
        return [dict(row) for row in reader.execute(sql, list(params)).fetchall()]
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        return None  # a checkpoint or a schema change holds it: ask the ORM's connection
    finally:
        _statement_ended()


async def insert(model: type[M], values: dict[str, Any]) -> M:
    """One new row, as ``model.create(**values)`` writes it; the instance comes back."""
    client = _client()
    if client.capabilities.dialect == "sqlite" and not isinstance(client, TransactionalDBClient):
        created = _insert_now(client, model, values)
        if created is not None:
            return created
    return await model.create(**values)


def _insert_now(client: BaseDBAsyncClient, model: type[M], values: dict[str, Any]) -> M | None:
    reader = _connection(client)
    if reader is None:
        return None
    check_file = getattr(client, "check_file", None)  # db.GuardedSqliteClient's guard
    if check_file is not None:
        check_file()  # never into a database file that was removed
    meta = model._meta
    row: dict[str, Any] = {}
    for name in meta.db_fields:
        if name == meta.db_pk_column:
            continue
        field = meta.fields_map[meta.fields_db_projection_reverse.get(name, name)]
        if name in values:
            row[name] = field.to_db_value(values[name], model)
        elif field.null:
            row[name] = None
        else:
            return None  # the ORM knows the defaults
    names = ", ".join(f'"{name}"' for name in row)
    sql = f'INSERT INTO "{meta.db_table}" ({names}) VALUES ({marks(len(row))})'
    _log.debug(STATEMENT, sql, list(row.values()))
    try:
        cursor = reader.execute(sql, list(row.values()))
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        return None  # another writer holds the lock: the ORM's connection waits for it
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(str(exc)) from exc
    finally:
        _statement_ended()
    return as_model(model, {**row, meta.db_pk_column: cursor.lastrowid})


def close_readers() -> None:
    """Close this process's SQLite read connections (when the database closes)."""
    for reader in _readers.values():
        reader.close()
    _readers.clear()


def as_models(model: type[M], rows: Iterable[dict[str, Any]]) -> list[M]:
    """Rows that name every column of ``model`` as model instances (as the ORM makes them)."""
    return [as_model(model, row) for row in rows]


def as_model(
    model: type[M], row: dict[str, Any], prefix: str = "", names: Iterable[str] | None = None
) -> M:
    """One instance from the (``prefix``-named) columns of a row (``names``, or all); a
    partial one (as ``.only()`` makes) when columns are missing.

    What Tortoise's ``_init_from_db`` does, without its per-attribute ``__setattr__``:
    the same conversions, and datetimes parsed once (the configured zone is UTC, in which
    the databases give them back). ``tests/test_sql.py`` holds the two to the same rows.
    """
    if prefix:
        chosen = model._meta.db_fields if names is None else names
        values = {name: row[prefix + name] for name in chosen}
    else:
        values = row
    meta = model._meta
    instance = model.__new__(model)
    state = instance.__dict__
    state["_saved_in_db"] = True
    state["_custom_generated_pk"] = meta.db_pk_column not in meta.generated_db_fields
    state["_await_when_save"] = {}
    partial = False
    for key, name, _ in meta.db_native_fields:
        if key in values:
            state[name] = values[key]
        else:
            partial = True
    for key, name, field in meta.db_default_fields:
        if key in values:
            value = values[key]
            state[name] = None if value is None else field.field_type(value)
        else:
            partial = True
    for key, name, field in meta.db_complex_fields:
        if key not in values:
            partial = True
            continue
        value = values[key]
        if isinstance(value, str) and isinstance(field, DatetimeField):
            value = datetime.fromisoformat(value)  # SQLite keeps ISO text
        if not isinstance(value, datetime) or value.tzinfo is None:
            value = field.to_python_value(value)
        state[name] = value
    state["_partial"] = partial
    return instance
