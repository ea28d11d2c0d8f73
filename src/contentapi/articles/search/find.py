"""Running a search: the matching translations readers see now, best first.

What a locale's readers see is the article listing (``articles.listing``): one row per
article, requested locale and translation served, with fallbacks. A search joins the
index to it, so it finds exactly what the lists show, in the translation they show.
Ranked by relevance (SQLite: bm25 with column weights; PostgreSQL: ts_rank with weights
A/B/D, normalised by length), then the newest, then the highest article id. Pages are
offsets into that order, at most :data:`MAX_DEPTH` results deep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import connections

from contentapi import sql
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.queries import CARD_FIELDS
from contentapi.articles.search.query import SearchQuery

MAX_DEPTH = 1000  # results a search pages through: the 1,000 best
# bm25 weights of the index's title, lead and body (PostgreSQL's defaults: A 1, B 0.4, D 0.1)
WEIGHTS = (10.0, 4.0, 1.0)

# CROSS JOIN: SQLite then joins in the order written, from the index's matches out; left
# to itself it walks the locale's whole listing and runs the MATCH once per row
_SQLITE_FROM = (
    'FROM "article_search" CROSS JOIN "article_translation" t '
    'ON t."id" = "article_search"."rowid" '
    'CROSS JOIN "article_listing" l ON l."requested_locale" = ? '
    'AND l."article_id" = t."article_id" '
    'AND l."translation_id" = t."id" '
    'WHERE "article_search" MATCH ?'
)
_PG_FROM = (
    'FROM "article_translation" t JOIN "article_listing" l ON l."requested_locale" = ? '
    'AND l."article_id" = t."article_id" AND l."translation_id" = t."id" '
    'WHERE t."search_vector" @@ ({tsquery})'
)
_VISIBLE_NOW = ' AND l."published_at" <= ? AND (l."shadowed_from" IS NULL OR l."shadowed_from" > ?)'
# the same on SQLite, where "+" keeps published_at from choosing the listing's index: the
# unique (requested_locale, article_id, rank) one finds each match's row at once
_SQLITE_VISIBLE_NOW = _VISIBLE_NOW.replace('l."published_at"', '+l."published_at"')
# includeFallbacks: false, only translations written in the requested locale
_OWN_LOCALE = ' AND l."rank" = 0'
_ORDER = ' ORDER BY "score" DESC, l."published_at" DESC, l."article_id" DESC LIMIT ? OFFSET ?'


@dataclass(frozen=True)
class Hit:
    """A translation found (its card fields, as lists read them) and its relevance."""

    row: ArticleTranslation
    score: float


@dataclass(frozen=True)
class Hits:
    """A page of results, and whether more follow (within :data:`MAX_DEPTH`)."""

    hits: list[Hit]
    has_next: bool


def _postgres() -> bool:
    client: BaseDBAsyncClient = connections.get("default")
    return client.capabilities.dialect == "postgres"


@dataclass(frozen=True)
class _Statement:
    """The parts of a search statement: the score, FROM ... WHERE, and their parameters."""

    score: str
    score_params: list[Any]
    where: str
    where_params: list[Any]


def _statement(
    query: SearchQuery, requested: str, now: datetime, include_fallbacks: bool
) -> _Statement:
    own = "" if include_fallbacks else _OWN_LOCALE
    if _postgres():
        tsquery, words = query.tsquery()
        return _Statement(
            f'ts_rank(t."search_vector", ({tsquery}), 1)',
            words,
            _PG_FROM.format(tsquery=tsquery) + _VISIBLE_NOW + own,
            [requested, *words, now, now],
        )
    weights = ", ".join(map(str, WEIGHTS))
    return _Statement(
        f'-bm25("article_search", {weights})',
        [],
        _SQLITE_FROM + _SQLITE_VISIBLE_NOW + own,
        [requested, query.fts5(), now, now],
    )


async def search(
    query: SearchQuery,
    requested: str,
    now: datetime,
    offset: int,
    size: int,
    include_fallbacks: bool = True,
) -> Hits:
    """The page of results from ``offset`` on (at most ``size``) for ``requested`` readers.

    One statement; a query without terms sends none. Without ``include_fallbacks``, only
    translations written in ``requested`` are found.
    """
    size = min(size, MAX_DEPTH - offset)
    if not query.terms or size < 0:
        return Hits([], has_next=False)
    parts = _statement(query, requested, now, include_fallbacks)
    columns = sql.columns(ArticleTranslation, "t", names=CARD_FIELDS)
    rows = await sql.fetch(
        f'SELECT {columns}, {parts.score} AS "score" {parts.where}{_ORDER}',
        [*parts.score_params, *parts.where_params, size + 1, offset],
    )
    hits = [Hit(sql.as_model(ArticleTranslation, row), float(row["score"])) for row in rows[:size]]
    return Hits(hits, has_next=len(rows) > size and offset + size < MAX_DEPTH)


async def count(
    query: SearchQuery, requested: str, now: datetime, include_fallbacks: bool = True
) -> int:
    """How many translations match, on every page (``totalCount``, only when asked)."""
    if not query.terms:
        return 0
    parts = _statement(query, requested, now, include_fallbacks)
    rows = await sql.fetch(f'SELECT COUNT(*) AS "n" {parts.where}', parts.where_params)
    return int(rows[0]["n"])
