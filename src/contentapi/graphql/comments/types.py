"""GraphQL types for reader comments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import strawberry

from contentapi.auth.permissions import Action
from contentapi.comments.models import Comment as CommentRow
from contentapi.comments.models import CommentStatus
from contentapi.graphql.i18n.types import format_date_field
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import Node, PageInfo, encode_cursor, to_global_id
from contentapi.i18n import DateStyle

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


strawberry.enum(CommentStatus, name="CommentStatus", description="Moderation state.")


@strawberry.type(description="A reader comment (readers see approved ones only).")
class Comment(Node):
    """A comment; its dates are written in the locale of the page that shows it."""

    row: strawberry.Private[CommentRow]
    display_locale: strawberry.Private[str]
    # the poster's own comment, in the postComment answer: its status is theirs to see
    for_poster: strawberry.Private[bool]
    # plain values copied from the row (see ``of``): the cheapest fields to resolve
    author_name: str = strawberry.field(description="Name the reader gave.")
    body: str = strawberry.field(description="Plain text as written; never HTML.")
    locale: str = strawberry.field(description="Locale the comment was written in.")
    created_at: datetime = strawberry.field(
        description="When it was posted (ISO 8601 with offset)."
    )

    @classmethod
    def of(
        cls, row: CommentRow, display_locale: str, zone: ZoneInfo, for_poster: bool = False
    ) -> Comment:
        """A stored comment, its dates to be written in ``display_locale`` and ``zone``.

        ``for_poster``: the answer to the one who posted it, who may see its status.
        """
        return cls(
            row=row,
            display_locale=display_locale,
            for_poster=for_poster,
            author_name=row.author_name,
            body=row.body,
            locale=row.locale,
            created_at=row.created_at.astimezone(zone),
        )

    @strawberry.field(
        description="Global id of the comment as shown in a locale (its dates are written for it)."
    )
    def id(self) -> strawberry.ID:
        return to_global_id("Comment", self.row.id, self.display_locale)

    @strawberry.field(
        description=(
            "Moderation state (moderators). The poster sees it in postComment's answer "
            "too: PENDING until approved, then APPROVED (never REJECTED or SPAM). Anyone "
            "else: null with a FORBIDDEN or UNAUTHENTICATED error on this field alone."
        ),
        permission_classes=[requires(Action.MODERATE, unless="for_poster")],
    )
    def status(self) -> CommentStatus | None:
        status = CommentStatus(self.row.status)
        if self.for_poster and status is not CommentStatus.APPROVED:
            # a held-back comment (a filled honeypot is SPAM) looks like any other
            return CommentStatus.PENDING
        return status

    @strawberry.field(
        description=(
            "The poster's e-mail (moderators only; never shown to readers): null with an "
            "error on this field for anyone else."
        ),
        permission_classes=[requires(Action.MODERATE)],
    )
    def email(self) -> str | None:
        return self.row.email

    @strawberry.field(
        description="Why it was held back: 'links' or 'honeypot' (moderators only).",
        permission_classes=[requires(Action.MODERATE)],
    )
    def flag(self) -> str | None:
        return self.row.flag

    @strawberry.field(
        description="The article's global id in the locale the comment is shown in (its 'id')."
    )
    def article_id(self) -> strawberry.ID:
        return to_global_id("Article", self.row.article_id, self.display_locale)

    @strawberry.field(
        description=(
            "When it was posted, written for the page's locale like Article.published: "
            "SITE (house style) by default, nb '08. jun 2018', nn RELATIVE 'for 3 døgn "
            "sidan'; pattern: a CLDR pattern."
        )
    )
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
    """A comment and its cursor (encoded only when asked for)."""

    kind: strawberry.Private[str]
    node: Comment = strawberry.field(description="The comment.")

    @strawberry.field(description="Opaque cursor of this comment.")
    def cursor(self) -> str:
        return comment_cursor(self.kind, self.node.row)


def comment_cursor(kind: str, row: CommentRow) -> str:
    """Where a comment stands in its list's oldest-first order."""
    return encode_cursor(kind, [row.created_at.isoformat(), row.id])


@strawberry.type(description="A page of approved comments, oldest first.")
class CommentConnection:
    """Relay connection of comments."""

    edges: list[CommentEdge] = strawberry.field(description="The comments on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="Approved comments in all.")


def comment_connection(
    rows: list[CommentRow],
    size: int,
    after: str | None,
    cursor_kind: str,
    display_locale: str,
    total: int,
    zone: ZoneInfo,
) -> CommentConnection:
    """A page of comments from ``rows`` (fetched with one extra row to tell if more follow)."""
    shown = rows[:size]
    edges = [
        CommentEdge(kind=cursor_kind, node=Comment.of(row, display_locale, zone)) for row in shown
    ]
    return CommentConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=comment_cursor(cursor_kind, shown[0]) if shown else None,
            end_cursor=comment_cursor(cursor_kind, shown[-1]) if shown else None,
        ),
        total_count=total,
    )
