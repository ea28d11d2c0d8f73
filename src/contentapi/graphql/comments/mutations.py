"""Posting (anonymous) and moderating comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from contentapi.auth.permissions import Action
from contentapi.comments import queries, services
from contentapi.comments.models import Comment as CommentRow
from contentapi.comments.models import CommentStatus
from contentapi.comments.services import Decision, StatusConflict
from contentapi.errors import DomainError, DomainErrors
from contentapi.graphql.comments.inputs import CommentPayload, PostCommentInput, PostCommentPayload
from contentapi.graphql.comments.types import Comment
from contentapi.graphql.errors import user_errors
from contentapi.graphql.i18n.types import zone
from contentapi.graphql.idempotency import claim
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import expect_global_id
from contentapi.idempotency import once

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type
class CommentMutation:
    """Readers post; moderators decide."""

    @strawberry.mutation(
        description=(
            "Post a comment (anonymous). It waits for moderation; errors are per field, in "
            "the request's language. Rate limited per client (RATE_LIMITED, retryAfter)."
        )
    )
    async def post_comment(
        self, info: strawberry.Info[Context], input: PostCommentInput
    ) -> PostCommentPayload:
        ctx = info.context
        client = await ctx.client_key()
        await ctx.runtime.comment_limiter.hit("comment", client)  # GraphQL error when over
        locale = ctx.locale(input.locale)
        article_id = expect_global_id(input.article_id, "Article", field="articleId")
        new = services.NewComment(
            article_id=article_id,
            locale=locale,
            author_name=input.author_name,
            email=input.email,
            body=input.body,
            website=input.website,
        )
        key = await claim(ctx, "postComment", input.idempotency_key, input)
        now = ctx.runtime.clock()

        made: list[CommentRow] = []

        async def post() -> int:
            made.append(await services.post_comment(new, client, now))
            return made[-1].id

        try:
            comment_id, replayed = await once(key, now, post)
        except (DomainError, DomainErrors) as exc:
            return PostCommentPayload(comment=None, errors=user_errors(ctx, exc))
        row = await queries.comment_by_id(comment_id) if replayed else made[-1]
        comment = Comment.of(row, locale, zone(ctx), for_poster=True) if row else None
        return PostCommentPayload(comment=comment, errors=[])

    @strawberry.mutation(
        description=(
            "Approve, reject or mark a comment as spam (moderators). With expectedStatus "
            "(the status you saw), a comment that someone else decided on meanwhile is "
            "CONFLICT (the message names its status) and the comment comes back as it is."
        ),
        permission_classes=[requires(Action.MODERATE)],
    )
    async def moderate_comment(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID,
        decision: Decision,
        expected_status: CommentStatus | None = None,  # described in the field's text
    ) -> CommentPayload | None:
        ctx = info.context
        principal = await ctx.principal()
        assert principal is not None
        now = ctx.runtime.clock()
        try:
            comment_id = expect_global_id(id, "Comment")
            async with ctx.runtime.events.recording() as outbox:
                row = await services.moderate(
                    comment_id, decision, principal.name, now, outbox, expected_status
                )
        except StatusConflict as exc:
            current = Comment.of(exc.comment, ctx.negotiated_locale, zone(ctx))
            return CommentPayload(comment=current, errors=user_errors(ctx, exc))
        except DomainError as exc:
            return CommentPayload(comment=None, errors=user_errors(ctx, exc))
        locale = ctx.negotiated_locale
        return CommentPayload(comment=Comment.of(row, locale, zone(ctx)), errors=[])
