"""Read-side queries for media: attachments of articles and per-locale texts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from contentapi.articles.links import links_by_article
from contentapi.articles.queries import published_article_ids
from contentapi.media.models import (
    ArticleImage,
    ArticleVideo,
    Image,
    ImageTranslation,
    MediaRole,
    Video,
    VideoTranslation,
)

M = TypeVar("M")
T = TypeVar("T")


@dataclass(frozen=True)
class Attached(Generic[M, T]):
    """A medium as an article uses it: its role there, its row, its texts by locale."""

    role: MediaRole
    row: M
    texts: dict[str, T]


async def image_links(
    article_ids: Sequence[int], role: MediaRole | None = None
) -> dict[int, list[ArticleImage]]:
    """Each article's images (with the image row), in display order; ``role`` narrows them."""
    where = {"role": role} if role is not None else {}
    return await links_by_article(ArticleImage, article_ids, "image", **where)


async def video_links(article_ids: Sequence[int]) -> dict[int, list[ArticleVideo]]:
    """Each article's videos (with the video row), in display order."""
    return await links_by_article(ArticleVideo, article_ids, "video")


async def attached_images(
    article_ids: Sequence[int], role: MediaRole | None = None
) -> dict[int, list[Attached[Image, ImageTranslation]]]:
    """Each article's images (of ``role``, or all) with their texts, in display order."""
    links = await image_links(article_ids, role)
    texts = await image_texts(list({link.image_id for found in links.values() for link in found}))
    return {
        article_id: [
            Attached(link.role, link.image, texts.get(link.image_id, {})) for link in found
        ]
        for article_id, found in links.items()
    }


async def attached_videos(
    article_ids: Sequence[int],
) -> dict[int, list[Attached[Video, VideoTranslation]]]:
    """Each article's videos with their texts, in display order (two statements)."""
    links = await video_links(article_ids)
    texts = await video_texts(list({link.video_id for found in links.values() for link in found}))
    return {
        article_id: [
            Attached(link.role, link.video, texts.get(link.video_id, {})) for link in found
        ]
        for article_id, found in links.items()
    }


async def images(image_ids: Sequence[int]) -> dict[int, Image]:
    """Images by id."""
    return {row.id: row for row in await Image.filter(id__in=list(image_ids))}


async def image_texts(image_ids: Sequence[int]) -> dict[int, dict[str, ImageTranslation]]:
    """Each image's alt text and caption by locale."""
    if not image_ids:
        return {}
    texts: dict[int, dict[str, ImageTranslation]] = defaultdict(dict)
    for row in await ImageTranslation.filter(image_id__in=list(image_ids)):
        texts[row.image_id][row.locale] = row
    return texts


async def video_texts(video_ids: Sequence[int]) -> dict[int, dict[str, VideoTranslation]]:
    """Each video's title and caption by locale."""
    if not video_ids:
        return {}
    texts: dict[int, dict[str, VideoTranslation]] = defaultdict(dict)
    for row in await VideoTranslation.filter(video_id__in=list(video_ids)):
        texts[row.video_id][row.locale] = row
    return texts


async def video_is_public(video_id: int, now: datetime) -> bool:
    """A video is public once a published article uses it."""
    return await ArticleVideo.filter(
        video_id=video_id, article_id__in=published_article_ids(now)
    ).exists()


async def image_is_public(image_id: int, now: datetime) -> bool:
    """An image is public once a published article uses it, or a public video's thumbnail."""
    if await ArticleImage.filter(
        image_id=image_id, article_id__in=published_article_ids(now)
    ).exists():
        return True
    for video_id in await Video.filter(thumbnail_id=image_id).values_list("id", flat=True):
        if await video_is_public(int(video_id), now):  # type: ignore[call-overload]
            return True
    return False
