"""Write side for articles: validation, optimistic concurrency, revisions, publishing.

Every function runs in one transaction: a failed write changes nothing. Expected
failures are :class:`DomainError` (or :class:`DomainErrors` for several fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from contentapi.articles import listing
from contentapi.articles.html import clean_html, search_text
from contentapi.articles.models import (
    Article,
    ArticleRevision,
    ArticleTag,
    ArticleTranslation,
    PublicationStatus,
    Tag,
)
from contentapi.articles.slugs import MAX_SLUG_LENGTH, is_valid_slug, slugify
from contentapi.articles.visibility import is_live, is_visible
from contentapi.errors import DomainError, DomainErrors, ErrorCode
from contentapi.events.bus import ArticleEvent
from contentapi.events.outbox import Outbox
from contentapi.i18n import Locales
from contentapi.media.models import ArticleImage, ArticleVideo, Image, MediaRole, Video
from contentapi.media.services import images_missing_alt
from contentapi.moments import optional_utc
from contentapi.translation import apertium

MAX_TITLE_LENGTH = 300
MAX_LEAD_LENGTH = 2000
MAX_BODY_LENGTH = 500_000
CONTENT_FIELDS = ("title", "lead", "body")


@dataclass(frozen=True)
class Draft:
    """Fields of a translation as an editor sends them; None means "leave as it is"."""

    title: str | None = None
    slug: str | None = None
    lead: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who writes, when (the clock is injectable for scheduling tests), and for which
    locales (the article listing is kept for their fallback chains)."""

    name: str
    now: datetime
    locales: Locales


def not_found(what: str, field: str = "id") -> DomainError:
    """The error for something that does not exist (or is deleted)."""
    return DomainError(ErrorCode.NOT_FOUND, f"No such {what}", field=field, params={"what": what})


async def _live_article(article_id: int) -> Article:
    article = await Article.get_or_none(id=article_id, deleted_at=None)
    if article is None:
        raise not_found("article")
    return article


async def _translation(article_id: int, locale: str) -> ArticleTranslation:
    row = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if row is None:
        raise not_found("translation", field="locale")
    return row


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TAGS = 50
SLUG_ATTEMPTS = 10  # concurrent writers of one title each take the next free suffix


def _clean(draft: Draft, *, creating: bool) -> dict[str, str | None]:
    """Validated, normalised field values; every problem reported at once."""
    errors: list[DomainError] = [
        DomainError(
            ErrorCode.INVALID_TEXT,
            f"{name.capitalize()} has control characters",
            field=name,
        )
        for name in ("title", "slug", "lead", "body")
        if _CONTROL.search(getattr(draft, name) or "")
    ]
    if errors:
        raise DomainErrors(errors)
    values: dict[str, str | None] = {}
    if draft.title is not None or creating:
        title = (draft.title or "").strip()
        if not title:
            errors.append(DomainError(ErrorCode.REQUIRED, "Title is required", field="title"))
        elif len(title) > MAX_TITLE_LENGTH:
            errors.append(_too_long("title", MAX_TITLE_LENGTH))
        values["title"] = title
    if draft.slug is not None:
        slug = draft.slug.strip()
        if not is_valid_slug(slug):
            errors.append(
                DomainError(
                    ErrorCode.INVALID_SLUG,
                    "A slug is lowercase a-z, 0-9 and single hyphens",
                    field="slug",
                    params={"max": MAX_SLUG_LENGTH},
                )
            )
        values["slug"] = slug
    if draft.lead is not None:
        lead = draft.lead.strip()
        if len(lead) > MAX_LEAD_LENGTH:
            errors.append(_too_long("lead", MAX_LEAD_LENGTH))
        values["lead"] = lead or None
    if draft.body is not None or creating:
        body = clean_html(draft.body or "").strip()
        if len(body) > MAX_BODY_LENGTH:
            errors.append(_too_long("body", MAX_BODY_LENGTH))
        values["body"] = body
    if errors:
        raise DomainErrors(errors)
    return values


def _search_text(values: dict[str, str | None]) -> str:
    return search_text(str(values["title"]), values.get("lead"), str(values["body"]))


