"""GraphQL types of article lists: the connection, its edges and cursors, the filter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry

from contentapi.articles import queries
from contentapi.articles.editorial import EditorialStatus as EditorialStatusEnum
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.queries import ArticleOrder as ArticleOrderEnum
from contentapi.graphql.articles.types import Article
from contentapi.graphql.relay import PageInfo, encode_cursor


@strawberry.type(description="An edge in an article list.")
class ArticleEdge:
    """An article and its cursor (encoded only when asked for)."""

    order: strawberry.Private[ArticleOrderEnum]
    node: Article = strawberry.field(description="The article.")
    snippet: str | None = strawberry.field(
        default=None,
        description=(
            "search: about 30 words of the text around the best match, as HTML: matching "
            "words in <mark>, the rest escaped. Null outside search."
        ),
    )
    score: float | None = strawberry.field(
        default=None,
        description=(
            "search: relevance, higher is better; compare it only within one result list. "
            "Null outside search."
        ),
    )
    search_cursor: strawberry.Private[str | None] = None  # search pages by position

    @strawberry.field(description="Opaque cursor of this article.")
    def cursor(self) -> str:
        if self.search_cursor is not None:
            return self.search_cursor
        return article_cursor(self.node.row, self.order)


def article_cursor(row: ArticleTranslation, order: ArticleOrderEnum) -> str:
    """Where an article stands in a list's order."""
    key = queries.sort_key(row, order)
    return encode_cursor(f"article:{order.value}", [key.value.isoformat(), key.article_id])


@strawberry.type(description="A page of articles.")
class ArticleConnection:
    """Relay connection of articles."""

    edges: list[ArticleEdge] = strawberry.field(description="The articles on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Articles matching, on every page.")
    async def total_count(self) -> int:
        return await self.count()  # counted only when asked for


EditorialStatus = strawberry.enum(
    EditorialStatusEnum,
    name="EditorialStatus",
    description="A translation's state in an editor list (DELETED: its article is deleted).",
)


@strawberry.input(description="Narrowing of an article list.")
class ArticleFilter:
    """Every part is optional; the parts combine with AND."""

    tag: str | None = strawberry.field(default=None, description="Tag key.")
    published_after: datetime | None = strawberry.field(
        default=None, description="Published at or after this moment."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published before this moment."
    )
    updated_after: datetime | None = strawberry.field(
        default=None, description="Changed at or after this moment."
    )
    updated_before: datetime | None = strawberry.field(
        default=None, description="Changed before this moment."
    )
    # editor lists (a token; anonymous: FORBIDDEN): translations of exactly the locale
    status: list[EditorialStatusEnum] | None = strawberry.field(
        default=None,
        description=(
            "Editor list (editors; translators in their locales): translations of exactly "
            "the locale in these states, drafts too, no fallback, shown as in preview. "
            "Without it, hasPendingChanges, author or search give every state but DELETED."
        ),
    )
    has_pending_changes: bool | None = strawberry.field(
        default=None, description="Editor list: translations with (or without) pending changes."
    )
    author: str | None = strawberry.field(
        default=None, description="Editor list: a token name that saved a revision of it."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Editor list: every word in the title, lead or body text (any state).",
    )

    @property
    def editorial(self) -> bool:
        """Whether this filter asks for an editor list."""
        return any(
            v is not None for v in (self.status, self.has_pending_changes, self.author, self.search)
        )
