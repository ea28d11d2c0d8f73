"""Media mutations for editors: uploads, videos, texts, deleting."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from contentapi.articles import links
from contentapi.auth.permissions import Action
from contentapi.errors import DomainError, DomainErrors, ErrorCode, not_found
from contentapi.graphql.errors import UserError, user_errors
from contentapi.graphql.idempotency import claim
from contentapi.graphql.media.inputs import (
    FocalPointInput,
    ImageInput,
    ImagePayload,
    ImageTextInput,
    MediaPayload,
    UpdateMediaInput,
    VideoCaptionInput,
    VideoInput,
    VideoPayload,
    VideoTextInput,
)
from contentapi.graphql.media.types import build_images, build_videos
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import expect_global_id, from_global_id
from contentapi.idempotency import once
from contentapi.media import captions, services
from contentapi.media.models import Image, Video
from contentapi.media.queries import medium

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

CHUNK = 1024 * 1024
M = TypeVar("M", Image, Video)


def _texts(
    ctx: Context, texts: list[ImageTextInput] | list[VideoTextInput]
) -> list[services.Texts]:
    out = []
    for text in texts:
        main = text.alt if isinstance(text, ImageTextInput) else text.title
        out.append(services.Texts(ctx.locale(text.locale), main, text.caption))
    return out


def _focal(point: FocalPointInput | None) -> tuple[float, float] | None:
    return (point.x, point.y) if point else None


async def _read_upload(file: Upload, limit: int) -> bytes:
    """The upload's bytes, read in chunks; FILE_TOO_LARGE past ``limit``."""
    if not isinstance(file, UploadFile):  # e.g. a string in JSON variables, not a form part
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            "'file' must be a file part of a multipart request (see the README)",
            field="file",
        )
    data = bytearray()
    try:
        while chunk := await file.read(CHUNK):
            data.extend(chunk)
            if len(data) > limit:
                raise DomainError(
                    ErrorCode.FILE_TOO_LARGE,
                    f"The file is over {limit:,} bytes",
                    field="file",
                    params={"max_bytes": limit},  # written "20 MB" (contentapi.i18n.messages)
                )
    finally:
        await file.close()  # the spooled temporary file
    return bytes(data)


async def _media(global_id: str) -> Image | Video:
    found = await medium(*from_global_id(global_id))
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such image or video", field="id", params={"what": "medium"}
        )
    return found


async def _video(global_id: str) -> Video:
    found = await Video.get_or_none(id=expect_global_id(global_id, "Video", "videoId"))
    if found is None:
        raise not_found("video", field="videoId")
    return found


async def _made(model: type[M], pk: int, replayed: bool, made: list[M]) -> M:
    """The image or video a create made now, or made before for a retried key."""
    if not replayed:
        return made[-1]
    found = await medium(model.__name__, pk)
    if not isinstance(found, model):  # deleted since the first request
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such image or video", field="id", params={"what": "medium"}
        )
    return found


async def _payload(
    ctx: Context, media: Image | Video | None, errors: list[UserError]
) -> MediaPayload:
    chain = ctx.chain(ctx.negotiated_locale)
    if isinstance(media, Image):
        return MediaPayload(
            image=(await build_images(ctx, [media], chain))[0], video=None, errors=errors
        )
    if isinstance(media, Video):
        return MediaPayload(
            image=None, video=(await build_videos(ctx, [media], chain))[0], errors=errors
        )
    return MediaPayload(image=None, video=None, errors=errors)