def _too_long(field: str, limit: int) -> DomainError:
    return DomainError(
        ErrorCode.TOO_LONG,
        f"{field.capitalize()} is longer than {limit} characters",
        field=field,
        params={"max": limit},
    )


async def _check_slug(locale: str, slug: str, article_id: int | None) -> None:
    clash = ArticleTranslation.filter(locale=locale, slug=slug)
    if article_id is not None:
        clash = clash.exclude(article_id=article_id)
    if await clash.exists():
        raise DomainError(
            ErrorCode.SLUG_TAKEN,
            f"The slug {slug!r} is already used in {locale}",
            field="slug",
            params={"slug": slug, "locale": locale},
        )


async def pretranslate(
    article_id: int, source_locale: str, locale: str, actor: Actor
) -> ArticleTranslation:
    """A machine-made DRAFT of ``locale`` from ``source_locale`` (Apertium); never published.

    The draft is marked ``machine_translated`` until a person saves it.
    """
    await _live_article(article_id)
    source = await ArticleTranslation.get_or_none(article_id=article_id, locale=source_locale)
    if source is None:
        raise not_found("source translation", field="from")
    if await ArticleTranslation.exists(article_id=article_id, locale=locale):
        raise _already_translated(locale)
    values: dict[str, str | None] = {
        "title": await apertium.translate(source.title, source_locale, locale),
        "lead": await apertium.translate(source.lead or "", source_locale, locale) or None,
        "body": clean_html(await apertium.translate(source.body, source_locale, locale, html=True)),
    }
    for attempt in range(SLUG_ATTEMPTS):
        try:
            async with in_transaction():
                return await _new_draft(
                    article_id, locale, values, actor, "pretranslate", source, machine=True
                )
        except IntegrityError:
            if await ArticleTranslation.exists(article_id=article_id, locale=locale):
                raise _already_translated(locale) from None
            if attempt == SLUG_ATTEMPTS - 1:
                raise _slug_taken(locale) from None
    raise AssertionError("unreachable")


