"""Article mutations for editors and translators; expected failures come back as data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from contentapi.articles import bylines, links, pending, publishing, services
from contentapi.articles.actor import Actor
from contentapi.articles.models import MediaRole
from contentapi.articles.validation import Draft
from contentapi.auth.permissions import Action
from contentapi.errors import DomainError, DomainErrors, not_found
from contentapi.events.outbox import Outbox
from contentapi.graphql.articles.inputs import (
    ArticlePayload,
    BylineInput,
    CreateArticleInput,
    LocalizedTextInput,
    TranslateArticleInput,
    UpdateArticleInput,
)
from contentapi.graphql.articles.queries import load_article
from contentapi.graphql.errors import user_errors
from contentapi.graphql.idempotency import claim
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import expect_global_id, from_global_id
from contentapi.idempotency import once
from contentapi.media.queries import medium
from contentapi.translation.pretranslate import pretranslate

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


async def _actor(ctx: Context) -> Actor:
    principal = await ctx.principal()
    assert principal is not None  # the permission class ran first
    return ctx.runtime.actor(principal.name)


async def _run(
    ctx: Context,
    article_id: int | None,
    locale: str,
    write: Callable[[Outbox], Awaitable[object]],
) -> ArticlePayload:
    """Run one write with an outbox; its events go out once it has committed. DomainErrors
    become payload errors, and the article comes back as it now is."""
    async with ctx.runtime.events.recording() as outbox:
        try:
            await write(outbox)
            errors = []
        except (DomainError, DomainErrors) as exc:
            outbox.discard()  # refused: nothing committed, nothing to announce
            errors = user_errors(ctx, exc)
    ctx.refresh()  # fields read after the write see it, not what loaders cached before
    article = await load_article(ctx, article_id, locale, preview=True) if article_id else None
    return ArticlePayload(article=article, errors=errors)


async def _set_deleted(ctx: Context, global_id: str, deleted: bool) -> ArticlePayload:
    """Soft delete or restore, announcing the translations that go or come back."""
    article_id = expect_global_id(global_id, "Article")
    actor = await _actor(ctx)
    return await _run(
        ctx,
        article_id,
        ctx.negotiated_locale,
        lambda out: publishing.set_deleted(article_id, deleted, actor, out),
    )


def _draft(title: str | None, slug: str | None, lead: str | None, body: str | None) -> Draft:
    return Draft(title=title, slug=slug, lead=lead, body=body)


def _by_locale(ctx: Context, texts: list[LocalizedTextInput]) -> dict[str, str]:
    """Texts by configured locale (UNKNOWN_LOCALE otherwise); the last one of a locale wins."""
    return {ctx.locale(text.locale): text.text for text in texts}


def byline_draft(ctx: Context, given: BylineInput) -> bylines.BylineDraft:
    """The service's form of a byline input."""
    return bylines.BylineDraft(
        authors=[
            bylines.AuthorDraft(name=author.name, roles=_by_locale(ctx, author.role))
            for author in given.authors
        ],
        unit=_by_locale(ctx, given.unit),
    )


