"""Publishing: publish now or at a time, unpublish, delete and restore, and the job that
turns scheduled translations whose time has come into published ones.

Each change to what readers see keeps the list read model in step and records its
events in the write's outbox (webhook rows in the same transaction).
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from contentapi import sql
from contentapi.articles import listing, pending
from contentapi.articles.actor import Actor
from contentapi.articles.events import PUBLISHED, SCHEDULED, UNPUBLISHED, ArticleEvent
from contentapi.articles.links import images_missing_alt
from contentapi.articles.models import (
    Article,
    ArticlePending,
    ArticleTranslation,
    PublicationStatus,
)
from contentapi.articles.validation import (
    REQUIRED_TO_PUBLISH,
    live_article,
    missing_content,
    translation,
)
from contentapi.articles.visibility import is_visible, visible_sql
from contentapi.errors import DomainError, ErrorCode, not_found
from contentapi.events.outbox import Outbox
from contentapi.moments import optional_utc


async def publish(
    article_id: int, locale: str, at: datetime | None, actor: Actor, outbox: Outbox
) -> ArticleTranslation:
    """Publish now, or schedule for ``at``. The first publication date is kept on re-publish."""
    at = optional_utc(at, "at")
    await live_article(article_id)
    row = await translation(article_id, locale)
    waiting = await pending.of(row)
    shown = pending.overlay(row, waiting) if waiting else row
    missing = [f for f in REQUIRED_TO_PUBLISH if not (getattr(shown, f) or "").strip()]
    if missing:
        raise missing_content(missing, "Cannot publish without")
    missing_alt = await images_missing_alt(article_id, locale)
    if missing_alt:
        raise DomainError(
            ErrorCode.MISSING_ALT_TEXT,
            f"Images without alt text in {locale}: {', '.join(map(str, missing_alt))}",
            field="images",
            params={"images": ", ".join(map(str, missing_alt)), "locale": locale},
            extensions={"imageIds": missing_alt},
        )
    scheduled = at is not None and at > actor.now
    if waiting is not None and scheduled and is_visible(row, actor.now):
        # the live text stays until ``at``; the job applies the pending changes then
        pending.check_base(row, waiting)
        await ArticlePending.filter(id=waiting.id).update(publish_at=at)
        return row
    status = PublicationStatus.SCHEDULED if scheduled else PublicationStatus.PUBLISHED
    published_at = at or row.published_at or actor.now
    if not scheduled and published_at > actor.now:
        published_at = actor.now
    async with in_transaction():
        if waiting is not None:
            row = await pending.apply(row, waiting, actor, outbox) or row
        await ArticleTranslation.filter(id=row.id).update(status=status, published_at=published_at)
        row = await ArticleTranslation.get(id=row.id)
        await listing.refresh([article_id], actor.locales)
        # a scheduled one is announced when its time comes; caches hear of it now
        await outbox.record(ArticleEvent.of(SCHEDULED if scheduled else PUBLISHED, row, actor.now))
    return row


async def unpublish(
    article_id: int, locale: str, actor: Actor, outbox: Outbox
) -> ArticleTranslation:
    """Take a translation off the read side (a scheduled one is cancelled)."""
    await live_article(article_id)
    row = await translation(article_id, locale)
    if row.status is PublicationStatus.DRAFT:
        return row  # never published: nothing to take down
    was_visible = is_visible(row, actor.now)
    async with in_transaction():
        await ArticleTranslation.filter(id=row.id).update(status=PublicationStatus.UNPUBLISHED)
        await ArticlePending.filter(translation_id=row.id).update(publish_at=None)
        row = await ArticleTranslation.get(id=row.id)
        await listing.refresh([article_id], actor.locales)
        if was_visible:
            await outbox.record(ArticleEvent.of(UNPUBLISHED, row, actor.now))
    return row


# the scheduled translations whose time has come (the visibility rule: $1 is now), oldest
# first, made PUBLISHED in one statement; $2 how many. {lock} is PostgreSQL's: workers
# claiming at once skip each other's rows. They are picked in a MATERIALIZED common table
# expression, evaluated once (a plain ``IN (SELECT ... SKIP LOCKED)`` may be evaluated
# again while the update waits for a row, and pick rows another worker took); the outer
# conditions again, for a row an editor or another worker changed since the snapshot.
_SCHEDULED, _PUBLISHED = PublicationStatus.SCHEDULED.value, PublicationStatus.PUBLISHED.value
_PROMOTE = (
    'WITH "due" AS MATERIALIZED (SELECT t."id" FROM "article_translation" t '
    'JOIN "article" a ON a."id" = t."article_id" '
    f"WHERE t.\"status\" = '{_SCHEDULED}' AND {visible_sql('t', 'a').replace('?', '$1')} "
    'ORDER BY t."published_at", t."id" LIMIT $2{lock}) '
    f'UPDATE "article_translation" SET "status" = \'{_PUBLISHED}\' '
    'WHERE "id" IN (SELECT "id" FROM "due") '
    f'AND "status" = \'{_SCHEDULED}\' AND "published_at" <= $1 RETURNING {{columns}}'
)
# whether any is due: a read, so an idle round takes no lock (SQLite: no write lock)
_ANY_DUE = (
    'SELECT 1 AS "due" FROM "article_translation" t JOIN "article" a ON a."id" = t."article_id" '
    f"WHERE t.\"status\" = '{_SCHEDULED}' AND {visible_sql('t', 'a')} LIMIT 1"
)
_ANNOUNCED = ("id", "article_id", "locale", "slug", "title", "published_at", "status")
PROMOTE_BATCH = 100  # translations claimed per transaction


async def promote_due(now: datetime, outbox: Outbox) -> list[ArticleTranslation]:
    """Turn scheduled translations whose time has come into published ones, announcing each.

    Visibility does not wait for this (the read side treats them as published already);
    this makes the status say so and sends the events. Each batch is claimed by one
    statement, and the PUBLISHED events of exactly the rows it changed are recorded in
    the same transaction: however many processes run it, each translation is announced
    once. The app's background loop runs it (it is handed to the event hub at start).
    The rows returned hold the announced fields only.
    """
    promoted: list[ArticleTranslation] = []
    if not await sql.fetch(_ANY_DUE, [now]):
        return promoted
    while True:
        async with in_transaction() as connection:
            postgres = connection.capabilities.dialect == "postgres"
            statement = _PROMOTE.format(
                lock=" FOR UPDATE OF t SKIP LOCKED" if postgres else "",
                columns=", ".join(f'"{name}"' for name in _ANNOUNCED),
            )
            if not postgres:  # SQLite numbers its parameters ?1, ?2
                statement = statement.replace("$", "?")
            found = await connection.execute_query_dict(statement, [now, PROMOTE_BATCH])
            rows = sorted(
                (sql.as_model(ArticleTranslation, row, names=_ANNOUNCED) for row in found),
                key=lambda row: (row.published_at or now, row.id),
            )
            for row in rows:
                await outbox.record(ArticleEvent.of(PUBLISHED, row, now))
        promoted += rows
        if len(rows) < PROMOTE_BATCH:
            return promoted


async def set_deleted(article_id: int, deleted: bool, actor: Actor, outbox: Outbox) -> Article:
    """Soft delete (or restore): the article vanishes from the read side, nothing is lost.

    Its visible translations are announced as unpublished (or published again on restore).
    """
    article = await Article.get_or_none(id=article_id)
    if article is None or (article.deleted_at is None) != deleted:
        raise not_found("article")
    name = UNPUBLISHED if deleted else PUBLISHED
    async with in_transaction():
        article.deleted_at = actor.now if deleted else None
        await article.save(update_fields=["deleted_at"])
        await listing.refresh([article_id], actor.locales)
        for row in await ArticleTranslation.filter(article_id=article_id):
            if is_visible(row, actor.now):
                await outbox.record(ArticleEvent.of(name, row, actor.now))
    return article
