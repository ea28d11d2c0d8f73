"""The Relay ``node(id:)`` field: any object by its global id."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from contentapi.articles import attachments
from contentapi.articles import queries as articles
from contentapi.articles.models import Tag as TagRow
from contentapi.comments import queries as comments
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.articles.queries import load_article
from contentapi.graphql.articles.tags import build_tags
from contentapi.graphql.comments.types import Comment
from contentapi.graphql.i18n.types import zone
from contentapi.graphql.media.types import build_images, build_videos
from contentapi.graphql.relay import Node, parse_global_id
from contentapi.media.models import Video as VideoRow

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type
class NodeQuery:
    """Refetching by global id."""

    @strawberry.field(
        description=(
            "Any object by its global id; null when not visible. A localised id (every id "
            "this API gives out for articles, images, videos, tags and comments) names its "
            "locale, and the object comes back exactly as it was resolved for that locale; "
            "a 'locale' that names another locale is BAD_REQUEST. A plain id takes 'locale', "
            "else the locale negotiated from Accept-Language."
        )
    )
    async def node(
        self, info: strawberry.Info[Context], id: strawberry.ID, locale: str | None = None
    ) -> Node | None:
        ctx = info.context
        found = parse_global_id(id)
        type_name, pk = found.type_name, found.pk
        code = node_locale(ctx, found.locale, locale)
        chain = ctx.chain(code)
        if type_name == "Article":
            return await load_article(ctx, pk, code)
        # media, tags and comments are public only through a published article
        if type_name == "Image" and await attachments.image_is_public(pk, ctx.now):
            image = await ctx.loaders.image_by_id.load(pk)
            return (await build_images(ctx, [image], chain))[0] if image else None
        if type_name == "Video" and await attachments.video_is_public(pk, ctx.now):
            video = await VideoRow.get_or_none(id=pk)
            return (await build_videos(ctx, [video], chain))[0] if video else None
        if type_name == "Tag" and await articles.tag_is_public(pk, ctx.now):
            tag = await TagRow.get_or_none(id=pk)
            return (await build_tags(ctx, [tag], chain))[0] if tag else None
        if type_name == "Comment":
            comment = await comments.public_comment(pk, ctx.now)
            return Comment.of(comment, code, zone(ctx)) if comment else None
        return None


def node_locale(ctx: Context, in_id: str | None, argument: str | None) -> str:
    """The locale ``node`` resolves for: the id's own, else ``argument`` or the negotiated one.

    A ``locale`` argument may repeat the id's locale (in any spelling, ``nn-NO`` for ``nn``)
    but never contradict it: ``node`` answers with exactly the object the id names.
    """
    if in_id is None:
        return ctx.locale(argument)
    code = ctx.locale(in_id)  # a locale no longer configured: UNKNOWN_LOCALE
    if argument is not None and (asked := ctx.locale(argument)) != code:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"The id names the {code!r} version, not {asked!r}: use the id of the "
            f"{asked!r} version, or article(id:, locale:) to change language",
            field="locale",
        )
    return code
