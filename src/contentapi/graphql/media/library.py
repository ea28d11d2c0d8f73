"""The ``media`` connection: the media library for editors and translators."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

import strawberry

from contentapi.auth.permissions import Action
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check
from contentapi.graphql.loaders import load_now
from contentapi.graphql.media.types import Image, Video, build_images, build_videos
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import PageInfo, check_page_args, decode_cursor, encode_cursor
from contentapi.graphql.selection import selected
from contentapi.media import library
from contentapi.media.library import MediaKey
from contentapi.media.library import MediaKind as MediaKindEnum
from contentapi.media.models import Image as ImageRow
from contentapi.media.models import Video as VideoRow

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

strawberry.enum(MediaKindEnum, name="MediaKind", description="Images or videos.")

Medium = Annotated[
    Image | Video, strawberry.union("Medium", description="An image or a video clip.")
]

CURSOR_KIND = "media"


def media_cursor(key: MediaKey) -> str:
    """Where a medium stands in the library's order."""
    return encode_cursor(CURSOR_KIND, library.key_values(key))


def _after(cursor: str) -> MediaKey:
    key = library.key_from(decode_cursor(cursor, CURSOR_KIND, "after"))
    if key is None:
        raise DomainError(ErrorCode.BAD_REQUEST, "Invalid cursor in 'after'", field="after")
    return key


@strawberry.type(description="An edge in the media library.")
class MediaEdge:
    """A medium and its cursor."""

    key: strawberry.Private[MediaKey]
    node: Medium = strawberry.field(description="The image or video.")

    @strawberry.field(description="Opaque cursor of this medium.")
    def cursor(self) -> str:
        return media_cursor(self.key)


@strawberry.type(description="A page of the media library.")
class MediaConnection:
    """Relay connection of images and videos, newest first."""

    edges: list[MediaEdge] = strawberry.field(description="The media on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Media matching, on every page.")
    async def total_count(self) -> int:
        return await self.count()  # counted only when asked for


@strawberry.input(description="Narrowing of the media library.")
class MediaFilter:
    """Every part is optional; the parts combine with AND."""

    kind: MediaKindEnum | None = strawberry.field(default=None, description="Only this kind.")
    unused: bool | None = strawberry.field(
        default=None,
        description=(
            "true: media no article uses (what deleteMedia accepts, unless an image is a "
            "video's thumbnail); false: media an article uses. Deleted articles that can "
            "still be restored count as users."
        ),
    )
    missing_alt_in: str | None = strawberry.field(
        default=None,
        description=(
            "A locale: images without alt text (or with an empty one) in exactly that "
            "locale, fallbacks aside. Videos never match."
        ),
    )
    search: str | None = strawberry.field(
        default=None,
        description=(
            "Case-insensitive part of the credit, or of a text in any locale (alt text "
            "and caption of images, title and caption of videos)."
        ),
    )


@strawberry.type
class MediaLibraryQuery:
    """The media library (token holders only)."""

    @strawberry.field(
        description=(
            "Every image and video, newest first (editors, admins, translators), with "
            "texts resolved for the locale's chain. first: 20 unless given, at most 100."
        ),
        permission_classes=[requires(Action.PREVIEW)],
    )
    async def media(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
        locale: str | None = None,
        filter: MediaFilter | None = None,
    ) -> MediaConnection | None:
        ctx = info.context
        chain = ctx.chain(ctx.locale(locale))
        size = check_page_args(first, None).size
        flt = _domain_filter(ctx, filter or MediaFilter())
        page = await library.list_media(flt, size, _after(after) if after else None)
        edges = await _edges(ctx, info, page, chain)
        return MediaConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after is not None,
                start_cursor=media_cursor(edges[0].key) if edges else None,
                end_cursor=media_cursor(edges[-1].key) if edges else None,
            ),
            count=lambda: library.count_media(flt),
        )


def _domain_filter(ctx: Context, flt: MediaFilter) -> library.MediaFilter:
    """The filter checked: the locale normalised, the search text within its limits."""
    missing = None
    if flt.missing_alt_in is not None:
        try:
            missing = ctx.locale(flt.missing_alt_in)
        except DomainError as exc:
            exc.field = "filter.missingAltIn"
            raise
    check(flt.search, "search", "filter.search")
    return library.MediaFilter(
        kind=MediaKindEnum(flt.kind) if flt.kind is not None else None,
        unused=flt.unused,
        missing_alt_in=missing,
        search=flt.search,
    )


async def _edges(
    ctx: Context, info: strawberry.Info[Context], page: library.MediaPage, chain: tuple[str, ...]
) -> list[MediaEdge]:
    """The page's edges; every text the selection reads is loaded at once (two statements:
    images, with the videos' thumbnails when asked for, and videos)."""
    image_rows = [row for _, row in page.items if isinstance(row, ImageRow)]
    video_rows = [row for _, row in page.items if isinstance(row, VideoRow)]
    loaders = ctx.loaders
    loaders.image_by_id.prime_many(dict(page.thumbnails))
    image_ids = [row.id for row in image_rows]
    if "thumbnail" in selected(info, "edges", "node"):
        image_ids += list(page.thumbnails)
    await load_now(loaders.image_texts_by_image_id, image_ids)
    await load_now(loaders.video_texts_by_video_id, [row.id for row in video_rows])
    images = iter(await build_images(ctx, image_rows, chain))
    videos = iter(await build_videos(ctx, video_rows, chain))
    return [
        MediaEdge(key=key, node=next(images) if isinstance(row, ImageRow) else next(videos))
        for key, row in page.items
    ]
