"""The article listing (read model): kept in step with the translations it derives from.

``refresh`` runs inside the transaction of every write that changes what a list shows
(publish, unpublish, schedule, delete, restore, an edit that moves ``updated_at``, a new
translation); ``rebuild`` redoes every row, for a changed locale configuration
(``contentapi reindex``, and at start when the stored fingerprint differs).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from tortoise.transactions import in_transaction

from contentapi.articles.models import (
    Article,
    ArticleListing,
    ArticleTranslation,
    ReadModelState,
)
from contentapi.articles.visibility import is_live
from contentapi.i18n import Locales

logger = logging.getLogger("contentapi.listing")
STATE_NAME = "article_listing"
REBUILD_BATCH = 2000  # articles per round of a rebuild


def listing_rows(
    translations: Sequence[ArticleTranslation], locales: Locales
) -> list[ArticleListing]:
    """The listing rows of one article's translations (none if the article is deleted).

    For each requested locale, each live translation in its chain gets a row, served
    from its publication time until a better-ranked translation goes live.
    """
    live = [row for row in translations if is_live(row)]
    rows: list[ArticleListing] = []
    for requested in locales.codes:
        chain = locales.chain(requested)
        ranked = sorted(
            ((rank, row) for row in live if (rank := chain.rank(row.locale)) is not None),
            key=lambda pair: pair[0],
        )
        shadow = None  # the earliest moment a better-ranked translation is live
        for rank, row in ranked:
            assert row.published_at is not None
            if shadow is None or shadow > row.published_at:
                rows.append(
                    ArticleListing(
                        requested_locale=requested,
                        article_id=row.article_id,
                        translation_id=row.id,
                        locale=row.locale,
                        rank=rank,
                        published_at=row.published_at,
                        shadowed_from=shadow,
                        updated_at=row.updated_at,
                    )
                )
            shadow = row.published_at if shadow is None else min(shadow, row.published_at)
    return rows


async def refresh(article_ids: Sequence[int], locales: Locales) -> None:
    """Recompute the listing rows of these articles (call inside the write's transaction).

    The articles' rows are locked first (PostgreSQL; SQLite has one writer anyway), so two
    writes to one article at once take turns instead of inserting the same rows twice.
    """
    ids = list(article_ids)
    await Article.filter(id__in=ids).select_for_update().only("id")
    await ArticleListing.filter(
        requested_locale__in=list(locales.codes), article_id__in=ids
    ).delete()
    await _insert(ids, locales)


async def rebuild(locales: Locales, only_if_stale: bool = False) -> int | None:
    """Every listing row anew, in one transaction; the number of rows written.

    With ``only_if_stale``, nothing is done (None) when the listing was built for these
    chains already. Processes starting at once take turns (a lock on PostgreSQL, one
    writer on SQLite), so the second finds the work done.
    """
    written = 0
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_query("SELECT pg_advisory_xact_lock(7346001)")
        if only_if_stale and await _built_for(locales):
            return None
        await ArticleListing.all().delete()
        ids = (
            await Article.filter(deleted_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for start in range(0, len(ids), REBUILD_BATCH):
            written += await _insert([int(i) for i in ids[start : start + REBUILD_BATCH]], locales)  # type: ignore[call-overload]
        await ReadModelState.update_or_create(
            name=STATE_NAME, defaults={"fingerprint": locales.fingerprint()}
        )
    return written


async def ensure_current(locales: Locales) -> bool:
    """Rebuild when the listing was made for other locales or chains; True if it did."""
    if await _built_for(locales):
        return False  # the usual start: one read, no lock
    count = await rebuild(locales, only_if_stale=True)
    if count is None:
        return False
    logger.info("article listing rebuilt for %s: %d rows", locales.fingerprint(), count)
    return True


async def _built_for(locales: Locales) -> bool:
    state = await ReadModelState.get_or_none(name=STATE_NAME)
    return state is not None and state.fingerprint == locales.fingerprint()


async def _insert(article_ids: list[int], locales: Locales) -> int:
    # a deleted article's translations give no rows
    by_article: dict[int, list[ArticleTranslation]] = defaultdict(list)
    for row in await ArticleTranslation.filter(
        article_id__in=article_ids, article__deleted_at__isnull=True
    ).only("id", "article_id", "locale", "status", "published_at", "updated_at"):
        by_article[row.article_id].append(row)
    rows = [r for translations in by_article.values() for r in listing_rows(translations, locales)]
    if rows:
        await ArticleListing.bulk_create(rows, batch_size=500)
    return len(rows)
