"""The Relay ``node(id:)`` field: any object by its global id."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from contentapi.articles import attachments
from contentapi.articles import queries as articles
from contentapi.articles.models import Tag as TagRow
from contentapi.comments import queries as comments
from contentapi.graphql.articles.queries import load_article
from contentapi.graphql.articles.tags import build_tags
from contentapi.graphql.comments.types import Comment
from contentapi.graphql.i18n.types import zone
from contentapi.graphql.media.types import build_images, build_videos
from contentapi.graphql.relay import Node, from_global_id
from contentapi.media.models import Video as VideoRow

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


@strawberry.type
class NodeQuery:
    """Refetching by global id."""

    @strawberry.field(description="Any object by its global id; null when not visible.")
    async def node(
        self, info: strawberry.Info[Context], id: strawberry.ID, locale: str | None = None
    ) -> Node | None:
        ctx = info.context
        code = ctx.locale(locale)
        chain = ctx.chain(code)
        type_name, pk = from_global_id(id)
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
