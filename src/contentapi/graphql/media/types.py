"""GraphQL types for images and video clips."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.relay import Node, to_global_id
from contentapi.i18n import pick
from contentapi.media import renditions
from contentapi.media.models import Image as ImageRow
from contentapi.media.models import ImageTranslation, VideoTranslation
from contentapi.media.models import MediaRole as MediaRoleEnum
from contentapi.media.models import Video as VideoRow

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

MediaRole = strawberry.enum(MediaRoleEnum, description="How a medium is used in an article.")


@strawberry.type(description="A picture with per-locale alt text and caption.")
class Image(Node):
    """An image, its texts resolved for the requested locale's chain."""

    row: strawberry.Private[ImageRow]
    chain: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Global id.")
    def id(self) -> strawberry.ID:
        return to_global_id("Image", self.row.id)

    @strawberry.field(
        description=(
            "Absolute URL. With width, a resized copy: widths round up to the next of "
            f"{', '.join(map(str, renditions.WIDTHS))} and never exceed the original."
        )
    )
    def url(self, info: strawberry.Info[Context], width: int | None = None) -> str:
        ctx = info.context
        if width is None:
            return f"{ctx.base_url()}/media/{self.row.file}"
        if not 1 <= width <= renditions.MAX_REQUEST_WIDTH:
            raise DomainError(
                ErrorCode.BAD_REQUEST,
                f"width must be between 1 and {renditions.MAX_REQUEST_WIDTH}, got {width}",
                field="width",
            )
        chosen = renditions.rendition_width(width, self.row.width)
        if chosen is None:
            return f"{ctx.base_url()}/media/{self.row.file}"
        return f"{ctx.base_url()}/media/w{chosen}/{self.row.file}"

    @strawberry.field(description="Width of the original in pixels.")
    def width(self) -> int:
        return self.row.width

    @strawberry.field(description="Height of the original in pixels.")
    def height(self) -> int:
        return self.row.height

    @strawberry.field(description="Credit line, e.g. 'Foto: Difi'.")
    def credit(self) -> str | None:
        return self.row.credit

    async def _text(self, info: strawberry.Info[Context]) -> ImageTranslation | None:
        texts = await info.context.loaders.image_texts_by_image_id.load(self.row.id)
        found = pick(texts, self.chain)
        return found.value if found else None

    @strawberry.field(description="Alt text in the locale (empty when none is written).")
    async def alt(self, info: strawberry.Info[Context]) -> str:
        text = await self._text(info)
        return text.alt if text else ""

    @strawberry.field(description="Caption in the locale.")
    async def caption(self, info: strawberry.Info[Context]) -> str | None:
        text = await self._text(info)
        return text.caption if text else None

    @strawberry.field(description="Locale of alt text and caption.")
    async def locale(self, info: strawberry.Info[Context]) -> str:
        texts = await info.context.loaders.image_texts_by_image_id.load(self.row.id)
        found = pick(texts, self.chain)
        return found.locale if found else self.chain[0]

    @strawberry.field(description="Alt text and caption came from a fallback locale.")
    async def is_fallback(self, info: strawberry.Info[Context]) -> bool:
        texts = await info.context.loaders.image_texts_by_image_id.load(self.row.id)
        found = pick(texts, self.chain)
        return found.is_fallback if found else False


@strawberry.type(description="A film clip with per-locale title and caption.")
class Video(Node):
    """A video, its texts resolved for the requested locale's chain."""

    row: strawberry.Private[VideoRow]
    chain: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Global id.")
    def id(self) -> strawberry.ID:
        return to_global_id("Video", self.row.id)

    @strawberry.field(description="Where the clip lives (provider page or file).")
    def url(self) -> str:
        return self.row.url

    @strawberry.field(description="Player URL for an iframe, for known providers.")
    def embed_url(self) -> str | None:
        return self.row.embed_url

    @strawberry.field(description="Credit line, e.g. 'Video: KMD'.")
    def credit(self) -> str | None:
        return self.row.credit

    @strawberry.field(description="Length in seconds, when known.")
    def duration_seconds(self) -> int | None:
        return self.row.duration_seconds

    @strawberry.field(description="Still picture for the clip.")
    async def thumbnail(self, info: strawberry.Info[Context]) -> Image | None:
        if self.row.thumbnail_id is None:
            return None
        row = await info.context.loaders.image_by_id.load(self.row.thumbnail_id)
        return Image(row=row, chain=self.chain) if row else None

    async def _texts(self, info: strawberry.Info[Context]) -> dict[str, VideoTranslation]:
        return await info.context.loaders.video_texts_by_video_id.load(self.row.id)

    @strawberry.field(description="Title in the locale.")
    async def title(self, info: strawberry.Info[Context]) -> str:
        found = pick(await self._texts(info), self.chain)
        return found.value.title if found else ""

    @strawberry.field(description="Caption in the locale.")
    async def caption(self, info: strawberry.Info[Context]) -> str | None:
        found = pick(await self._texts(info), self.chain)
        return found.value.caption if found else None

    @strawberry.field(description="Locale of title and caption.")
    async def locale(self, info: strawberry.Info[Context]) -> str:
        found = pick(await self._texts(info), self.chain)
        return found.locale if found else self.chain[0]

    @strawberry.field(description="Title and caption came from a fallback locale.")
    async def is_fallback(self, info: strawberry.Info[Context]) -> bool:
        found = pick(await self._texts(info), self.chain)
        return found.is_fallback if found else False