async def _free_slug(locale: str, base: str, article_id: int | None) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free in ``locale``."""
    base = base or "artikkel"
    candidate, n = base, 1
    while True:
        clash = ArticleTranslation.filter(locale=locale, slug=candidate)
        if article_id is not None:
            clash = clash.exclude(article_id=article_id)
        if not await clash.exists():
            return candidate
        n += 1
        candidate = f"{base[: MAX_SLUG_LENGTH - len(str(n)) - 1]}-{n}"


async def _record(row: ArticleTranslation, action: str, actor: Actor, minor: bool) -> None:
    last = (
        await ArticleRevision.filter(article_id=row.article_id, locale=row.locale)
        .order_by("-number")
        .first()
    )
    await ArticleRevision.create(
        article_id=row.article_id,
        locale=row.locale,
        number=(last.number if last else 0) + 1,
        version=row.version,
        title=row.title,
        slug=row.slug,
        lead=row.lead,
        body=row.body,
        status=row.status,
        published_at=row.published_at,
        minor_edit=minor,
        action=action,
        author=actor.name,
        created_at=actor.now,
    )


async def _tag_rows(keys: list[str]) -> list[Tag]:
    keys = list(dict.fromkeys(keys))  # the same tag twice is the same tag
    if len(keys) > MAX_TAGS:
        raise DomainError(
            ErrorCode.TOO_LONG, f"At most {MAX_TAGS} tags", field="tags", params={"max": MAX_TAGS}
        )
    tags = {tag.key: tag for tag in await Tag.filter(key__in=keys)}
    missing = [key for key in keys if key not in tags]
    if missing:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Unknown tags: {', '.join(missing)}",
            field="tags",
            params={"what": ", ".join(missing)},
        )
    return [tags[key] for key in keys]


async def create_article(
    locale: str, draft: Draft, tags: list[str], actor: Actor
) -> ArticleTranslation:
    """A new article with its first translation, as a draft (version 1, revision 1)."""
    values = _clean(draft, creating=True)
    tag_rows = await _tag_rows(tags)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            async with in_transaction():
                article = await Article.create(original_locale=locale)
                row = await _new_draft(article.id, locale, values, actor, "create", None)
                for position, tag in enumerate(tag_rows):
                    await ArticleTag.create(article=article, tag=tag, position=position)
            return row
        except IntegrityError:
            # a concurrent writer took the slug between check and insert: a slug of our
            # own choosing steps aside on the next attempt; one the editor chose is taken
            if "slug" in values or attempt == SLUG_ATTEMPTS - 1:
                raise _slug_taken(locale) from None
    raise AssertionError("unreachable")


async def _new_draft(
    article_id: int,
    locale: str,
    values: dict[str, str | None],
    actor: Actor,
    action: str,
    source: ArticleTranslation | None,
    machine: bool = False,
    followed: int | None = None,
) -> ArticleTranslation:
    """A new DRAFT translation (version 1) and its first revision; inside a transaction."""
    slug = values.get("slug") or await _free_slug(locale, slugify(str(values["title"])), article_id)
    if "slug" in values:
        await _check_slug(locale, slug, article_id)
    row = await ArticleTranslation.create(
        article_id=article_id,
        locale=locale,
        title=values["title"],
        slug=slug,
        lead=values.get("lead"),
        body=values["body"],
        search_text=_search_text(values),
        status=PublicationStatus.DRAFT,
        updated_at=actor.now,
        version=1,
        source_locale=source.locale if source else None,
        source_version=(followed if followed is not None else source.version) if source else None,
        machine_translated=machine,
    )
    await _record(row, action, actor, minor=False)
    return row


def _already_translated(locale: str) -> DomainError:
    return DomainError(
        ErrorCode.ALREADY_EXISTS,
        f"The {locale} translation exists; send expectedVersion to replace it",
        field="expectedVersion",
        params={"locale": locale},
    )


def _slug_taken(locale: str) -> DomainError:
    return DomainError(
        ErrorCode.SLUG_TAKEN,
        f"The slug is already used in {locale}",
        field="slug",
        params={"slug": "", "locale": locale},
    )


def _conflict(current: int) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"The article was changed by someone else; the current version is {current}",
        field="expectedVersion",
        params={"version": current},
        extensions={"currentVersion": current},
    )


async def _save(
    row: ArticleTranslation,
    values: dict[str, str | None],
    expected_version: int,
    actor: Actor,
    *,
    action: str,
    minor: bool,
    extra: dict[str, object] | None = None,
) -> ArticleTranslation:
    """Write ``values`` if the translation is still at ``expected_version`` (compare-and-set)."""
    changes: dict[str, object] = {k: v for k, v in values.items() if getattr(row, k) != v}
    changes.update(extra or {})
    if row.machine_translated:
        changes["machine_translated"] = False  # a person has now saved it
    if not changes:
        return row  # nothing changed: no new version, no revision
    if is_visible(row, actor.now) or row.status is PublicationStatus.SCHEDULED:
        emptied = [f for f in ("title", "body") if f in changes and not str(changes[f]).strip()]
        if emptied:
            raise DomainError(
                ErrorCode.MISSING_CONTENT,
                f"A published translation needs {' and '.join(emptied)}",
                field=emptied[0],
                params={"fields": ", ".join(emptied)},
            )
    if "slug" in changes:
        await _check_slug(row.locale, str(changes["slug"]), row.article_id)
    content_changed = any(k in changes for k in CONTENT_FIELDS)
    if content_changed:
        merged = {k: values.get(k, getattr(row, k)) for k in CONTENT_FIELDS}
        changes["search_text"] = _search_text(merged)
        if not minor:
            changes["updated_at"] = actor.now  # "Sist endret" moves for real changes only
    try:
        async with in_transaction():
            updated = await ArticleTranslation.filter(id=row.id, version=expected_version).update(
                version=expected_version + 1, **changes
            )
            if not updated:
                current = await ArticleTranslation.get(id=row.id)
                raise _conflict(current.version)
            saved = await ArticleTranslation.get(id=row.id)
            await _record(saved, action, actor, minor)
            if is_live(saved):  # a draft's edits change no list
                await listing.refresh([row.article_id], actor.locales)
    except IntegrityError:
        raise _slug_taken(row.locale) from None
    return saved


async def update_article(
    article_id: int, locale: str, expected_version: int, draft: Draft, minor: bool, actor: Actor
) -> ArticleTranslation:
    """Change a translation; CONFLICT (and no change) unless ``expected_version`` is current."""
    await _live_article(article_id)
    row = await _translation(article_id, locale)
    if row.version != expected_version:
        raise _conflict(row.version)
    return await _save(
        row, _clean(draft, creating=False), expected_version, actor, action="update", minor=minor
    )


async def translate_article(
    article_id: int,
    locale: str,
    source_locale: str | None,
    draft: Draft,
    expected_version: int | None,
    actor: Actor,
    source_version: int | None = None,
) -> ArticleTranslation:
    """Create (or redo) the ``locale`` translation, recording the source version it follows.

    ``source_version`` is the version the translator worked from when older than the
    current one (a PO file exported earlier), so the translation still shows as outdated.
    """
    article = await _live_article(article_id)
    source_code = source_locale or article.original_locale
    if source_code == locale:
        raise DomainError(
            ErrorCode.BAD_REQUEST, "A translation cannot be its own source", field="sourceLocale"
        )
    source = None
    if source_code is not None:
        source = await ArticleTranslation.get_or_none(article_id=article_id, locale=source_code)
    if source is None:
        raise not_found("source translation", field="sourceLocale")
    followed = source.version if source_version is None else min(source_version, source.version)
    extra: dict[str, object] = {"source_locale": source.locale, "source_version": followed}
    existing = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if existing is not None:
        if expected_version is None:
            raise _already_translated(locale)
        if existing.version != expected_version:
            raise _conflict(existing.version)
        values = _clean(draft, creating=False)
        return await _save(
            existing, values, expected_version, actor, action="translate", minor=False, extra=extra
        )
    values = _clean(draft, creating=True)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            async with in_transaction():
                return await _new_draft(
                    article_id, locale, values, actor, "translate", source, followed=followed
                )
        except IntegrityError:
            if await ArticleTranslation.exists(article_id=article_id, locale=locale):
                raise _already_translated(locale) from None  # a concurrent translator won
            if "slug" in values or attempt == SLUG_ATTEMPTS - 1:
                raise _slug_taken(locale) from None
    raise AssertionError("unreachable")


def _event(name: str, row: ArticleTranslation, now: datetime) -> ArticleEvent:
    return ArticleEvent(
        name, row.article_id, row.locale, row.slug, row.title, row.published_at, now
    )


async def publish(
    article_id: int, locale: str, at: datetime | None, actor: Actor, outbox: Outbox
) -> ArticleTranslation:
    """Publish now, or schedule for ``at``. The first publication date is kept on re-publish."""
    at = optional_utc(at, "at")
    await _live_article(article_id)
    row = await _translation(article_id, locale)
    missing = [f for f in ("title", "body") if not (getattr(row, f) or "").strip()]
    if missing:
        raise DomainError(
            ErrorCode.MISSING_CONTENT,
            f"Cannot publish without {' and '.join(missing)}",
            field=missing[0],
            params={"fields": ", ".join(missing)},
        )
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
    status = PublicationStatus.SCHEDULED if scheduled else PublicationStatus.PUBLISHED
    published_at = at or row.published_at or actor.now
    if not scheduled and published_at > actor.now:
        published_at = actor.now
    async with in_transaction():
        await ArticleTranslation.filter(id=row.id).update(status=status, published_at=published_at)
        row = await ArticleTranslation.get(id=row.id)
        await listing.refresh([article_id], actor.locales)
        if not scheduled:
            await outbox.announce(_event("article.published", row, actor.now), actor.now)
    return row


async def unpublish(
    article_id: int, locale: str, actor: Actor, outbox: Outbox
) -> ArticleTranslation:
    """Take a translation off the read side (a scheduled one is cancelled)."""
    await _live_article(article_id)
    row = await _translation(article_id, locale)
    if row.status is PublicationStatus.DRAFT:
        return row  # never published: nothing to take down
    was_visible = is_visible(row, actor.now)
    async with in_transaction():
        await ArticleTranslation.filter(id=row.id).update(status=PublicationStatus.UNPUBLISHED)
        row = await ArticleTranslation.get(id=row.id)
        await listing.refresh([article_id], actor.locales)
        if was_visible:
            await outbox.announce(_event("article.unpublished", row, actor.now), actor.now)
    return row


async def promote_due(now: datetime, outbox: Outbox) -> list[ArticleTranslation]:
    """Turn scheduled translations whose time has come into published ones, announcing each.

    Visibility does not wait for this (the read side treats them as published already);
    this makes the status say so and sends the events. Safe to run in several processes.
    """
    promoted = []

    def due() -> QuerySet[ArticleTranslation]:
        # made afresh each time: a queryset is bound to the connection it was made on
        return ArticleTranslation.filter(
            status=PublicationStatus.SCHEDULED,
            published_at__lte=now,
            article__deleted_at__isnull=True,
        )

    for candidate in await due():
        async with in_transaction():
            # the same conditions again: an editor may have moved or cancelled it meanwhile
            won = await due().filter(id=candidate.id).update(status=PublicationStatus.PUBLISHED)
            if won:
                row = await ArticleTranslation.get(id=candidate.id)
                await outbox.announce(_event("article.published", row, now), now)
                promoted.append(row)
    return promoted


async def set_deleted(article_id: int, deleted: bool, actor: Actor, outbox: Outbox) -> Article:
    """Soft delete (or restore): the article vanishes from the read side, nothing is lost.

    Its visible translations are announced as unpublished (or published again on restore).
    """
    article = await Article.get_or_none(id=article_id)
    if article is None or (article.deleted_at is None) != deleted:
        raise not_found("article")
    name = "article.unpublished" if deleted else "article.published"
    async with in_transaction():
        article.deleted_at = actor.now if deleted else None
        await article.save(update_fields=["deleted_at"])
        await listing.refresh([article_id], actor.locales)
        for row in await ArticleTranslation.filter(article_id=article_id):
            if is_visible(row, actor.now):
                await outbox.announce(_event(name, row, actor.now), actor.now)
    return article


async def set_comments_open(article_id: int, is_open: bool) -> None:
    """Open or close an article for reader comments."""
    await _live_article(article_id)
    await Article.filter(id=article_id).update(comments_open=is_open)


async def revert(
    article_id: int, locale: str, number: int, expected_version: int, actor: Actor
) -> ArticleTranslation:
    """Bring back the fields of revision ``number``, saved as a new revision."""
    await _live_article(article_id)
    row = await _translation(article_id, locale)
    revision = await ArticleRevision.get_or_none(
        article_id=article_id, locale=locale, number=number
    )
    if revision is None:
        raise not_found("revision", field="revision")
    if row.version != expected_version:
        raise _conflict(row.version)
    values: dict[str, str | None] = {
        "title": revision.title,
        "slug": revision.slug,
        "lead": revision.lead,
        "body": revision.body,
    }
    return await _save(row, values, expected_version, actor, action="revert", minor=False)


async def attach_media(
    article_id: int, media: Image | Video, role: MediaRole, position: int | None
) -> None:
    """Use an image or video in an article; a new LEAD image turns the old one INLINE.

    Attaching what is already attached changes its role (and position, if given).
    """
    await _live_article(article_id)
    link_model: type[ArticleImage] | type[ArticleVideo]
    if isinstance(media, Image):
        link_model, media_field = ArticleImage, "image_id"
    else:
        link_model, media_field = ArticleVideo, "video_id"
    async with in_transaction():
        links = link_model.filter(article_id=article_id)
        if role is MediaRole.LEAD and link_model is ArticleImage:
            await (
                links.filter(role=MediaRole.LEAD)
                .exclude(image_id=media.id)
                .update(role=MediaRole.INLINE)
            )
        which: dict[str, Any] = {"article_id": article_id, media_field: media.id}
        existing = await link_model.get_or_none(**which)
        if existing is None:
            end = await links.count()
            await link_model.create(
                role=role, position=end if position is None else position, **which
            )
        else:
            existing.role = role
            existing.position = existing.position if position is None else position
            await existing.save()
