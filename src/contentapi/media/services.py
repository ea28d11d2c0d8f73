"""Write side for media: uploads, videos, per-locale texts, and deleting what is unused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from contentapi.errors import DomainError, DomainErrors, ErrorCode, not_found
from contentapi.events.outbox import Outbox
from contentapi.media import captions, images, videos
from contentapi.media.events import MediaChanged
from contentapi.media.models import (
    TEXT_FIELDS,
    Image,
    ImageTranslation,
    Video,
    VideoCaption,
    VideoTranslation,
)
from contentapi.media.storage import Storage
from contentapi.text_rules import text_error

MAX_TEXT = 300  # the title and alt columns hold 300 and 500
MAX_CAPTION = 2000
MAX_CREDIT = 200


@dataclass(frozen=True)
class Texts:
    """One locale's texts for a medium: alt (images) or title (videos), and a caption."""

    locale: str
    main: str
    caption: str | None = None


def _check_texts(texts: list[Texts], main_field: str) -> None:
    locales = [text.locale for text in texts]
    if len(set(locales)) != len(locales):
        raise DomainError(ErrorCode.BAD_REQUEST, "Give each locale's texts once", field="texts")
    errors = []
    for text in texts:
        where = f"texts.{text.locale}"
        problems = [
            text_error(f"{where}.{main_field}", text.main, shown=True),
            text_error(f"{where}.caption", text.caption),
        ]
        if any(problems):
            errors += [problem for problem in problems if problem is not None]
        elif text.caption is not None and len(text.caption) > MAX_CAPTION:
            errors.append(
                DomainError(
                    ErrorCode.TOO_LONG,
                    "caption is too long",
                    field=f"{where}.caption",
                    params={"max": MAX_CAPTION},
                )
            )
        elif not text.main.strip():
            errors.append(
                DomainError(
                    ErrorCode.REQUIRED,
                    f"{main_field} is required",
                    field=f"texts.{text.locale}.{main_field}",
                )
            )
        elif len(text.main) > MAX_TEXT:
            errors.append(
                DomainError(
                    ErrorCode.TOO_LONG,
                    f"{main_field} is too long",
                    field=f"texts.{text.locale}.{main_field}",
                    params={"max": MAX_TEXT},
                )
            )
    if errors:
        raise DomainErrors(errors)


def _credit(text: str | None) -> str | None:
    return (text or "").strip() or None  # its length was checked (_check_plain)


def _check_plain(**values: str | None) -> None:
    """INVALID_TEXT for the first value with control or text-direction characters; a
    credit over its column is TOO_LONG."""
    for field, value in values.items():
        if (problem := text_error(field, value)) is not None:
            raise problem
    credit = (values.get("credit") or "").strip()
    if len(credit) > MAX_CREDIT:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"credit is over {MAX_CREDIT} characters",
            field="credit",
            params={"max": MAX_CREDIT},
        )


def _check_focal(x: float | None, y: float | None) -> None:
    if (x is None) != (y is None) or any(v is not None and not 0 <= v <= 1 for v in (x, y)):
        raise DomainError(
            ErrorCode.BAD_REQUEST, "A focal point is x and y from 0 to 1", field="focalPoint"
        )


async def upload_image(
    data: bytes,
    credit: str | None,
    texts: list[Texts],
    focal: tuple[float, float] | None,
    storage: Storage,
    max_pixels: int,
) -> Image:
    """Decode, clean and store an uploaded picture, with its texts per locale."""
    _check_texts(texts, "alt")
    _check_plain(credit=credit)
    _check_focal(*(focal or (None, None)))
    picture = images.decode(data, max_pixels)
    name = storage.put(picture.data, picture.suffix)
    async with in_transaction():
        image = await Image.create(
            file=name,
            width=picture.width,
            height=picture.height,
            credit=_credit(credit),
            content_type=picture.content_type,
            focal_x=focal[0] if focal else None,
            focal_y=focal[1] if focal else None,
        )
        for text in texts:
            await ImageTranslation.create(
                image=image, locale=text.locale, alt=text.main.strip(), caption=text.caption
            )
    return image


async def create_video(
    url: str,
    credit: str | None,
    duration: int | None,
    texts: list[Texts],
    thumbnail_id: int | None,
) -> Video:
    """A video from a YouTube, Vimeo or file URL, with its titles per locale."""
    _check_texts(texts, "title")
    _check_plain(url=url, credit=credit)
    if not texts:
        raise DomainError(
            ErrorCode.REQUIRED, "A video needs a title in at least one locale", field="texts"
        )
    embed = videos.embed_url(url)
    if duration is not None and not 0 < duration < 100_000:
        raise DomainError(
            ErrorCode.BAD_REQUEST, "durationSeconds is out of range", field="durationSeconds"
        )
    if thumbnail_id is not None and not await Image.exists(id=thumbnail_id):
        raise not_found("image", field="thumbnailId")
    async with in_transaction():
        video = await Video.create(
            url=url.strip(),
            embed_url=embed,
            credit=_credit(credit),
            duration_seconds=duration,
            thumbnail_id=thumbnail_id,
        )
        for text in texts:
            await VideoTranslation.create(
                video=video, locale=text.locale, title=text.main.strip(), caption=text.caption
            )
    return video


