"""Write side for articles' texts: create, edit, translate and revert, with revisions.

Every function runs in one transaction: a failed write changes nothing. Expected
failures are :class:`DomainError` (or :class:`DomainErrors` for several fields).
Publishing lives in :mod:`publishing`, media links in :mod:`links`, the input rules in
:mod:`validation`.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from contentapi.articles import bylines, listing, pending, revisions
from contentapi.articles.actor import Actor
from contentapi.articles.events import CHANGED, ArticleEvent, ArticleUpdated
from contentapi.articles.models import Article, ArticleTag, ArticleTranslation, PublicationStatus
from contentapi.articles.search import index as search_index
from contentapi.articles.slugs import slugify
from contentapi.articles.validation import (
    CONTENT_FIELDS,
    REQUIRED_TO_PUBLISH,
    Draft,
    already_translated,
    check_slug,
    clean,
    conflict,
    free_slug,
    live_article,
    missing_content,
    searchable,
    slug_taken,
    tag_rows,
    translation,
)
from contentapi.articles.visibility import is_live
from contentapi.errors import DomainError, ErrorCode, not_found
from contentapi.events.outbox import Outbox

SLUG_ATTEMPTS = 10  # concurrent writers of one title each take the next free suffix


async def create_article(
    locale: str,
    draft: Draft,
    tags: list[str],
    actor: Actor,
    byline: bylines.BylineDraft | None = None,
) -> ArticleTranslation:
    """A new article with its first translation, as a draft (version 1, revision 1), and
    its byline if given (readers see none of it yet: no content version move)."""
    values = clean(draft, creating=True)
    byline_rows = bylines.clean_byline(byline) if byline is not None else None
    tags_in_order = await tag_rows(tags)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            async with in_transaction():
                article = await Article.create(original_locale=locale)
                row = await _new_draft(article.id, locale, values, actor, "create", None)
                for position, tag in enumerate(tags_in_order):
                    await ArticleTag.create(article=article, tag=tag, position=position)
                if byline_rows is not None:
                    await bylines.write(article.id, byline_rows)
            return row
        except IntegrityError:
            # a concurrent writer took the slug between check and insert: a slug of our
            # own choosing steps aside on the next attempt; one the editor chose is taken
            if "slug" in values or attempt == SLUG_ATTEMPTS - 1:
                raise slug_taken(locale) from None
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
    slug = values.get("slug") or await free_slug(locale, slugify(str(values["title"])), article_id)
    if "slug" in values:
        await check_slug(locale, slug, article_id)
    row = await ArticleTranslation.create(
        article_id=article_id,
        locale=locale,
        title=values["title"],
        slug=slug,
        lead=values.get("lead"),
        body=values["body"],
        search_text=searchable(values),
        status=PublicationStatus.DRAFT,
        updated_at=actor.now,
        version=1,
        source_locale=source.locale if source else None,
        source_version=(followed if followed is not None else source.version) if source else None,
        machine_translated=machine,
    )
    await search_index.write([row])
    await revisions.record(row, action, actor, minor=False)
    return row


async def _save(
    row: ArticleTranslation,
    values: dict[str, str | None],
    expected_version: int,
    actor: Actor,
    *,
    action: str,
    minor: bool,
    outbox: Outbox,
    extra: dict[str, object] | None = None,
) -> ArticleTranslation:
    """Write ``values`` if the translation is still at ``expected_version`` (compare-and-set);
    a change readers see is recorded in ``outbox``."""
    changes: dict[str, object] = {k: v for k, v in values.items() if getattr(row, k) != v}
    changes.update(extra or {})
    if row.machine_translated:
        changes["machine_translated"] = False  # a person has now saved it
    if not changes:
        return row  # nothing changed: no new version, no revision
    if is_live(row):
        emptied = [f for f in REQUIRED_TO_PUBLISH if f in changes and not str(changes[f]).strip()]
        if emptied:
            raise missing_content(emptied, "A published translation needs")
    if "slug" in changes:
        await check_slug(row.locale, str(changes["slug"]), row.article_id)
    # numbered after pending changes too, which this leaves as they are (now stale)
    version = pending.next_version(row, await pending.of(row))
    if any(k in changes for k in CONTENT_FIELDS):
        changes["search_text"] = searchable(
            {k: values.get(k, getattr(row, k)) for k in CONTENT_FIELDS}
        )
        if not minor:
            changes["updated_at"] = actor.now  # "Sist endret" moves for real changes only
    try:
        async with in_transaction():
            updated = await ArticleTranslation.filter(id=row.id, version=expected_version).update(
                version=version, **changes
            )
            if not updated:
                current = await ArticleTranslation.get(id=row.id)
                raise conflict(current.version)
            saved = await ArticleTranslation.get(id=row.id)
            if "search_text" in changes:
                await search_index.write([saved])
            await revisions.record(saved, action, actor, minor)
            if is_live(saved):  # a draft's edits change nothing readers see
                await listing.refresh([row.article_id], actor.locales)
                await outbox.record(ArticleEvent.of(CHANGED, saved, actor.now))
    except IntegrityError:
        raise slug_taken(row.locale) from None
    return saved


async def update_article(
    article_id: int,
    locale: str,
    expected_version: int,
    draft: Draft,
    minor: bool,
    actor: Actor,
    outbox: Outbox,
    *,
    pending_only: bool = False,
) -> ArticleTranslation:
    """Change a translation; CONFLICT (and no change) unless ``expected_version`` is current.

    With ``pending_only``, a live translation keeps its text for readers and the change
    becomes its pending changes (:mod:`pending`); a translation readers cannot see is
    changed as always.
    """
    await live_article(article_id)
    row = await translation(article_id, locale)
    values = clean(draft, creating=False)
    if pending_only and is_live(row):
        return await pending.save(row, values, expected_version, actor, action="update")
    if row.version != expected_version:
        raise conflict(row.version)
    return await _save(
        row, values, expected_version, actor, action="update", minor=minor, outbox=outbox
    )


async def translate_article(
    article_id: int,
    locale: str,
    source_locale: str | None,
    draft: Draft,
    expected_version: int | None,
    actor: Actor,
    outbox: Outbox,
    *,
    source_version: int | None = None,
    action: str = "translate",
    machine: bool = False,
) -> ArticleTranslation:
    """Create (or redo) the ``locale`` translation, recording the source version it follows.

    ``source_version`` is the version the translator worked from when older than the
    current one (a PO file exported earlier), so the translation still shows as outdated.
    ``machine`` marks a machine-made draft (``machineTranslated``) until a person saves it.
    """
    article = await live_article(article_id)
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
    existing = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if existing is not None:
        if expected_version is None:
            raise already_translated(locale)
        if is_live(existing):  # reviewed before readers see it
            return await pending.save(
                existing,
                clean(draft, creating=False),
                expected_version,
                actor,
                action=action,
                source=(source.locale, followed),
                machine=machine,
            )
        if existing.version != expected_version:
            raise conflict(existing.version)
        extra: dict[str, object] = {"source_locale": source.locale, "source_version": followed}
        return await _save(
            existing,
            clean(draft, creating=False),
            expected_version,
            actor,
            action=action,
            minor=False,
            outbox=outbox,
            extra=extra,
        )
    values = clean(draft, creating=True)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            async with in_transaction():
                return await _new_draft(
                    article_id, locale, values, actor, action, source, machine, followed
                )
        except IntegrityError:
            if await ArticleTranslation.exists(article_id=article_id, locale=locale):
                raise already_translated(locale) from None  # a concurrent translator won
            if "slug" in values or attempt == SLUG_ATTEMPTS - 1:
                raise slug_taken(locale) from None
    raise AssertionError("unreachable")


async def revert(
    article_id: int,
    locale: str,
    number: int,
    expected_version: int,
    actor: Actor,
    outbox: Outbox,
) -> ArticleTranslation:
    """Bring back the fields of revision ``number``, saved as a new revision."""
    await live_article(article_id)
    row = await translation(article_id, locale)
    revision = await revisions.find(article_id, locale, number)
    if revision is None:
        raise not_found("revision", field="revision")
    if row.version != expected_version:
        raise conflict(row.version)
    values: dict[str, str | None] = {
        "title": revision.title,
        "slug": revision.slug,
        "lead": revision.lead,
        "body": revision.body,
    }
    return await _save(
        row, values, expected_version, actor, action="revert", minor=False, outbox=outbox
    )


async def set_comments_open(article_id: int, is_open: bool, actor: Actor, outbox: Outbox) -> None:
    """Open or close an article for reader comments."""
    await live_article(article_id)
    async with in_transaction():
        if (
            await Article.filter(id=article_id)
            .exclude(comments_open=is_open)
            .update(comments_open=is_open)
        ):
            await outbox.record(ArticleUpdated(article_id, actor.now))