@strawberry.type
class MediaMutation:
    """Pictures and film clips."""

    @strawberry.mutation(
        description=(
            "Upload a picture (JPEG, PNG, WebP or GIF, decided from its bytes) through the "
            "GraphQL multipart request spec, with the header 'X-Contentapi-Upload: 1'."
        ),
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def upload_image(
        self, info: strawberry.Info[Context], file: Upload, input: ImageInput
    ) -> ImagePayload | None:
        ctx = info.context
        try:
            data = await _read_upload(file, ctx.settings.upload_max_bytes)
            key = await claim(ctx, "uploadImage", input.idempotency_key, input, data)
            texts = _texts(ctx, input.texts)
            images: list[Image] = []

            async def upload() -> int:
                image = await services.upload_image(
                    data,
                    input.credit,
                    texts,
                    _focal(input.focal_point),
                    ctx.runtime.storage,
                    ctx.settings.max_image_pixels,
                )
                images.append(image)
                return image.id

            image_id, replayed = await once(key, ctx.runtime.clock(), upload)
            image = await _made(Image, image_id, replayed, images)
        except (DomainError, DomainErrors) as exc:
            return ImagePayload(image=None, errors=user_errors(ctx, exc))
        chain = ctx.chain(ctx.negotiated_locale)
        return ImagePayload(image=(await build_images(ctx, [image], chain))[0], errors=[])

    @strawberry.mutation(
        description="A video from a YouTube, Vimeo or direct file URL.",
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def create_video(
        self, info: strawberry.Info[Context], input: VideoInput
    ) -> VideoPayload | None:
        ctx = info.context
        try:
            thumbnail = (
                expect_global_id(input.thumbnail_id, "Image", "thumbnailId")
                if input.thumbnail_id
                else None
            )
            key = await claim(ctx, "createVideo", input.idempotency_key, input)
            texts = _texts(ctx, input.texts)
            videos: list[Video] = []

            async def create() -> int:
                video = await services.create_video(
                    input.url, input.credit, input.duration_seconds, texts, thumbnail
                )
                videos.append(video)
                return video.id

            video_id, replayed = await once(key, ctx.runtime.clock(), create)
            video = await _made(Video, video_id, replayed, videos)
        except (DomainError, DomainErrors) as exc:
            return VideoPayload(video=None, errors=user_errors(ctx, exc))
        chain = ctx.chain(ctx.negotiated_locale)
        return VideoPayload(video=(await build_videos(ctx, [video], chain))[0], errors=[])

    @strawberry.mutation(
        description="Change an image's or a video's credit, texts per locale or focal point.",
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def update_media(
        self, info: strawberry.Info[Context], input: UpdateMediaInput
    ) -> MediaPayload | None:
        ctx = info.context
        try:
            media = await _media(input.id)
            texts = input.image_texts if isinstance(media, Image) else input.video_texts
            async with ctx.runtime.events.recording() as outbox:
                await services.update_media(
                    media,
                    input.credit,
                    _texts(ctx, texts),
                    _focal(input.focal_point),
                    ctx.runtime.clock(),
                    outbox,
                )
        except (DomainError, DomainErrors) as exc:
            return await _payload(ctx, None, user_errors(ctx, exc))
        ctx.refresh()
        return await _payload(ctx, media, [])

    @strawberry.mutation(
        description="Delete an image or a video; IN_USE while an article uses it.",
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def delete_media(
        self, info: strawberry.Info[Context], id: strawberry.ID
    ) -> MediaPayload | None:
        ctx = info.context
        try:
            media = await _media(id)
            async with ctx.runtime.events.recording() as outbox:
                await links.delete_media(media, ctx.runtime.clock(), outbox)
        except DomainError as exc:
            return await _payload(ctx, None, user_errors(ctx, exc))
        return await _payload(ctx, None, [])

    @strawberry.mutation(
        description=(
            "Upload a WebVTT caption file (text/vtt, UTF-8, at most 1 MB) for a video in one "
            "locale, replacing the one there; as uploadImage, through the GraphQL multipart "
            "request spec with 'X-Contentapi-Upload: 1'. A file that is not WebVTT is "
            "UNSUPPORTED_MEDIA."
        ),
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def upload_video_caption(
        self, info: strawberry.Info[Context], file: Upload, input: VideoCaptionInput
    ) -> VideoPayload | None:
        ctx = info.context
        try:
            video = await _video(input.video_id)
            locale = ctx.locale(input.locale)
            limit = min(ctx.settings.upload_max_bytes, captions.MAX_BYTES)
            data = await _read_upload(file, limit)
            async with ctx.runtime.events.recording() as outbox:
                await services.set_caption(
                    video,
                    locale,
                    data,
                    ctx.runtime.storage,
                    ctx.runtime.clock(),
                    outbox,
                    max_bytes=limit,
                )
        except DomainError as exc:
            return VideoPayload(video=None, errors=user_errors(ctx, exc))
        ctx.refresh()
        chain = ctx.chain(ctx.negotiated_locale)
        return VideoPayload(video=(await build_videos(ctx, [video], chain))[0], errors=[])

    @strawberry.mutation(
        description="Remove a video's caption file in one locale; NOT_FOUND when it has none.",
        permission_classes=[requires(Action.ATTACH_MEDIA)],
    )
    async def delete_video_caption(
        self, info: strawberry.Info[Context], video_id: strawberry.ID, locale: str
    ) -> VideoPayload | None:
        ctx = info.context
        try:
            video = await _video(video_id)
            code = ctx.locale(locale)
            async with ctx.runtime.events.recording() as outbox:
                await services.delete_caption(video, code, ctx.runtime.clock(), outbox)
        except DomainError as exc:
            return VideoPayload(video=None, errors=user_errors(ctx, exc))
        ctx.refresh()
        chain = ctx.chain(ctx.negotiated_locale)
        return VideoPayload(video=(await build_videos(ctx, [video], chain))[0], errors=[])
