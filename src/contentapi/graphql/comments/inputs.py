"""Inputs and payloads of the comment mutations."""

from __future__ import annotations

import strawberry

from contentapi.comments.services import Decision
from contentapi.graphql.comments.types import Comment
from contentapi.graphql.errors import UserError
from contentapi.graphql.idempotency import key_field

strawberry.enum(Decision, name="ModerationDecision", description="A moderator's decision.")


@strawberry.input(description="A reader's comment. Name, e-mail and text are required.")
class PostCommentInput:
    """``website`` is a honeypot: the form hides it, and people leave it empty."""

    article_id: strawberry.ID = strawberry.field(description="The article (any of its ids).")
    author_name: str = strawberry.field(description="Name shown with the comment (max 100).")
    email: str = strawberry.field(description="Never shown to anyone but moderators.")
    body: str = strawberry.field(description="Plain text, at most 4,000 characters.")
    locale: str | None = strawberry.field(
        default=None, description="Language of the comment; default: the request's."
    )
    website: str | None = strawberry.field(default=None, description="Leave empty.")
    idempotency_key: str | None = key_field()


@strawberry.type(description="Result of postComment.")
class PostCommentPayload:
    """The stored comment (pending moderation), or the errors."""

    comment: Comment | None = strawberry.field(description="The comment, awaiting moderation.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")


@strawberry.type(description="Result of moderateComment.")
class CommentPayload:
    """The comment after the decision, or the errors."""

    comment: Comment | None = strawberry.field(description="The comment.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")
