"""Read-side queries for media: rows and per-locale texts (articles/attachments.py has
where they are used)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from contentapi.media.models import (
    TEXT_FIELDS,
    Image,
    ImageTranslation,
    Video,
    VideoCaption,
    VideoTranslation,
)


@dataclass(frozen=True, slots=True)
class ImageText:
    """An image's texts in one locale, as the read side shows them."""

    alt: str
    caption: str | None


@dataclass(frozen=True, slots=True)
class VideoText:
    """A video's texts in one locale, as the read side shows them."""

    title: str
    caption: str | None


@dataclass(frozen=True, slots=True)
class CaptionFile:
    """A video's WebVTT file in one locale, as the read side shows it."""

    locale: str
    file: str


T = TypeVar("T", bound=ImageText | VideoText)

# what the read side shows of a medium (partial rows: nothing writes them back)
IMAGE_COLUMNS = ("id", "file", "width", "height", "credit", "focal_x", "focal_y")
VIDEO_COLUMNS = ("id", "url", "embed_url", "credit", "duration_seconds", "thumbnail_id")


async def medium(type_name: str, pk: int) -> Image | Video | None:
    """The image or video a global id names (``Image`` or ``Video``), if it exists."""
    if type_name == "Image":
        return await Image.get_or_none(id=pk)
    if type_name == "Video":
        return await Video.get_or_none(id=pk)
    return None


async def images(image_ids: Sequence[int]) -> dict[int, Image]:
    """Images by id."""
    return {row.id: row for row in await Image.filter(id__in=list(image_ids))}


async def image_texts(image_ids: Sequence[int]) -> dict[int, dict[str, ImageText]]:
    """Each image's alt text and caption by locale."""
    return await _texts(ImageTranslation, "image_id", ImageText, TEXT_FIELDS["image"], image_ids)


async def video_texts(video_ids: Sequence[int]) -> dict[int, dict[str, VideoText]]:
    """Each video's title and caption by locale."""
    return await _texts(VideoTranslation, "video_id", VideoText, TEXT_FIELDS["video"], video_ids)


async def _texts(
    model: type[ImageTranslation] | type[VideoTranslation],
    key: str,
    text: type[T],
    columns: tuple[str, str],
    ids: Sequence[int],
) -> dict[int, dict[str, T]]:
    if not ids:
        return {}
    texts: dict[int, dict[str, T]] = defaultdict(dict)
    rows = await model.filter(**{f"{key}__in": list(ids)}).values(key, "locale", *columns)
    for row in rows:
        texts[row[key]][row["locale"]] = text(row[columns[0]], row[columns[1]])
    return texts


async def video_captions(video_ids: Sequence[int]) -> dict[int, list[CaptionFile]]:
    """Each video's caption files, by locale code."""
    if not video_ids:
        return {}
    found: dict[int, list[CaptionFile]] = defaultdict(list)
    rows = await (
        VideoCaption.filter(video_id__in=list(video_ids))
        .order_by("video_id", "locale")
        .values("video_id", "locale", "file")
    )
    for row in rows:
        found[row["video_id"]].append(CaptionFile(row["locale"], row["file"]))
    return found


def in_chain_order(files: Sequence[CaptionFile], chain: Sequence[str]) -> list[CaptionFile]:
    """Caption files with the reader's chain first (its own locale first), then by code."""
    return sorted(
        files,
        key=lambda f: (chain.index(f.locale) if f.locale in chain else len(chain), f.locale),
    )
