"""GraphQL type for tags, their names resolved for a locale chain."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from contentapi.articles import queries
from contentapi.articles.models import Tag as TagRow
from contentapi.graphql.relay import Node, PageInfo, encode_cursor, to_global_id
from contentapi.i18n import Resolved, pick

if TYPE_CHECKING:
    from contentapi.graphql.articles.lists import ArticleConnection
    from contentapi.graphql.context import Context


@strawberry.type(description="A subject an article is tagged with.")
class Tag(Node):
    """A tag, its name resolved for the requested locale's chain."""

    row: strawberry.Private[TagRow]
    resolved_name: strawberry.Private[Resolved[str] | None]
    requested_locale: strawberry.Private[str]

    @strawberry.field(description="Global id of the tag as resolved for the requested locale.")
    def id(self) -> strawberry.ID:
        return to_global_id("Tag", self.row.id, self.requested_locale)

    @strawberry.field(description="Stable key, the same in every locale; use it to filter.")
    def key(self) -> str:
        return self.row.key

    @strawberry.field(description="Name in the locale (the key when no locale has a name).")
    def name(self) -> str:
        return self.resolved_name.value if self.resolved_name else self.row.key

    @strawberry.field(description="Locale of the name.")
    def locale(self) -> str:
        return self.resolved_name.locale if self.resolved_name else self.requested_locale

    @strawberry.field(description="The name came from a fallback locale.")
    def is_fallback(self) -> bool:
        return self.resolved_name.is_fallback if self.resolved_name else False

    @strawberry.field(
        description=(
            "Published articles with this tag, newest first, in the tag's locale through "
            "its fallback chain: the list articles(filter: {tag}) gives. first: 20 unless "
            "given, at most 100."
        )
    )
    async def articles(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
    ) -> Annotated[ArticleConnection, strawberry.lazy("contentapi.graphql.articles.lists")]:
        from contentapi.graphql.articles.queries import article_connection  # a cycle

        return await article_connection(
            info,
            self.requested_locale,
            queries.ArticleFilter(tag=self.row.key),
            queries.ArticleOrder.PUBLISHED_DESC,
            first=first,
            after=after,
        )


@strawberry.type(description="An edge in a list of tags.")
class TagEdge:
    """A tag and its cursor."""

    node: Tag = strawberry.field(description="The tag.")

    @strawberry.field(description="Opaque cursor of this tag.")
    def cursor(self) -> str:
        return tag_cursor(self.node.row)


@strawberry.type(description="A page of tags.")
class TagConnection:
    """Relay connection of tags."""

    edges: list[TagEdge] = strawberry.field(description="The tags on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Tags with published articles, on every page.")
    async def total_count(self) -> int:
        return await self.count()  # counted only when asked for


def tag_cursor(row: TagRow) -> str:
    """Where a tag stands in the list (by key)."""
    return encode_cursor(queries.TAG_CURSOR, [row.key])


async def build_tags(ctx: Context, rows: Sequence[TagRow], chain: tuple[str, ...]) -> list[Tag]:
    """Tags with their names picked for ``chain``, in one batched load."""
    names = await ctx.loaders.tag_names_by_tag_id.load_many([row.id for row in rows])
    return [tag_from(row, found, chain) for row, found in zip(rows, names, strict=True)]


def tag_from(row: TagRow, names: dict[str, str], chain: tuple[str, ...]) -> Tag:
    """A tag with its name picked for ``chain``."""
    return Tag(row=row, resolved_name=pick(names, chain), requested_locale=chain[0])
