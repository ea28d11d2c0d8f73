"""Inputs and payloads of the media mutations."""

from __future__ import annotations

import strawberry

from contentapi.graphql.errors import UserError
from contentapi.graphql.idempotency import key_field
from contentapi.graphql.media.types import Image, Video


@strawberry.input(description="An image's texts in one locale.")
class ImageTextInput:
    """Alt text is what screen readers say; the caption is shown under the picture."""

    locale: str = strawberry.field(description="Locale of these texts.")
    alt: str = strawberry.field(description="Alt text (required, at most 300 characters).")
    caption: str | None = strawberry.field(default=None, description="Caption.")


@strawberry.input(description="A video's texts in one locale.")
class VideoTextInput:
    """Title and caption."""

    locale: str = strawberry.field(description="Locale of these texts.")
    title: str = strawberry.field(description="Title (required).")
    caption: str | None = strawberry.field(default=None, description="Caption.")


@strawberry.input(description="Where crops of an image should centre.")
class FocalPointInput:
    """Fractions of width and height, from 0 (left, top) to 1 (right, bottom)."""

    x: float = strawberry.field(description="0 to 1 across.")
    y: float = strawberry.field(description="0 to 1 down.")


@strawberry.input(description="Details of an uploaded image.")
class ImageInput:
    """Credit, texts per locale, and a focal point."""

    credit: str | None = strawberry.field(default=None, description="e.g. 'Foto: Difi'.")
    texts: list[ImageTextInput] = strawberry.field(
        default_factory=list, description="Alt text and caption per locale."
    )
    focal_point: FocalPointInput | None = strawberry.field(default=None, description="Crops.")
    idempotency_key: str | None = key_field()


@strawberry.input(description="A video clip hosted elsewhere.")
class VideoInput:
    """YouTube, Vimeo or a direct video file; the player URL is derived."""

    url: str = strawberry.field(description="Where the clip is (http or https).")
    texts: list[VideoTextInput] = strawberry.field(description="Title and caption per locale.")
    credit: str | None = strawberry.field(default=None, description="e.g. 'Video: KMD'.")
    duration_seconds: int | None = strawberry.field(default=None, description="Length.")
    thumbnail_id: strawberry.ID | None = strawberry.field(default=None, description="An image.")
    idempotency_key: str | None = key_field()


@strawberry.input(description="Changes to an image or a video; fields left out stay.")
class UpdateMediaInput:
    """Texts are replaced per locale given; other locales stay."""

    id: strawberry.ID = strawberry.field(description="Image or video id.")
    credit: str | None = strawberry.field(default=None, description="New credit.")
    image_texts: list[ImageTextInput] = strawberry.field(
        default_factory=list, description="For an image."
    )
    video_texts: list[VideoTextInput] = strawberry.field(
        default_factory=list, description="For a video."
    )
    focal_point: FocalPointInput | None = strawberry.field(default=None, description="Images.")


@strawberry.input(description="Which video and language an uploaded caption file is for.")
class VideoCaptionInput:
    """The caption file replaces the video's file in that locale, if it has one."""

    video_id: strawberry.ID = strawberry.field(description="The video.")
    locale: str = strawberry.field(description="Language of the captions.")


@strawberry.type(description="Result of uploadImage.")
class ImagePayload:
    """The stored image, or the errors."""

    image: Image | None = strawberry.field(description="The image.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")


@strawberry.type(description="Result of createVideo, uploadVideoCaption and deleteVideoCaption.")
class VideoPayload:
    """The video, or the errors."""

    video: Video | None = strawberry.field(description="The video.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")


@strawberry.type(description="Result of updateMedia and deleteMedia.")
class MediaPayload:
    """The medium after the change (null after a delete), or the errors."""

    image: Image | None = strawberry.field(description="When it is an image.")
    video: Video | None = strawberry.field(description="When it is a video.")
    errors: list[UserError] = strawberry.field(description="Empty when it worked.")
