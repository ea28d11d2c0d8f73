"""Translation status per locale: what is missing, outdated or up to date.

An article (not deleted, with at least one translation) is MISSING in a locale without
a translation there (translate from its oldest translation), OUTDATED when its
translation there was made from a source translation whose version has moved on since
(``source_version``), and up to date otherwise. Media and tag texts keep no source
version: they are missing or there.

Everything is counted in SQL: the counts are one aggregate statement, and the articles
needing work come a page at a time, in article id order (a keyset), one statement each.
Neither reads more rows than it needs into Python, whatever the archive's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from contentapi import sql


class WorkState(StrEnum):
    """Why an item needs a translator."""

    MISSING = "MISSING"
    OUTDATED = "OUTDATED"


@dataclass(frozen=True)
class KindStatus:
    """Counts for one kind of content."""

    kind: str
    missing: int
    outdated: int
    up_to_date: int


@dataclass(frozen=True)
class WorkItem:
    """An article whose translation into the locale needs work."""

    article_id: int
    state: WorkState
    source_locale: str
    source_title: str


@dataclass(frozen=True)
class WorkPage:
    """A page of the articles needing work, in article id order."""

    items: list[WorkItem]
    has_next: bool


# the article and its translation in the locale (m), if any
_MINE = (
    'FROM "article" a LEFT JOIN "article_translation" m '
    'ON m."article_id" = a."id" AND m."locale" = ?'
)
# the translation to work from: the oldest one when the locale has none, else the source
# of the locale's translation, only if it changed after (a NULL: no work, no row)
_SOURCE_ID = (
    'CASE WHEN m."id" IS NULL THEN (SELECT MIN(x."id") FROM "article_translation" x '
    'WHERE x."article_id" = a."id") ELSE (SELECT o."id" FROM "article_translation" o '
    'WHERE o."article_id" = a."id" AND o."locale" = m."source_locale" '
    'AND o."version" > m."source_version") END'
)
_STATE_TEST = {WorkState.MISSING: 'm."id" IS NULL', WorkState.OUTDATED: 'm."id" IS NOT NULL'}


async def work_page(
    locale: str, first: int, after: int | None = None, state: WorkState | None = None
) -> WorkPage:
    """The first ``first`` articles after article id ``after`` needing work in ``locale``
    (only those in ``state``, if given), by article id."""
    if first == 0:
        return WorkPage([], has_next=False)
    where = 'a."deleted_at" IS NULL'
    params: list[Any] = [locale]
    if after is not None:
        where += ' AND a."id" > ?'
        params.append(after)
    if state is not None:
        where += f" AND {_STATE_TEST[state]}"
    rows = await sql.fetch(
        'SELECT a."id" AS "article_id", m."id" AS "mine", s."locale" AS "source_locale", '
        f's."title" AS "source_title" {_MINE} '
        f'JOIN "article_translation" s ON s."id" = ({_SOURCE_ID}) '
        f'WHERE {where} ORDER BY a."id" LIMIT ?',
        [*params, first + 1],
    )
    items = [
        WorkItem(
            int(row["article_id"]),
            WorkState.MISSING if row["mine"] is None else WorkState.OUTDATED,
            str(row["source_locale"]),
            str(row["source_title"]),
        )
        for row in rows[:first]
    ]
    return WorkPage(items, has_next=len(rows) > first)


async def status_counts(locale: str) -> list[KindStatus]:
    """Counts per kind (articles, images, videos, tags) in ``locale``: one statement."""
    rows = await sql.fetch(
        'SELECT COUNT(*) AS "articles", COUNT(m."id") AS "translated", '
        'COALESCE(SUM(CASE WHEN s."version" > m."source_version" THEN 1 ELSE 0 END), 0) '
        'AS "outdated", '
        '(SELECT COUNT(*) FROM "image") AS "images", '
        '(SELECT COUNT(*) FROM "image_translation" WHERE "locale" = ?) AS "image_texts", '
        '(SELECT COUNT(*) FROM "video") AS "videos", '
        '(SELECT COUNT(*) FROM "video_translation" WHERE "locale" = ?) AS "video_texts", '
        '(SELECT COUNT(*) FROM "tag") AS "tags", '
        '(SELECT COUNT(*) FROM "tag_translation" WHERE "locale" = ?) AS "tag_texts" '
        f'{_MINE} LEFT JOIN "article_translation" s '
        'ON s."article_id" = a."id" AND s."locale" = m."source_locale" '
        'WHERE a."deleted_at" IS NULL AND (m."id" IS NOT NULL OR EXISTS '
        '(SELECT 1 FROM "article_translation" x WHERE x."article_id" = a."id"))',
        [locale, locale, locale, locale],
    )
    n = {key: int(value or 0) for key, value in rows[0].items()}
    outdated = n["outdated"]
    return [
        KindStatus(
            "ARTICLE", n["articles"] - n["translated"], outdated, n["translated"] - outdated
        ),
        _texts("IMAGE", n["images"], n["image_texts"]),
        _texts("VIDEO", n["videos"], n["video_texts"]),
        _texts("TAG", n["tags"], n["tag_texts"]),
    ]


def _texts(kind: str, total: int, translated: int) -> KindStatus:
    # media and tag texts keep no source version: they are missing or there
    return KindStatus(kind, total - translated, 0, translated)


def work_count(articles: KindStatus, state: WorkState | None) -> int:
    """How many articles need work (in ``state``, if given), from the ARTICLE counts."""
    if state is WorkState.MISSING:
        return articles.missing
    if state is WorkState.OUTDATED:
        return articles.outdated
    return articles.missing + articles.outdated