async def update_media(
    media: Image | Video,
    credit: str | None,
    texts: list[Texts],
    focal: tuple[float, float] | None,
    now: datetime,
    outbox: Outbox,
) -> None:
    """Change the credit, the texts of the given locales, and (images) the focal point."""
    is_image = isinstance(media, Image)
    _check_texts(texts, "alt" if is_image else "title")
    _check_plain(credit=credit)
    if focal is not None:
        if not is_image:
            raise DomainError(
                ErrorCode.BAD_REQUEST, "Only images have a focal point", field="focalPoint"
            )
        _check_focal(*focal)
    async with in_transaction():
        changed = []  # only what was given: a concurrent edit of the rest stays
        if credit is not None:
            media.credit = _credit(credit)
            changed.append("credit")
        if isinstance(media, Image) and focal is not None:
            media.focal_x, media.focal_y = focal
            changed += ["focal_x", "focal_y"]
        if changed:
            await media.save(update_fields=changed)
        for text in texts:
            if isinstance(media, Image):
                await ImageTranslation.update_or_create(
                    image_id=media.id,
                    locale=text.locale,
                    defaults={"alt": text.main.strip(), "caption": text.caption},
                )
            else:
                await VideoTranslation.update_or_create(
                    video_id=media.id,
                    locale=text.locale,
                    defaults={"title": text.main.strip(), "caption": text.caption},
                )
        await outbox.record(MediaChanged(_kind(media), media.id, now))


async def refuse_if_thumbnail(media: Image | Video) -> None:
    """IN_USE while an image is a video's thumbnail."""
    if isinstance(media, Image) and await Video.exists(thumbnail_id=media.id):
        raise DomainError(ErrorCode.IN_USE, "The image is a video's thumbnail", field="id")


async def delete_media(media: Image | Video, now: datetime, outbox: Outbox) -> None:
    """Delete a medium; IN_USE while it is a video's thumbnail.

    Call it through ``articles.links.delete_media``, which also refuses media in use.
    """
    await refuse_if_thumbnail(media)
    async with in_transaction():
        await media.delete()
        await outbox.record(MediaChanged(_kind(media), media.id, now))


def _kind(media: Image | Video) -> str:
    return "image" if isinstance(media, Image) else "video"


async def set_text(
    media: Image | Video, locale: str, name: str, text: str, now: datetime, outbox: Outbox
) -> bool:
    """Set one text of a medium in ``locale`` (``alt`` or ``title``, or ``caption``), with
    the limits of :func:`update_media`; says whether it changed.

    A caption needs the main text (alt text, video title) of its locale first.
    """
    is_image = isinstance(media, Image)
    main_field = TEXT_FIELDS["image" if is_image else "video"][0]
    if name not in TEXT_FIELDS["image" if is_image else "video"]:
        raise DomainError(ErrorCode.BAD_REQUEST, f"No text called {name}", field=name)
    found: ImageTranslation | VideoTranslation | None
    if is_image:
        found = await ImageTranslation.get_or_none(image_id=media.id, locale=locale)
    else:
        found = await VideoTranslation.get_or_none(video_id=media.id, locale=locale)
    if found is None and name != main_field:
        raise DomainError(
            ErrorCode.REQUIRED, f"Give the {main_field} first", field=f"texts.{locale}.{main_field}"
        )
    if found is not None and getattr(found, name) == (text.strip() if name == main_field else text):
        return False
    main = text if name == main_field else str(getattr(found, main_field))
    caption = text if name == "caption" else (found.caption if found else None)
    await update_media(media, None, [Texts(locale, main, caption)], None, now, outbox)
    return True


async def set_caption(
    video: Video,
    locale: str,
    data: bytes,
    storage: Storage,
    now: datetime,
    outbox: Outbox,
    max_bytes: int = captions.MAX_BYTES,
) -> VideoCaption:
    """Attach a WebVTT caption file to ``video`` in ``locale``, replacing the one there.

    FILE_TOO_LARGE past ``max_bytes``; UNSUPPORTED_MEDIA when it is not WebVTT. The file is
    stored under its content name, like images.
    """
    captions.check(data, max_bytes)
    name = storage.put(data, captions.SUFFIX)
    async with in_transaction():
        found = await VideoCaption.get_or_none(video_id=video.id, locale=locale)
        if found is None:
            found = await VideoCaption.create(
                video_id=video.id,
                locale=locale,
                file=name,
                size=len(data),
                created_at=now,
                updated_at=now,
            )
        else:
            found.file, found.size, found.updated_at = name, len(data), now
            await found.save(update_fields=["file", "size", "updated_at"])
        await outbox.record(MediaChanged("video", video.id, now))
    return found


async def delete_caption(video: Video, locale: str, now: datetime, outbox: Outbox) -> None:
    """Remove ``video``'s caption file in ``locale``; NOT_FOUND when it has none.

    The file stays in the media folder (a content name may be shared, and caches may
    hold its URL); the video no longer lists it.
    """
    async with in_transaction():
        deleted = await VideoCaption.filter(video_id=video.id, locale=locale).delete()
        if not deleted:
            raise not_found("caption", field="locale")
        await outbox.record(MediaChanged("video", video.id, now))
