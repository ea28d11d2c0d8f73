"""Editor lists: every translation of one locale, whatever its state, for editors and
translators (readers' lists are :func:`queries.list_articles`).

One row per article: its translation in exactly the locale asked for (no fallback),
filtered by state, pending changes, author, last change and words, newest change first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from contentapi import sql
from contentapi.articles.models import ArticleTranslation, PublicationStatus
from contentapi.articles.queries import CARD_FIELDS, ArticleOrder, Page, SortKey

_DRAFT, _SCHEDULED = PublicationStatus.DRAFT.value, PublicationStatus.SCHEDULED.value
_PUBLISHED, _UNPUBLISHED = PublicationStatus.PUBLISHED.value, PublicationStatus.UNPUBLISHED.value


class EditorialStatus(StrEnum):
    """A translation's state as an editor sees it (SCHEDULED whose time came: PUBLISHED)."""

    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    DELETED = "DELETED"  # the article is deleted (restoreArticle brings it back)


# each state as SQL over t (translation) and a (article); ? is now where it appears
_STATES: dict[EditorialStatus, tuple[str, int]] = {
    EditorialStatus.DRAFT: (f't."status" = \'{_DRAFT}\' AND a."deleted_at" IS NULL', 0),
    EditorialStatus.SCHEDULED: (
        f't."status" = \'{_SCHEDULED}\' AND t."published_at" > ? AND a."deleted_at" IS NULL',
        1,
    ),
    EditorialStatus.PUBLISHED: (
        f"(t.\"status\" = '{_PUBLISHED}' OR (t.\"status\" = '{_SCHEDULED}' "
        'AND t."published_at" <= ?)) AND a."deleted_at" IS NULL',
        1,
    ),
    EditorialStatus.UNPUBLISHED: (
        f't."status" = \'{_UNPUBLISHED}\' AND a."deleted_at" IS NULL',
        0,
    ),
    EditorialStatus.DELETED: ('a."deleted_at" IS NOT NULL', 0),
}
NOT_DELETED = tuple(s for s in EditorialStatus if s is not EditorialStatus.DELETED)


@dataclass(frozen=True)
class EditorialFilter:
    """What an editor narrows a list by; every part is optional."""

    statuses: tuple[EditorialStatus, ...] = NOT_DELETED
    has_pending_changes: bool | None = None
    author: str | None = None  # a token name that saved a revision of the translation
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    words: tuple[str, ...] = ()  # each must be in title, lead or body text (case-folded)


def sort_column(order: ArticleOrder) -> str:
    """The SQL value an editor list sorts on: a never-published translation sorts by its
    last change in the publication orders."""
    if order.field == "published_at":
        return 'COALESCE(t."published_at", t."updated_at")'
    return 't."updated_at"'


def sort_value(row: ArticleTranslation, order: ArticleOrder) -> datetime:
    """The value of :func:`sort_column` for a row in hand."""
    if order.field == "published_at" and row.published_at is not None:
        return row.published_at
    return row.updated_at


def _where(locale: str, now: datetime, flt: EditorialFilter) -> tuple[str, list[Any]]:
    states: list[str] = []
    params: list[Any] = [locale]
    for status in dict.fromkeys(flt.statuses):
        text, uses_now = _STATES[status]
        states.append(f"({text})")
        params += [now] * uses_now
    parts = ['t."locale" = ?', f"({' OR '.join(states) or '1 = 0'})"]
    if flt.has_pending_changes is not None:
        exists = 'EXISTS (SELECT 1 FROM "article_pending" p WHERE p."translation_id" = t."id")'
        parts.append(exists if flt.has_pending_changes else f"NOT {exists}")
    if flt.author is not None:
        # driven by the revisions' (author, locale, article) index: few rows per author
        parts.append(
            't."article_id" IN (SELECT r."article_id" FROM "article_revision" r '
            'WHERE r."author" = ? AND r."locale" = ?)'
        )
        params += [flt.author, locale]
    for op, value in ((">=", flt.updated_after), ("<", flt.updated_before)):
        if value is not None:
            parts.append(f't."updated_at" {op} ?')
            params.append(value)
    for word in flt.words:  # a substring: % and _ in the word are only themselves
        parts.append("t.\"search_text\" LIKE ? ESCAPE '\\'")
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    return " AND ".join(parts), params


_FROM = 'FROM "article_translation" t JOIN "article" a ON a."id" = t."article_id"'


async def list_translations(
    locale: str,
    now: datetime,
    flt: EditorialFilter,
    order: ArticleOrder,
    *,
    first: int,
    after: SortKey | None = None,
) -> Page:
    """A page of one locale's translations for editors, in ``order`` (keyset paged)."""
    where, params = _where(locale, now, flt)
    column = sort_column(order)
    if after is not None:
        later = ">" if not order.descending else "<"
        where += f' AND ({column}, t."article_id") {later} (?, ?)'
        params += [after.value, after.article_id]
    direction = "DESC" if order.descending else "ASC"
    rows = await sql.fetch(
        f"SELECT {sql.columns(ArticleTranslation, 't', names=CARD_FIELDS)} {_FROM} "
        f'WHERE {where} ORDER BY {column} {direction}, t."article_id" {direction} LIMIT ?',
        [*params, first + 1],
    )
    found = sql.as_models(ArticleTranslation, rows[:first])
    return Page(found, has_next=len(rows) > first, has_previous=after is not None)


async def count_translations(locale: str, now: datetime, flt: EditorialFilter) -> int:
    """How many translations the editor list has on all its pages."""
    where, params = _where(locale, now, flt)
    rows = await sql.fetch(f'SELECT COUNT(*) AS "n" {_FROM} WHERE {where}', params)
    return int(rows[0]["n"])


def words_of(text: str) -> tuple[str, ...]:
    """The words of an editor's search, case-folded as ``search_text`` is."""
    return tuple(word for word in text.casefold().split() if word)
