"""GraphQL types for images and video clips.

Per-locale texts are resolved once, when the object is built (one batched load for
all the images of a page), so the fields themselves are plain reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles.attachments import Attached
from contentapi.articles.models import MediaRole as MediaRoleEnum
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.relay import Node, to_global_id
from contentapi.i18n import Resolved, language_label, pick
from contentapi.media import renditions as sizes
from contentapi.media.models import Image as ImageRow
from contentapi.media.models import Video as VideoRow
from contentapi.media.queries import CaptionFile, ImageText, VideoText, in_chain_order

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

strawberry.enum(MediaRoleEnum, name="MediaRole", description="How a medium is used in an article.")
strawberry.enum(
    sizes.ImageFormat,
    name="ImageFormat",
    description="File format of an image's renditions: the uploaded one, or WebP.",
)


@strawberry.type(description="One size of an image: a file for a srcset.")
class ImageRendition:
    """A resized copy (or the original) at a width, in a format."""

    width: int = strawberry.field(description="Width in pixels (the srcset 'w' descriptor).")
    height: int = strawberry.field(description="Height in pixels.")
    url: str = strawberry.field(description="Absolute URL of the file.")
    type: str = strawberry.field(description="Content type, e.g. 'image/webp'.")


@strawberry.type(description="A point in an image, as fractions of width and height.")
class FocalPoint:
    """0 is left/top, 1 right/bottom."""

    x: float = strawberry.field(description="Across, 0 to 1.")
    y: float = strawberry.field(description="Down, 0 to 1.")


@strawberry.type(description="A picture with per-locale alt text and caption.")
class Image(Node):
    """An image, its texts resolved for the requested locale's chain."""

    row: strawberry.Private[ImageRow]
    text: strawberry.Private[Resolved[ImageText] | None]
    requested_locale: strawberry.Private[str]
    # plain values copied from the rows (see ``of``): the cheapest fields to resolve
    width: int = strawberry.field(description="Width of the original in pixels.")
    height: int = strawberry.field(description="Height of the original in pixels.")
    credit: str | None = strawberry.field(description="Credit line, e.g. 'Foto: Difi'.")
    alt: str = strawberry.field(description="Alt text in the locale (empty when none is written).")
    caption: str | None = strawberry.field(description="Caption in the locale.")
    locale: str = strawberry.field(description="Locale of alt text and caption.")
    is_fallback: bool = strawberry.field(
        description="Alt text and caption came from a fallback locale."
    )

    @classmethod
    def of(cls, row: ImageRow, text: Resolved[ImageText] | None, requested_locale: str) -> Image:
        """An image with the texts picked for the requested locale (None: no texts)."""
        return cls(
            row=row,
            text=text,
            requested_locale=requested_locale,
            width=row.width,
            height=row.height,
            credit=row.credit,
            alt=text.value.alt if text else "",
            caption=text.value.caption if text else None,
            locale=text.locale if text else requested_locale,
            is_fallback=text.is_fallback if text else False,
        )

    @strawberry.field(description="Global id of the image as resolved for the requested locale.")
    def id(self) -> strawberry.ID:
        return to_global_id("Image", self.row.id, self.requested_locale)

    @strawberry.field(
        description=(
            "Absolute URL. With width, a resized copy: widths round up to the next of "
            f"{', '.join(map(str, sizes.WIDTHS))} and never exceed the original. "
            "WebP copies: renditions(format: WEBP) or srcset(format: WEBP)."
        )
    )
    def url(self, info: strawberry.Info[Context], width: int | None = None) -> str:
        base = info.context.base_url()
        chosen = None
        if width is not None:
            if not 1 <= width <= sizes.MAX_REQUEST_WIDTH:
                raise DomainError(
                    ErrorCode.BAD_REQUEST,
                    f"width must be between 1 and {sizes.MAX_REQUEST_WIDTH}, got {width}",
                    field="width",
                )
            chosen = sizes.rendition_width(width, self.row.width)
        path = sizes.rendition_path(
            self.row.file, chosen, self.row.width, sizes.ImageFormat.ORIGINAL
        )
        return f"{base}/media/{path}"

    @strawberry.field(
        description=(
            "Every size for a srcset, narrowest first: each fixed width below the "
            "original's, then the original's size. WEBP: WebP copies (made on first "
            "request), the original's size included."
        )
    )
    def renditions(
        self,
        info: strawberry.Info[Context],
        format: sizes.ImageFormat = sizes.ImageFormat.ORIGINAL,
    ) -> list[ImageRendition]:
        base = info.context.base_url()
        return [
            ImageRendition(
                width=r.width, height=r.height, url=f"{base}/media/{r.path}", type=r.content_type
            )
            for r in sizes.renditions(self.row.file, self.row.width, self.row.height, format)
        ]

    @strawberry.field(
        description=(
            "The renditions as an HTML srcset value: 'https://.../w320/ab/ab12.webp 320w, ...'."
        )
    )
    def srcset(
        self,
        info: strawberry.Info[Context],
        format: sizes.ImageFormat = sizes.ImageFormat.ORIGINAL,
    ) -> str:
        base = info.context.base_url()
        return ", ".join(
            f"{base}/media/{r.path} {r.width}w"
            for r in sizes.renditions(self.row.file, self.row.width, self.row.height, format)
        )

    @strawberry.field(description="Where crops should centre; null when not set.")
    def focal_point(self) -> FocalPoint | None:
        if self.row.focal_x is None or self.row.focal_y is None:
            return None
        return FocalPoint(x=self.row.focal_x, y=self.row.focal_y)


