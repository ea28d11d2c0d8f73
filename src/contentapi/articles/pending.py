"""Pending changes of a live translation: saved for review, invisible to readers.

An edit of a published (or scheduled) translation sent with ``draft: true``, a
translator's ``translateArticle``, a PO import or a machine pretranslation is kept here
instead of changing what readers see. ``publishArticle`` applies it (now, or at a time,
when the background job does), ``discardDraft`` drops it. Nothing here records events:
readers see nothing change (so the response cache stays as it is) until it is applied.

Versions: a translation's versions are numbered once across the live text and its
pending changes (the next is one above both). ``expectedVersion`` names the version of
what the caller changes: the pending changes when there are some, else the live text.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from tortoise.transactions import in_transaction

from contentapi.articles import listing, revisions
from contentapi.articles.actor import Actor
from contentapi.articles.events import CHANGED, ArticleEvent
from contentapi.articles.models import ArticlePending, ArticleTranslation
from contentapi.articles.search import index as search_index
from contentapi.articles.validation import CONTENT_FIELDS, check_slug, conflict, searchable
from contentapi.errors import DomainError, ErrorCode, not_found
from contentapi.events.outbox import Outbox

SHOWN = ("title", "slug", "lead", "body", "version", "source_locale", "source_version")


async def of(row: ArticleTranslation) -> ArticlePending | None:
    """The translation's pending changes, if it has any."""
    return await ArticlePending.get_or_none(translation_id=row.id)


def next_version(row: ArticleTranslation, pending: ArticlePending | None) -> int:
    """The number the next save of either the live text or its pending changes takes."""
    return max(row.version, pending.version if pending else 0) + 1


def overlay(row: ArticleTranslation, pending: ArticlePending) -> ArticleTranslation:
    """``row`` as an editor previews it: the pending text over the live one (a copy).

    The copy knows its live version (``live_version``) and that it has pending changes.
    """
    shown = copy.copy(row)
    for name in SHOWN:
        setattr(shown, name, getattr(pending, name))
    shown.machine_translated = pending.machine_translated
    shown.updated_at = pending.updated_at
    shown.live_version = row.version
    shown.pending_changes = True
    return shown


def has_pending(row: ArticleTranslation) -> bool:
    """Whether ``row`` is a preview showing pending changes (see :func:`overlay`)."""
    return bool(getattr(row, "pending_changes", False))


async def overlay_all(rows: Sequence[ArticleTranslation]) -> list[ArticleTranslation]:
    """``rows`` with every pending change shown over its live text (one statement)."""
    if not rows:
        return []
    found = {
        p.translation_id: p
        for p in await ArticlePending.filter(translation_id__in=[row.id for row in rows])
    }
    return [overlay(row, found[row.id]) if row.id in found else row for row in rows]


async def save(
    row: ArticleTranslation,
    values: dict[str, str | None],
    expected_version: int,
    actor: Actor,
    *,
    action: str,
    source: tuple[str, int] | None = None,
    machine: bool = False,
) -> ArticleTranslation:
    """Keep ``values`` as pending changes of the live ``row`` (created or updated).

    CONFLICT unless ``expected_version`` is the pending changes' version (or, with none,
    the live one). Returns the translation as previewed.
    """
    async with in_transaction():
        pending = await of(row)
        current = pending.version if pending else row.version
        if expected_version != current:
            raise conflict(current)
        base = pending if pending is not None else row
        merged: dict[str, object] = {
            name: getattr(base, name) for name in (*CONTENT_FIELDS, "slug")
        }
        merged.update(values)
        if "slug" in values and values["slug"] != row.slug:
            await check_slug(row.locale, str(values["slug"]), row.article_id)
        fields: dict[str, object] = {
            **merged,
            "version": next_version(row, pending),
            "machine_translated": machine,
            "author": actor.name,
            "updated_at": actor.now,
            "source_locale": source[0] if source else base.source_locale,
            "source_version": source[1] if source else base.source_version,
        }
        if pending is None:
            pending = await ArticlePending.create(
                translation_id=row.id,
                article_id=row.article_id,
                base_version=row.version,
                created_at=actor.now,
                **fields,  # type: ignore[arg-type]
            )
        else:
            updated = await ArticlePending.filter(id=pending.id, version=pending.version).update(
                **fields
            )
            if not updated:  # another save came between the read and this one
                raise conflict(pending.version + 1)
            pending = await ArticlePending.get(id=pending.id)
        shown = overlay(row, pending)
        await revisions.record(shown, action, actor, minor=False, pending=True)
    return shown


async def discard(article_id: int, locale: str) -> None:
    """Drop the pending changes of a translation; NOT_FOUND when it has none."""
    row = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    deleted = 0
    if row is not None:
        deleted = await ArticlePending.filter(translation_id=row.id).delete()
    if not deleted:
        raise not_found("pending changes", field="locale")


def check_base(row: ArticleTranslation, pending: ArticlePending) -> None:
    """CONFLICT when the live text changed after ``pending`` was made on it."""
    if pending.base_version != row.version:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"The live translation changed (now version {row.version}) after these pending "
            f"changes were made on version {pending.base_version}; discard them "
            "(discardDraft) and make them again",
            field="draft",
            params={"version": row.version},
            extensions={"currentVersion": row.version, "baseVersion": pending.base_version},
        )


async def apply(
    row: ArticleTranslation, pending: ArticlePending, actor: Actor, outbox: Outbox
) -> ArticleTranslation | None:
    """Make ``pending`` the live text of ``row``; inside the caller's transaction.

    CONFLICT (:func:`check_base`); None when someone else applied or dropped the pending
    changes meanwhile (nothing done).
    """
    check_base(row, pending)
    if not await ArticlePending.filter(id=pending.id, version=pending.version).delete():
        return None
    values = {name: getattr(pending, name) for name in (*CONTENT_FIELDS, "slug")}
    await ArticleTranslation.filter(id=row.id).update(
        **values,
        version=pending.version,
        source_locale=pending.source_locale,
        source_version=pending.source_version,
        machine_translated=pending.machine_translated,
        search_text=searchable(values),
        updated_at=actor.now,
    )
    saved = await ArticleTranslation.get(id=row.id)
    await search_index.write([saved])
    await listing.refresh([row.article_id], actor.locales)
    await outbox.record(ArticleEvent.of(CHANGED, saved, actor.now))
    return saved


async def apply_due(actor: Actor, outbox: Outbox) -> int:
    """Apply the pending changes whose ``publish_at`` has come; how many were applied.

    Each is applied in its own transaction; a change whose live text moved on stays
    pending (its schedule dropped) for an editor to resolve.
    """
    applied = 0
    due = ArticlePending.filter(publish_at__lte=actor.now).order_by("publish_at", "id")
    for pending in await due:
        async with in_transaction():
            row = await ArticleTranslation.get_or_none(id=pending.translation_id)
            if row is None:
                continue
            try:
                if await apply(row, pending, actor, outbox) is not None:
                    applied += 1
            except DomainError:
                await ArticlePending.filter(id=pending.id).update(publish_at=None)
    return applied
