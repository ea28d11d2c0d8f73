"""Write side of the article-media links: attaching media, and what the links forbid.

Media know nothing of articles; these rules (a LEAD image is unique, a medium in use is
not deleted, a published translation's images have alt text) live here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from contentapi.articles.actor import Actor
from contentapi.articles.events import ArticleUpdated
from contentapi.articles.models import ArticleImage, ArticleVideo, MediaRole
from contentapi.articles.validation import live_article
from contentapi.errors import DomainError, ErrorCode
from contentapi.events.outbox import Outbox
from contentapi.media import services as media_services
from contentapi.media.models import Image, ImageTranslation, Video


async def attach_media(
    article_id: int,
    media: Image | Video,
    role: MediaRole,
    position: int | None,
    actor: Actor,
    outbox: Outbox,
) -> None:
    """Use an image or video in an article; a new LEAD image turns the old one INLINE.

    Attaching what is already attached changes its role (and position, if given).
    """
    await live_article(article_id)
    link_model: type[ArticleImage] | type[ArticleVideo]
    if isinstance(media, Image):
        link_model, media_field = ArticleImage, "image_id"
    else:
        link_model, media_field = ArticleVideo, "video_id"
    async with in_transaction():
        links = link_model.filter(article_id=article_id)
        if role is MediaRole.LEAD and link_model is ArticleImage:
            await (
                links.filter(role=MediaRole.LEAD)
                .exclude(image_id=media.id)
                .update(role=MediaRole.INLINE)
            )
        which: dict[str, Any] = {"article_id": article_id, media_field: media.id}
        existing = await link_model.get_or_none(**which)
        if existing is None:
            end = await links.count()
            await link_model.create(
                role=role, position=end if position is None else position, **which
            )
        else:
            existing.role = role
            existing.position = existing.position if position is None else position
            await existing.save()
        await outbox.record(ArticleUpdated(article_id, actor.now))


async def delete_media(media: Image | Video, now: datetime, outbox: Outbox) -> None:
    """Delete a medium no article uses; IN_USE (naming the articles) while one does."""
    await media_services.refuse_if_thumbnail(media)
    if isinstance(media, Image):
        users = await ArticleImage.filter(image_id=media.id).values_list("article_id", flat=True)
    else:
        users = await ArticleVideo.filter(video_id=media.id).values_list("article_id", flat=True)
    if users:
        article_ids = sorted({int(str(u)) for u in users})
        raise DomainError(
            ErrorCode.IN_USE,
            f"Used by articles {', '.join(map(str, article_ids))}",
            field="id",
            extensions={"articleIds": article_ids},
        )
    await media_services.delete_media(media, now, outbox)


async def images_missing_alt(article_id: int, locale: str) -> list[int]:
    """Ids of the article's images that have no alt text in ``locale``."""
    used = await ArticleImage.filter(article_id=article_id).values_list("image_id", flat=True)
    have = await ImageTranslation.filter(
        image_id__in=list(used), locale=locale, alt__not=""
    ).values_list("image_id", flat=True)
    return sorted({int(str(i)) for i in used} - {int(str(i)) for i in have})
