"""GraphQL types for reader comments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from contentapi.comments.models import Comment as CommentRow
from contentapi.graphql.i18n.types import format_date_field, local_time
from contentapi.graphql.relay import Node, PageInfo, to_global_id
from contentapi.i18n import DateStyle

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type(description="An approved reader comment.")
class Comment(Node):
    """A comment; its dates are written in the locale of the page that shows it."""

    row: strawberry.Private[CommentRow]
    display_locale: strawberry.Private[str]

    @strawberry.field(description="Global id.")
    def id(self) -> strawberry.ID:
        return to_global_id("Comment", self.row.id)

    @strawberry.field(description="Name the reader gave.")
    def author_name(self) -> str:
        return self.row.author_name

    @strawberry.field(description="Plain text as written; never HTML.")
    def body(self) -> str:
        return self.row.body

    @strawberry.field(description="Locale the comment was written in.")
    def locale(self) -> str:
        return self.row.locale

    @strawberry.field(description="When it was posted (ISO 8601 with offset).")
    def created_at(self, info: strawberry.Info[Context]) -> datetime:
        return local_time(info.context, self.row.created_at)

    @strawberry.field(description="When it was posted, written for the page's locale.")
    def created(
        self,
        info: strawberry.Info[Context],
        format: DateStyle | None = DateStyle.SITE,
        pattern: str | None = None,
    ) -> str | None:
        return format_date_field(
            info.context, self.row.created_at, self.display_locale, format, pattern
        )


@strawberry.type(description="An edge in a comment list.")
class CommentEdge:
    """A comment and its cursor."""

    cursor: str = strawberry.field(description="Opaque cursor of this comment.")
    node: Comment = strawberry.field(description="The comment.")


@strawberry.type(description="A page of approved comments, oldest first.")
class CommentConnection:
    """Relay connection of comments."""

    edges: list[CommentEdge] = strawberry.field(description="The comments on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="Approved comments in all.")
