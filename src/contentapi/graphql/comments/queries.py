"""Moderators' read fields and the live comment subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

import strawberry

from contentapi.auth.permissions import Action
from contentapi.comments import queries
from contentapi.comments.events import APPROVED, CommentEvent
from contentapi.graphql.comments.types import Comment, CommentConnection, comment_connection
from contentapi.graphql.i18n.types import zone
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import (
    check_page_args,
    expect_global_id,
    expect_localised_id,
    keyset,
)

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

PENDING_CURSOR = "pending"


@strawberry.type
class CommentQuery:
    """Comments waiting for a decision."""

    @strawberry.field(
        description="Comments waiting for moderation, oldest first (moderators).",
        permission_classes=[requires(Action.MODERATE)],
    )
    async def pending_comments(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
        article_id: strawberry.ID | None = None,
    ) -> CommentConnection | None:
        ctx = info.context
        page = check_page_args(first, None)
        key = None if after is None else queries.CommentKey(*keyset(after, PENDING_CURSOR, "after"))
        article = expect_global_id(article_id, "Article", "articleId") if article_id else None
        rows, total = await queries.pending_page(page.size, key, article)
        return comment_connection(
            rows, page.size, after, PENDING_CURSOR, ctx.negotiated_locale, total, zone(ctx)
        )


@strawberry.type
class CommentSubscription:
    """New approved comments, live."""

    @strawberry.subscription(
        description=(
            "Each comment on the article as it is approved. articleId: plain or localised; "
            "without 'locale', a localised id's locale writes the dates."
        )
    )
    async def comment_approved(
        self,
        info: strawberry.Info[Context],
        article_id: strawberry.ID,
        locale: str | None = None,
    ) -> AsyncGenerator[Comment, None]:
        ctx = info.context
        wanted, in_id = expect_localised_id(article_id, "Article", "articleId")
        # dates are written for the page's language: 'locale', else a localised id's own
        shown_in = ctx.locale(locale if locale is not None or in_id is None else in_id)
        async with ctx.runtime.events.bus.subscribe() as queue:
            while True:
                event = await queue.get()
                if (
                    not isinstance(event, CommentEvent)
                    or event.name != APPROVED
                    or event.article_id != wanted
                ):
                    continue
                ctx.refresh()
                row = await queries.public_comment(event.comment_id, ctx.now)
                if row is not None:
                    yield Comment.of(row, shown_in, zone(ctx))
