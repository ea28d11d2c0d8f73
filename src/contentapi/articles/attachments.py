"""Read side of the article-media links: what an article shows, and what is public."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from tortoise.models import Model

from contentapi import sql
from contentapi.articles.models import MediaRole
from contentapi.articles.queries import is_used_by_visible
from contentapi.media.models import TEXT_FIELDS, Image, Video
from contentapi.media.queries import IMAGE_COLUMNS, VIDEO_COLUMNS, ImageText, VideoText

M = TypeVar("M", bound=Model)
T = TypeVar("T", bound=ImageText | VideoText)


@dataclass(frozen=True)
class Attached(Generic[M, T]):
    """A medium as an article uses it: its role there, its row, its texts by locale."""

    role: MediaRole
    row: M
    texts: dict[str, T]


async def attached_images(
    article_ids: Sequence[int], role: MediaRole | None = None
) -> dict[int, list[Attached[Image, ImageText]]]:
    """Each article's images (of ``role``, or all) with their texts, in display order."""
    return await _attached(
        article_ids, role, Image, IMAGE_COLUMNS, ImageText, "image", TEXT_FIELDS["image"]
    )


async def attached_videos(
    article_ids: Sequence[int],
) -> dict[int, list[Attached[Video, VideoText]]]:
    """Each article's videos with their texts, in display order."""
    return await _attached(
        article_ids, None, Video, VIDEO_COLUMNS, VideoText, "video", TEXT_FIELDS["video"]
    )


async def _attached(
    article_ids: Sequence[int],
    role: MediaRole | None,
    media: type[M],
    media_columns: tuple[str, ...],
    text: type[T],
    kind: str,
    text_columns: tuple[str, str],
) -> dict[int, list[Attached[M, T]]]:
    # one statement: the links, the media rows and every locale's texts, joined
    ids = list(article_ids)
    where = f'l."article_id" IN ({sql.marks(len(ids))})'
    params: list[object] = [*ids]
    if role is not None:
        where += ' AND l."role" = ?'
        params.append(role.value)
    first, second = text_columns
    rows = await sql.fetch(
        f'SELECT l."id" AS "link_id", l."article_id" AS "link_article_id", '
        f'l."role" AS "link_role", {sql.columns(media, "m", "m_", media_columns)}, '
        'x."locale" AS "x_locale", '
        f'x."{first}" AS "x_first", x."{second}" AS "x_second" FROM "article_{kind}" l '
        f'JOIN "{kind}" m ON m."id" = l."{kind}_id" '
        f'LEFT JOIN "{kind}_translation" x ON x."{kind}_id" = l."{kind}_id" '
        f'WHERE {where} ORDER BY l."article_id", l."position", l."id"',
        params,
    )
    found: dict[int, list[Attached[M, T]]] = defaultdict(list)
    by_link: dict[int, Attached[M, T]] = {}
    for row in rows:
        attached = by_link.get(row["link_id"])
        if attached is None:
            row_media = sql.as_model(media, row, "m_", media_columns)
            attached = Attached(MediaRole(row["link_role"]), row_media, {})
            by_link[row["link_id"]] = attached
            found[int(row["link_article_id"])].append(attached)
        if row["x_locale"] is not None:
            attached.texts[str(row["x_locale"])] = text(row["x_first"], row["x_second"])
    return found


async def video_is_public(video_id: int, now: datetime) -> bool:
    """A video is public once a published article uses it."""
    return await is_used_by_visible("article_video", "video_id", video_id, now)


async def image_is_public(image_id: int, now: datetime) -> bool:
    """An image is public once a published article uses it, or a public video's thumbnail."""
    if await is_used_by_visible("article_image", "image_id", image_id, now):
        return True
    for video_id in await Video.filter(thumbnail_id=image_id).values_list("id", flat=True):
        if await video_is_public(int(video_id), now):  # type: ignore[call-overload]
            return True
    return False
