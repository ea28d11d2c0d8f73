"""What the sitemap and the feeds read: visible translations, in pages a few thousand long.

The sitemap walks every visible translation in id order, by keyset (``t.id > ?``), so an
archive of any size is read batch by batch and never held at once. A feed is one locale's
newest visible translations, written in that locale (no fallbacks), from the listing
index in publication order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from contentapi import sql
from contentapi.articles.html import plain_text
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.queries import CARD_FIELDS, visible_translations
from contentapi.articles.visibility import visible_sql

_VISIBLE_FROM = 'FROM "article_translation" t JOIN "article" a ON a."id" = t."article_id"'
SUMMARY_LENGTH = 300  # characters of body text when a translation has no lead


@dataclass(frozen=True)
class SitemapEntry:
    """One page of the sitemap: a translation and every visible one of its article
    (locale -> slug, itself included), for the hreflang alternates."""

    locale: str
    slug: str
    updated_at: datetime
    slugs: dict[str, str]


async def count_visible(now: datetime) -> int:
    """How many translations a reader may see (the sitemap's URLs)."""
    rows = await sql.fetch(
        f'SELECT COUNT(*) AS "n" {_VISIBLE_FROM} WHERE {visible_sql("t", "a")}', [now]
    )
    return int(rows[0]["n"])


async def sitemap_entries(
    now: datetime, skip: int, limit: int, batch: int
) -> AsyncIterator[list[SitemapEntry]]:
    """Visible translations ``skip`` to ``skip + limit`` in id order, ``batch`` at a time
    (two statements a batch: the translations, then their articles' visible ones)."""
    after = await _start(now, skip)  # the first id, included
    left = limit
    while left > 0 and after is not None:
        size = min(batch, left)
        rows = await sql.fetch(
            'SELECT t."id" AS "id", t."article_id" AS "article_id", t."locale" AS "locale", '
            f't."slug" AS "slug", t."updated_at" AS "updated_at" {_VISIBLE_FROM} '
            f'WHERE {visible_sql("t", "a")} AND t."id" >= ? ORDER BY t."id" LIMIT ?',
            [now, after, size],
        )
        found = sql.as_models(ArticleTranslation, rows)
        if not found:
            return
        siblings = await visible_translations(sorted({r.article_id for r in found}), now)
        yield [
            SitemapEntry(
                row.locale,
                row.slug,
                row.updated_at,
                {code: t.slug for code, t in siblings.get(row.article_id, {}).items()},
            )
            for row in found
        ]
        left -= len(found)
        after = found[-1].id + 1 if len(found) == size else None


async def _start(now: datetime, skip: int) -> int | None:
    """The id of the visible translation at place ``skip`` (from 0), or None past the end."""
    rows = await sql.fetch(
        f'SELECT t."id" AS "id" {_VISIBLE_FROM} WHERE {visible_sql("t", "a")} '
        'ORDER BY t."id" LIMIT 1 OFFSET ?',
        [now, skip],
    )
    return int(rows[0]["id"]) if rows else None


@dataclass(frozen=True)
class FeedItem:
    """One entry of a locale's feed."""

    article_id: int
    locale: str
    title: str
    slug: str
    summary: str  # plain text
    published_at: datetime
    updated_at: datetime


async def feed_items(locale: str, now: datetime, limit: int) -> list[FeedItem]:
    """The newest ``limit`` visible translations written in ``locale``, newest first.

    The listing's rows for ``locale`` in its own locale (rank 0): its index gives the
    publication order, and a deleted article has no rows there.
    """
    names = (*CARD_FIELDS, "body")
    rows = await sql.fetch(
        f"SELECT {sql.columns(ArticleTranslation, 't', names=names)} "
        'FROM "article_listing" l JOIN "article_translation" t ON t."id" = l."translation_id" '
        'WHERE l."requested_locale" = ? AND l."rank" = 0 AND l."published_at" <= ? '
        'AND (l."shadowed_from" IS NULL OR l."shadowed_from" > ?) '
        'ORDER BY l."published_at" DESC, l."article_id" DESC LIMIT ?',
        [locale, now, now, limit],
    )
    items = []
    for row in sql.as_models(ArticleTranslation, rows):
        assert row.published_at is not None
        items.append(
            FeedItem(
                article_id=row.article_id,
                locale=row.locale,
                title=row.title,
                slug=row.slug,
                summary=summary(row.lead, row.body),
                published_at=row.published_at,
                updated_at=row.updated_at,
            )
        )
    return items


def summary(lead: str | None, body: str) -> str:
    """The lead as plain text; without one, the body's first words (at most
    :data:`SUMMARY_LENGTH` characters, cut at a word, with an ellipsis)."""
    text = plain_text(lead) if lead and lead.strip() else ""
    if text:
        return text
    words = plain_text(body)
    if len(words) <= SUMMARY_LENGTH:
        return words
    return words[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
