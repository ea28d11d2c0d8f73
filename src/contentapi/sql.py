"""Hand-written SQL for the hot read paths, on SQLite and PostgreSQL alike.

Building a statement through the ORM's query builder costs more CPU than running it
(profiled: about 60 % of an article page), so the few statements every page view sends
are written out here once, with ``?`` placeholders, and run through Tortoise's own
connection (its transactions and logging still apply). Rows come back as Tortoise
models, so nothing above this layer can tell. Every value is a parameter; only
placeholders and column lists are put into the text. The schema stays defined by the
models and their migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import connections
from tortoise.models import Model

M = TypeVar("M", bound=Model)
_MARK = re.compile(r"\?")


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
    if client.capabilities.dialect == "postgres":
        sql = _numbered(sql)
    return await client.execute_query_dict(sql, list(params))


def as_models(model: type[M], rows: Iterable[dict[str, Any]]) -> list[M]:
    """Rows that name every column of ``model`` as model instances (as the ORM makes them)."""
    return [model._init_from_db(**row) for row in rows]


def as_model(model: type[M], row: dict[str, Any], prefix: str = "") -> M:
    """One instance from the ``prefix``-named columns of a joined row."""
    if not prefix:
        return model._init_from_db(**row)
    return model._init_from_db(**{name: row[prefix + name] for name in model._meta.db_fields})