@strawberry.type
class ArticleMutation:
    """Writes; each is authorised by the rule table in contentapi.auth.permissions."""

    @strawberry.mutation(
        description="Create an article with its first translation, as a draft.",
        permission_classes=[requires(Action.CREATE_ARTICLE, "input.locale")],
    )
    async def create_article(
        self, info: strawberry.Info[Context], input: CreateArticleInput
    ) -> ArticlePayload | None:
        ctx = info.context
        locale = ctx.locale(input.locale)
        key = await claim(ctx, "createArticle", input.idempotency_key, input)
        actor = await _actor(ctx)

        async def create() -> int:
            draft = _draft(input.title, input.slug, input.lead, input.body)
            byline = byline_draft(ctx, input.byline) if input.byline else None
            created = await services.create_article(locale, draft, input.tags, actor, byline)
            return created.article_id

        try:
            article_id, _ = await once(key, ctx.runtime.clock(), create)
        except (DomainError, DomainErrors) as exc:
            return ArticlePayload(article=None, errors=user_errors(ctx, exc))
        ctx.refresh()
        return ArticlePayload(
            article=await load_article(ctx, article_id, locale, preview=True), errors=[]
        )

    @strawberry.mutation(
        description="Change a translation. Needs expectedVersion; a stale one is CONFLICT.",
        permission_classes=[requires(Action.EDIT_ARTICLE, "input.locale")],
    )
    async def update_article(
        self, info: strawberry.Info[Context], input: UpdateArticleInput
    ) -> ArticlePayload | None:
        ctx = info.context
        locale = ctx.locale(input.locale)
        article_id = expect_global_id(input.id, "Article")
        actor = await _actor(ctx)
        draft = _draft(input.title, input.slug, input.lead, input.body)
        return await _run(
            ctx,
            article_id,
            locale,
            lambda out: services.update_article(
                article_id,
                locale,
                input.expected_version,
                draft,
                input.minor_edit,
                actor,
                out,
                pending_only=input.draft,
            ),
        )

    @strawberry.mutation(
        description="Create or replace a translation made from another locale.",
        permission_classes=[requires(Action.TRANSLATE, "input.locale")],
    )
    async def translate_article(
        self, info: strawberry.Info[Context], input: TranslateArticleInput
    ) -> ArticlePayload | None:
        ctx = info.context
        locale = ctx.locale(input.locale)
        source = ctx.locale(input.source_locale) if input.source_locale else None
        article_id = expect_global_id(input.id, "Article")
        actor = await _actor(ctx)
        draft = _draft(input.title, input.slug, input.lead, input.body)
        return await _run(
            ctx,
            article_id,
            locale,
            lambda out: services.translate_article(
                article_id, locale, source, draft, input.expected_version, actor, out
            ),
        )

    @strawberry.mutation(
        description=(
            "A machine-made draft translation (Apertium, nb↔nn), marked machineTranslated "
            "until a person saves it; never published by itself."
        ),
        permission_classes=[requires(Action.TRANSLATE, "to")],
    )
    async def pretranslate_article(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID,
        from_: Annotated[str, strawberry.argument(name="from")],
        to: str,
    ) -> ArticlePayload | None:
        ctx = info.context
        source, target = ctx.locale(from_), ctx.locale(to)
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx,
            article_id,
            target,
            lambda out: pretranslate(article_id, source, target, actor, out),
        )

    @strawberry.mutation(
        description=(
            "Publish a translation now, or at a future moment (SCHEDULED). Its pending "
            "changes are published with it (at: they replace the live text then); CONFLICT "
            "when the live text changed after they were made."
        ),
        permission_classes=[requires(Action.PUBLISH, "locale")],
    )
    async def publish_article(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID,
        locale: str,
        at: datetime | None = None,
    ) -> ArticlePayload | None:
        ctx = info.context
        code = ctx.locale(locale)
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx, article_id, code, lambda out: publishing.publish(article_id, code, at, actor, out)
        )

    @strawberry.mutation(
        description=(
            "Drop a translation's pending changes; readers never saw them. NOT_FOUND when "
            "it has none."
        ),
        permission_classes=[requires(Action.TRANSLATE, "locale")],
    )
    async def discard_draft(
        self, info: strawberry.Info[Context], id: strawberry.ID, locale: str
    ) -> ArticlePayload | None:
        ctx = info.context
        code = ctx.locale(locale)
        article_id = expect_global_id(id, "Article")
        return await _run(ctx, article_id, code, lambda out: pending.discard(article_id, code))

    @strawberry.mutation(
        description="Take a translation off the read side.",
        permission_classes=[requires(Action.PUBLISH, "locale")],
    )
    async def unpublish_article(
        self, info: strawberry.Info[Context], id: strawberry.ID, locale: str
    ) -> ArticlePayload | None:
        ctx = info.context
        code = ctx.locale(locale)
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx, article_id, code, lambda out: publishing.unpublish(article_id, code, actor, out)
        )

    @strawberry.mutation(
        description="Soft delete: the article vanishes from the read side until restored.",
        permission_classes=[requires(Action.DELETE_ARTICLE)],
    )
    async def delete_article(
        self, info: strawberry.Info[Context], id: strawberry.ID
    ) -> ArticlePayload | None:
        return await _set_deleted(info.context, id, True)  # comes back null: deleted

    @strawberry.mutation(
        description="Bring a deleted article back.",
        permission_classes=[requires(Action.DELETE_ARTICLE)],
    )
    async def restore_article(
        self, info: strawberry.Info[Context], id: strawberry.ID
    ) -> ArticlePayload | None:
        return await _set_deleted(info.context, id, False)

    @strawberry.mutation(
        description="Open or close an article for reader comments.",
        permission_classes=[requires(Action.EDIT_ARTICLE)],
    )
    async def set_comments_open(
        self, info: strawberry.Info[Context], id: strawberry.ID, open: bool
    ) -> ArticlePayload | None:
        ctx = info.context
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx,
            article_id,
            ctx.negotiated_locale,
            lambda out: services.set_comments_open(article_id, open, actor, out),
        )

    @strawberry.mutation(
        description=(
            "Replace an article's byline: its authors (names, roles per locale) and its "
            "publishing unit. The same in every translation; no revision of its own."
        ),
        permission_classes=[requires(Action.EDIT_ARTICLE)],
    )
    async def set_byline(
        self, info: strawberry.Info[Context], id: strawberry.ID, byline: BylineInput
    ) -> ArticlePayload | None:
        ctx = info.context
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx,
            article_id,
            ctx.negotiated_locale,
            lambda out: bylines.set_byline(article_id, byline_draft(ctx, byline), actor, out),
        )

    @strawberry.mutation(
        description="Restore the fields of an earlier revision, saved as a new revision.",
        permission_classes=[requires(Action.EDIT_ARTICLE, "locale")],
    )
    async def revert_article(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID,
        locale: str,
        revision: int,
        expected_version: int,
    ) -> ArticlePayload | None:
        ctx = info.context
        code = ctx.locale(locale)
        article_id = expect_global_id(id, "Article")
        actor = await _actor(ctx)
        return await _run(
            ctx,
            article_id,
            code,
            lambda out: services.revert(article_id, code, revision, expected_version, actor, out),
        )

    @strawberry.mutation(
        description="Use an image or a video in an article (a new LEAD replaces the old one).",
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def attach_media(
        self,
        info: strawberry.Info[Context],
        article_id: strawberry.ID,
        media_id: strawberry.ID,
        role: MediaRole,
        position: int | None = None,
    ) -> ArticlePayload | None:
        ctx = info.context
        pk = expect_global_id(article_id, "Article", field="articleId")
        media = await medium(*from_global_id(media_id, "mediaId"))
        if media is None:
            error = not_found("medium", field="mediaId")
            return ArticlePayload(article=None, errors=user_errors(ctx, error))
        actor = await _actor(ctx)
        return await _run(
            ctx,
            pk,
            ctx.negotiated_locale,
            lambda out: links.attach_media(pk, media, role, position, actor, out),
        )