@strawberry.type(description="A film clip with per-locale title and caption.")
class Video(Node):
    """A video, its texts resolved for the requested locale's chain."""

    row: strawberry.Private[VideoRow]
    text: strawberry.Private[Resolved[VideoText] | None]
    chain: strawberry.Private[tuple[str, ...]]
    # plain values copied from the rows (see ``of``): the cheapest fields to resolve
    url: str = strawberry.field(description="Where the clip lives (provider page or file).")
    embed_url: str | None = strawberry.field(
        description="Player URL for an iframe, for known providers."
    )
    credit: str | None = strawberry.field(description="Credit line, e.g. 'Video: KMD'.")
    duration_seconds: int | None = strawberry.field(description="Length in seconds, when known.")
    title: str = strawberry.field(description="Title in the locale.")
    caption: str | None = strawberry.field(description="Caption in the locale.")
    locale: str = strawberry.field(description="Locale of title and caption.")
    is_fallback: bool = strawberry.field(
        description="Title and caption came from a fallback locale."
    )

    @classmethod
    def of(cls, row: VideoRow, text: Resolved[VideoText] | None, chain: tuple[str, ...]) -> Video:
        """A video with the texts picked for ``chain`` (None: no texts)."""
        return cls(
            row=row,
            text=text,
            chain=chain,
            url=row.url,
            embed_url=row.embed_url,
            credit=row.credit,
            duration_seconds=row.duration_seconds,
            title=text.value.title if text else "",
            caption=text.value.caption if text else None,
            locale=text.locale if text else chain[0],
            is_fallback=text.is_fallback if text else False,
        )

    @strawberry.field(description="Global id of the video as resolved for the requested locale.")
    def id(self) -> strawberry.ID:
        return to_global_id("Video", self.row.id, self.chain[0])

    @strawberry.field(description="Still picture for the clip.")
    async def thumbnail(self, info: strawberry.Info[Context]) -> Image | None:
        if self.row.thumbnail_id is None:
            return None
        row = await info.context.loaders.image_by_id.load(self.row.thumbnail_id)
        if row is None:
            return None
        return (await build_images(info.context, [row], self.chain))[0]

    @strawberry.field(
        description=(
            "WebVTT caption files, one per language: the reader's locale first, then its "
            "fallbacks, then the others."
        )
    )
    async def captions(self, info: strawberry.Info[Context]) -> list[VideoCaption]:
        files = await info.context.loaders.captions_by_video_id.load(self.row.id)
        return captions_for(files, tuple(self.chain), info.context.base_url())


@strawberry.type(description="A WebVTT caption file of a video in one language.")
class VideoCaption:
    """For an HTML <track kind="captions" srclang="{locale}" label="{label}" src="{url}">."""

    locale: str = strawberry.field(description="Language of the captions (BCP 47).")
    label: str = strawberry.field(
        description="The language's name in the reader's locale, e.g. 'Norsk nynorsk'."
    )
    url: str = strawberry.field(description="Absolute URL of the file (text/vtt).")


def captions_for(
    files: Sequence[CaptionFile], chain: tuple[str, ...], base: str
) -> list[VideoCaption]:
    """The caption files, the reader's chain first (its own locale first), then by code."""
    return [
        VideoCaption(
            locale=f.locale, label=language_label(f.locale, chain[0]), url=f"{base}/media/{f.file}"
        )
        for f in in_chain_order(files, chain)
    ]


def image_from(attached: Attached[ImageRow, ImageText], chain: tuple[str, ...]) -> Image:
    """An attached image with its texts picked for ``chain``."""
    return Image.of(attached.row, pick(attached.texts, chain), chain[0])


def video_from(attached: Attached[VideoRow, VideoText], chain: tuple[str, ...]) -> Video:
    """An attached video with its texts picked for ``chain``."""
    return Video.of(attached.row, pick(attached.texts, chain), chain)


async def build_images(
    ctx: Context, rows: Sequence[ImageRow], chain: tuple[str, ...]
) -> list[Image]:
    """Images with their texts picked for ``chain``, in one batched load."""
    texts = await ctx.loaders.image_texts_by_image_id.load_many([row.id for row in rows])
    return [
        Image.of(row, pick(found, chain), chain[0]) for row, found in zip(rows, texts, strict=True)
    ]


async def build_videos(
    ctx: Context, rows: Sequence[VideoRow], chain: tuple[str, ...]
) -> list[Video]:
    """Videos with their texts picked for ``chain``, in one batched load."""
    texts = await ctx.loaders.video_texts_by_video_id.load_many([row.id for row in rows])
    return [
        Video.of(row, pick(found, chain), chain) for row, found in zip(rows, texts, strict=True)
    ]
