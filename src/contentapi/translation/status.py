"""Translation status per locale: what is missing, outdated or up to date."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from contentapi.articles.models import ArticleTranslation, Tag, TagTranslation
from contentapi.articles.revisions import is_outdated
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation


class WorkState(StrEnum):
    """Why an item needs a translator."""

    MISSING = "MISSING"
    OUTDATED = "OUTDATED"


@dataclass(frozen=True)
class KindStatus:
    """Counts for one kind of content."""

    kind: str
    missing: int
    outdated: int
    up_to_date: int


@dataclass(frozen=True)
class WorkItem:
    """An article whose translation into the locale needs work."""

    article_id: int
    state: WorkState
    source_locale: str
    source_title: str


async def _article_status(locale: str) -> tuple[KindStatus, list[WorkItem]]:
    rows = await ArticleTranslation.filter(article__deleted_at__isnull=True)
    by_article: dict[int, dict[str, ArticleTranslation]] = {}
    for row in rows:
        by_article.setdefault(row.article_id, {})[row.locale] = row
    work: list[WorkItem] = []
    up_to_date = 0
    for article_id, translations in sorted(by_article.items()):
        mine = translations.get(locale)
        if mine is None:
            source = next(iter(sorted(translations.values(), key=lambda r: r.id)))
            work.append(WorkItem(article_id, WorkState.MISSING, source.locale, source.title))
            continue
        if is_outdated(mine, translations):
            source_row = translations[str(mine.source_locale)]
            work.append(
                WorkItem(article_id, WorkState.OUTDATED, source_row.locale, source_row.title)
            )
        else:
            up_to_date += 1
    missing = sum(item.state is WorkState.MISSING for item in work)
    return KindStatus("ARTICLE", missing, len(work) - missing, up_to_date), work


async def _texts(kind: str, total: int, translated: int) -> KindStatus:
    # media and tag texts keep no source version: they are missing or there
    return KindStatus(kind, total - translated, 0, translated)


async def translation_status(locale: str) -> tuple[list[KindStatus], list[WorkItem]]:
    """Counts per kind (articles, images, videos, tags) and the articles needing work."""
    articles, work = await _article_status(locale)
    kinds = [
        articles,
        await _texts(
            "IMAGE", await Image.all().count(), await ImageTranslation.filter(locale=locale).count()
        ),
        await _texts(
            "VIDEO", await Video.all().count(), await VideoTranslation.filter(locale=locale).count()
        ),
        await _texts(
            "TAG", await Tag.all().count(), await TagTranslation.filter(locale=locale).count()
        ),
    ]
    return kinds, work
