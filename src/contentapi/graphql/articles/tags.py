"""GraphQL type for tags, their names resolved for a locale chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles.models import Tag as TagRow
from contentapi.graphql.relay import Node, to_global_id
from contentapi.i18n import Resolved, pick

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type(description="A subject an article is tagged with.")
class Tag(Node):
    """A tag, its name resolved for the requested locale's chain."""

    row: strawberry.Private[TagRow]
    resolved_name: strawberry.Private[Resolved[str] | None]
    requested_locale: strawberry.Private[str]

    @strawberry.field(description="Global id.")
    def id(self) -> strawberry.ID:
        return to_global_id("Tag", self.row.id)

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


async def build_tags(ctx: Context, rows: Sequence[TagRow], chain: tuple[str, ...]) -> list[Tag]:
    """Tags with their names picked for ``chain``, in one batched load."""
    names = await ctx.loaders.tag_names_by_tag_id.load_many([row.id for row in rows])
    return [tag_from(row, found, chain) for row, found in zip(rows, names, strict=True)]


def tag_from(row: TagRow, names: dict[str, str], chain: tuple[str, ...]) -> Tag:
    """A tag with its name picked for ``chain``."""
    return Tag(row=row, resolved_name=pick(names, chain), requested_locale=chain[0])
