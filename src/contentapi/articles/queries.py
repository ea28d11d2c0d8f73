"""Read-side queries for articles: visibility, fallback-aware listing, slugs, tags.

Only published translations are visible, and only they take part in fallback.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from contentapi.articles.links import links_by_article
from contentapi.articles.models import (
    Article,
    ArticleRevision,
    ArticleTag,
    ArticleTranslation,
    PublicationStatus,
    TagTranslation,
)

_LIVE = (PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED)


class ArticleOrder(StrEnum):
    """Orderings of article lists; ties are broken by article id."""

    PUBLISHED_DESC = "PUBLISHED_DESC"
    PUBLISHED_ASC = "PUBLISHED_ASC"
    UPDATED_DESC = "UPDATED_DESC"
    UPDATED_ASC = "UPDATED_ASC"

    @property
    def field(self) -> str:
        """The translation column the order sorts on."""
        return "published_at" if self.name.startswith("PUBLISHED") else "updated_at"

    @property
    def descending(self) -> bool:
        """True for newest first."""
        return self.name.endswith("DESC")


@dataclass(frozen=True)
class ArticleFilter:
    """Narrowing of an article list; every part is optional."""

    tag: str | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    words: tuple[str, ...] = ()  # each must occur in the title, lead or body


@dataclass(frozen=True)
class SortKey:
    """Where a row stands in an ordering: the sorted value, then the article id."""

    value: datetime
    article_id: int


@dataclass(frozen=True)
class Page:
    """A slice of a list, with what the Relay page info needs."""

    rows: list[ArticleTranslation]
    total: int
    has_next: bool
    has_previous: bool


def effective_status(row: ArticleTranslation, now: datetime) -> PublicationStatus:
    """SCHEDULED turns into PUBLISHED by itself once its time has come."""
    if (
        row.status is PublicationStatus.SCHEDULED
        and row.published_at is not None
        and row.published_at <= now
    ):
        return PublicationStatus.PUBLISHED
    return PublicationStatus(row.status)


def visible(now: datetime) -> Q:
    """Translations an anonymous reader may see at ``now``."""
    return Q(status__in=_LIVE, published_at__lte=now, article__deleted_at__isnull=True)


def published_article_ids(now: datetime) -> Subquery:
    """Ids of articles with at least one translation anonymous readers may see."""
    return Subquery(ArticleTranslation.filter(visible(now)).values("article_id"))


async def articles_by_id(article_ids: Sequence[int]) -> dict[int, Article]:
    """Article rows by id."""
    return {row.id: row for row in await Article.filter(id__in=list(article_ids))}


async def tag_is_public(tag_id: int, now: datetime) -> bool:
    """A tag is public once a published article uses it."""
    return await ArticleTag.filter(
        tag_id=tag_id, article_id__in=published_article_ids(now)
    ).exists()


def resolved_in_chain(chain: Sequence[str], now: datetime) -> Q:
    """One visible translation per article: the first of ``chain`` that it has."""
    q = Q(locale=chain[0])
    for i, locale in enumerate(chain[1:], start=1):
        better = ArticleTranslation.filter(visible(now), locale__in=list(chain[:i]))
        q |= Q(locale=locale) & ~Q(article_id__in=Subquery(better.values("article_id")))
    return visible(now) & q


def _filtered(
    chain: Sequence[str], now: datetime, flt: ArticleFilter
) -> QuerySet[ArticleTranslation]:
    qs = ArticleTranslation.filter(resolved_in_chain(chain, now))
    if flt.tag is not None:
        tagged = ArticleTag.filter(tag__key=flt.tag).values("article_id")
        qs = qs.filter(article_id__in=Subquery(tagged))
    if flt.published_after is not None:
        qs = qs.filter(published_at__gte=flt.published_after)
    if flt.published_before is not None:
        qs = qs.filter(published_at__lt=flt.published_before)
    if flt.updated_after is not None:
        qs = qs.filter(updated_at__gte=flt.updated_after)
    if flt.updated_before is not None:
        qs = qs.filter(updated_at__lt=flt.updated_before)
    for word in flt.words:
        qs = qs.filter(search_text__contains=word.casefold())
    return qs


def _beyond(order: ArticleOrder, key: SortKey, forward: bool) -> Q:
    """Rows strictly after ``key`` in ``order`` (or before it, when not ``forward``)."""
    later = order.descending != forward  # larger values come later
    op = "gt" if later else "lt"
    past: dict[str, Any] = {f"{order.field}__{op}": key.value}
    tie: dict[str, Any] = {order.field: key.value, f"article_id__{op}": key.article_id}
    return Q(**past) | Q(**tie)


async def list_articles(
    chain: Sequence[str],
    now: datetime,
    flt: ArticleFilter,
    order: ArticleOrder,
    *,
    first: int | None = None,
    after: SortKey | None = None,
    last: int | None = None,
    before: SortKey | None = None,
) -> Page:
    """A page of articles resolved for ``chain``; give ``first`` or ``last``, not both."""
    base = _filtered(chain, now, flt)
    total = await base.count()
    qs = base
    if after is not None:
        qs = qs.filter(_beyond(order, after, forward=True))
    if before is not None:
        qs = qs.filter(_beyond(order, before, forward=False))
    forward = last is None
    size = first if forward else last
    assert size is not None
    descending = order.descending == forward
    sign = "-" if descending else ""
    rows = await qs.order_by(f"{sign}{order.field}", f"{sign}article_id").limit(size + 1)
    more = len(rows) > size
    rows = rows[:size]
    if forward:
        return Page(rows, total, has_next=more, has_previous=after is not None)
    rows.reverse()
    return Page(rows, total, has_next=before is not None, has_previous=more)


def sort_key(row: ArticleTranslation, order: ArticleOrder) -> SortKey:
    """The position of ``row`` in ``order``, for its cursor."""
    value = row.published_at if order.field == "published_at" else row.updated_at
    assert value is not None
    return SortKey(value, row.article_id)


async def visible_translations(
    article_ids: Sequence[int], now: datetime
) -> dict[int, dict[str, ArticleTranslation]]:
    """Every visible translation of each article, by article id and locale."""
    found: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    for row in await ArticleTranslation.filter(visible(now), article_id__in=list(article_ids)):
        found[row.article_id][row.locale] = row
    return found


async def editable_translations(
    article_ids: Sequence[int],
) -> dict[int, dict[str, ArticleTranslation]]:
    """Every translation of each live (not deleted) article, whatever its status."""
    found: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    rows = await ArticleTranslation.filter(
        article_id__in=list(article_ids), article__deleted_at__isnull=True
    )
    for row in rows:
        found[row.article_id][row.locale] = row
    return found


async def revisions(article_id: int, locale: str | None) -> list[ArticleRevision]:
    """An article's revisions, newest first, for one locale or all."""
    qs = ArticleRevision.filter(article_id=article_id)
    if locale is not None:
        qs = qs.filter(locale=locale)
    return await qs.order_by("-created_at", "-id")


async def article_id_by_slug(
    slug: str,
    chain: Sequence[str],
    all_locales: Sequence[str],
    now: datetime,
    preview: bool = False,
) -> int | None:
    """The article a slug names, looking in the chain's locales first, then the others.

    Slugs are unique per locale, so an nn slug asked for in nb still finds its article.
    With ``preview``, drafts and scheduled translations count too.
    """
    scope = Q(article__deleted_at__isnull=True) if preview else visible(now)
    rows = await ArticleTranslation.filter(scope, slug=slug).values("article_id", "locale")
    if not rows:
        return None
    preference = [*chain, *(c for c in all_locales if c not in chain)]
    rank = {locale: i for i, locale in enumerate(preference)}
    best = min(rows, key=lambda r: rank.get(str(r["locale"]), len(rank)))
    return int(best["article_id"])


async def tag_links(article_ids: Sequence[int]) -> dict[int, list[ArticleTag]]:
    """Each article's tags (with the tag row), in display order."""
    return await links_by_article(ArticleTag, article_ids, "tag")


async def tag_names(tag_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each tag's name by locale."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for row in await TagTranslation.filter(tag_id__in=list(tag_ids)):
        names[row.tag_id][row.locale] = row.name
    return names
