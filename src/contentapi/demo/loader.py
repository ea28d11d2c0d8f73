"""Load the demo content into a database; loading twice adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise.transactions import in_transaction

from contentapi.articles import bylines, listing
from contentapi.articles.html import clean_html, search_text
from contentapi.articles.models import (
    Article,
    ArticleImage,
    ArticleTag,
    ArticleTranslation,
    ArticleVideo,
    MediaRole,
    PublicationStatus,
    Tag,
    TagTranslation,
)
from contentapi.articles.search import index as search_index
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo import pictures
from contentapi.demo.content import (
    SEED,
    TAGS,
    DemoArticle,
    DemoByline,
    DemoImage,
    generated_articles,
)
from contentapi.events.outbox import Outbox, move_content_version
from contentapi.media import captions, services
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation
from contentapi.media.storage import LocalStorage
from contentapi.settings import Settings

PLACEHOLDER_SIZE = pictures.SIZE


def placeholder_jpeg(image: DemoImage) -> bytes:
    """A generated landscape in the image's colour, with its key and credit written on it."""
    return pictures.placeholder_jpeg(image.key, image.credit, image.colour)


async def _image(media_dir: Path, demo: DemoImage) -> Image:
    existing = await Image.get_or_none(key=demo.key)
    if existing is not None:
        return existing
    file = LocalStorage(media_dir).put(placeholder_jpeg(demo), ".jpg")
    image = await Image.create(
        key=demo.key,
        file=file,
        width=PLACEHOLDER_SIZE[0],
        height=PLACEHOLDER_SIZE[1],
        credit=demo.credit,
    )
    for locale in ("nb", "nn"):
        caption = getattr(demo.caption, locale) if demo.caption else None
        await ImageTranslation.create(
            image=image, locale=locale, alt=getattr(demo.alt, locale), caption=caption
        )
    return image


async def _tags() -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for key, name in TAGS.items():
        tag = await Tag.get_or_none(key=key)
        if tag is None:
            tag = await Tag.create(key=key)
            await TagTranslation.create(tag=tag, locale="nb", name=name.nb)
            await TagTranslation.create(tag=tag, locale="nn", name=name.nn)
        tags[key] = tag
    return tags


async def _article(media_dir: Path, demo: DemoArticle, tags: dict[str, Tag]) -> bool:
    if await Article.exists(key=demo.key):
        return False
    published = datetime.fromisoformat(demo.published_at).astimezone(UTC)
    updated = datetime.fromisoformat(demo.updated_at).astimezone(UTC)
    async with in_transaction():
        original = "nb" if "nb" in demo.title else next(iter(demo.title))
        article = await Article.create(key=demo.key, original_locale=original)
        for locale, title in demo.title.items():
            translated_from = original if locale != original else None
            row = await ArticleTranslation.create(
                source_locale=translated_from,
                source_version=1 if translated_from else None,
                article=article,
                locale=locale,
                title=title,
                slug=demo.slug[locale],
                lead=demo.lead.get(locale),
                body=clean_html(demo.body[locale]),
                search_text=search_text(title, demo.lead.get(locale), demo.body[locale]),
                status=PublicationStatus.PUBLISHED,
                published_at=published,
                updated_at=updated,
            )
            await search_index.write([row])
        for position, key in enumerate(demo.tags):
            await ArticleTag.create(article=article, tag=tags[key], position=position)
        if demo.byline is not None:
            await bylines.write(article.id, demo_byline(demo.byline))
        for position, demo_image in enumerate(demo.images):
            image = await _image(media_dir, demo_image)
            await ArticleImage.create(
                article=article,
                image=image,
                role=MediaRole(demo_image.role.upper()),
                position=position,
            )
        for position, demo_video in enumerate(demo.videos):
            video = await Video.create(
                key=demo_video.key,
                url=demo_video.url,
                credit=demo_video.credit,
                duration_seconds=demo_video.duration_seconds,
            )
            for locale in ("nb", "nn"):
                caption = getattr(demo_video.caption, locale) if demo_video.caption else None
                await VideoTranslation.create(
                    video=video,
                    locale=locale,
                    title=getattr(demo_video.title, locale),
                    caption=caption,
                )
            for locale in ("nb", "nn") if demo_video.captions else ():
                cues = [(a, b, getattr(text, locale)) for a, b, text in demo_video.captions]
                await services.set_caption(
                    video,
                    locale,
                    captions.render(cues),
                    LocalStorage(media_dir),
                    updated,
                    Outbox(()),  # nothing is sent: load_demo moves the content version
                )
            await ArticleVideo.create(article=article, video=video, position=position)
        for comment in demo.comments:
            await Comment.create(
                article=article,
                locale=comment.locale,
                author_name=comment.author_name,
                email=comment.email,
                body=comment.body,
                status=CommentStatus(comment.status),
                created_at=published + timedelta(minutes=comment.minutes_after_publish),
            )
    return True


def demo_byline(demo: DemoByline) -> bylines.Byline:
    """The stored form of a demo byline (roles and unit in nb and nn)."""
    return bylines.Byline(
        authors=[
            bylines.Author(
                author.name, {"nb": author.role.nb, "nn": author.role.nn} if author.role else {}
            )
            for author in demo.authors
        ],
        unit={"nb": demo.unit.nb, "nn": demo.unit.nn},
    )


async def load_demo(settings: Settings) -> int:
    """Add every demo article that is not there yet; returns how many were added.

    The article listing is refreshed for what was added, for the configured locales.
    """
    await search_index.ensure_current()  # what follows is indexed as it is written
    tags = await _tags()
    added = 0
    for demo in (SEED, *generated_articles()):
        added += await _article(settings.media_dir, demo, tags)
    if added:
        ids = await Article.filter(key__in=[d.key for d in (SEED, *generated_articles())])
        await listing.refresh([row.id for row in ids], settings.make_locales())
        await move_content_version()  # running servers forget what they kept
    return added
