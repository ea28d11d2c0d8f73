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

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.queryset import QuerySet

from contentapi.articles.links import links_by_article
from contentapi.articles.models import (
    Article,
    ArticleListing,
    ArticleRevision,
    ArticleTag,
    ArticleTranslation,
    PublicationStatus,
    Tag,
    TagTranslation,
)
from contentapi.articles.visibility import visible
from contentapi.i18n import LocaleChain

# what a list reads of each translation: everything but the body and the search text
CARD_FIELDS = (
    "id",
    "article_id",
    "locale",
    "title",
    "slug",
    "lead",
    "status",
    "published_at",
    "updated_at",
    "version",
    "source_locale",
    "source_version",
    "machine_translated",
)


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
    """A slice of a list, with what the Relay page info needs.

    The rows are partial (``CARD_FIELDS``): the body is loaded only when asked for.
    """

    rows: list[ArticleTranslation]
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


def _listed(
    requested: str, now: datetime, flt: ArticleFilter, tag_id: int | None
) -> QuerySet[ArticleListing]:
    """The listing rows served for ``requested`` at ``now`` that pass the filter.

    ``tag_id`` is the filter's tag, looked up first (:func:`_tag_id`).
    """
    qs = ArticleListing.filter(requested_locale=requested, published_at__lte=now).filter(
        Q(shadowed_from__isnull=True) | Q(shadowed_from__gt=now)
    )
    if tag_id is not None:
        # correlated, so the listing index still gives the order (an IN list would be
        # looked up article by article and then sorted); only an integer goes into the SQL
        qs = qs.annotate(
            tagged=RawSQL(
                'EXISTS (SELECT 1 FROM "article_tag" WHERE "article_tag"."article_id" = '
                f'"article_listing"."article_id" AND "article_tag"."tag_id" = {int(tag_id)})'
            )
        ).filter(tagged=True)
    if flt.published_after is not None:
        qs = qs.filter(published_at__gte=flt.published_after)
    if flt.published_before is not None:
        qs = qs.filter(published_at__lt=flt.published_before)
    if flt.updated_after is not None:
        qs = qs.filter(updated_at__gte=flt.updated_after)
    if flt.updated_before is not None:
        qs = qs.filter(updated_at__lt=flt.updated_before)
    for word in flt.words:
        qs = qs.filter(translation__search_text__contains=word.casefold())
    return qs


def _beyond(order: ArticleOrder, key: SortKey, forward: bool) -> Q:
    """Rows strictly after ``key`` in ``order`` (or before it, when not ``forward``)."""
    later = order.descending != forward  # larger values come later
    op = "gt" if later else "lt"
    past: dict[str, Any] = {f"{order.field}__{op}": key.value}
    tie: dict[str, Any] = {order.field: key.value, f"article_id__{op}": key.article_id}
    return Q(**past) | Q(**tie)


async def list_articles(
    chain: LocaleChain,
    now: datetime,
    flt: ArticleFilter,
    order: ArticleOrder,
    *,
    first: int | None = None,
    after: SortKey | None = None,
    last: int | None = None,
    before: SortKey | None = None,
) -> Page:
    """A page of articles resolved for ``chain``; give ``first`` or ``last``, not both.

    Two statements whatever the archive size: the listing index gives the page in
    order, then the page's translations are read by primary key, without their bodies.
    """
    tag_id = await _tag_id(flt)
    if tag_id == 0:
        return Page([], has_next=False, has_previous=after is not None)
    qs = _listed(chain.requested, now, flt, tag_id)
    if after is not None:
        qs = qs.filter(_beyond(order, after, forward=True))
    if before is not None:
        qs = qs.filter(_beyond(order, before, forward=False))
    forward = last is None
    size = first if forward else last
    assert size is not None
    descending = order.descending == forward
    sign = "-" if descending else ""
    listed = await (
        qs.order_by(f"{sign}{order.field}", f"{sign}article_id")
        .limit(size + 1)
        .values_list("translation_id", flat=True)
    )
    more = len(listed) > size
    ids = [int(i) for i in listed[:size]]  # type: ignore[call-overload]
    found = {}
    if ids:
        found = {
            row.id: row for row in await ArticleTranslation.filter(id__in=ids).only(*CARD_FIELDS)
        }
    rows = [found[i] for i in ids if i in found]
    if forward:
        return Page(rows, has_next=more, has_previous=after is not None)
    rows.reverse()
    return Page(rows, has_next=before is not None, has_previous=more)


async def count_articles(chain: LocaleChain, now: datetime, flt: ArticleFilter) -> int:
    """How many articles a list has on all its pages (``totalCount``, only when asked)."""
    tag_id = await _tag_id(flt)
    if tag_id == 0:
        return 0
    return await _listed(chain.requested, now, flt, tag_id).count()


async def _tag_id(flt: ArticleFilter) -> int | None:
    """The id of the filter's tag; None without a tag filter, 0 for an unknown tag."""
    if flt.tag is None:
        return None
    tag = await Tag.get_or_none(key=flt.tag).only("id")
    return int(tag.pk) if tag else 0


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
    chain: LocaleChain,
    all_locales: Sequence[str],
    now: datetime,
    preview: bool = False,
) -> int | None:
    """The article a slug names, looking in the chain's locales first, then the others.

    Slugs are unique per locale, so an nn slug asked for in nb still finds its article;
    naming the locales lets the ``(locale, slug)`` index answer. With ``preview``,
    drafts and scheduled translations count too.
    """
    preference = chain.preference(all_locales)
    scope = Q(article__deleted_at__isnull=True) if preview else visible(now)
    rows = await ArticleTranslation.filter(scope, locale__in=list(preference), slug=slug).values(
        "article_id", "locale"
    )
    if not rows:
        return None
    best = min(rows, key=lambda r: preference.index(str(r["locale"])))
    return int(best["article_id"])


async def attached_tags(article_ids: Sequence[int]) -> dict[int, list[tuple[Tag, dict[str, str]]]]:
    """Each article's tags in display order, each with its names by locale (two statements)."""
    links = await links_by_article(ArticleTag, article_ids, "tag")
    names = await tag_names(list({link.tag_id for found in links.values() for link in found}))
    return {
        article_id: [(link.tag, names.get(link.tag_id, {})) for link in found]
        for article_id, found in links.items()
    }


async def bodies(translation_ids: Sequence[int]) -> dict[int, str]:
    """The body of each translation (lists read their rows without it)."""
    rows = await ArticleTranslation.filter(id__in=list(translation_ids)).values_list("id", "body")
    return {int(pk): str(body) for pk, body in rows}


async def tag_names(tag_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each tag's name by locale."""
    if not tag_ids:
        return {}
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for row in await TagTranslation.filter(tag_id__in=list(tag_ids)):
        names[row.tag_id][row.locale] = row.name
    return names
