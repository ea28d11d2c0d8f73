"""Read-side queries for articles: visibility, fallback-aware listing, slugs, tags.

Only published translations are visible, and only they take part in fallback.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.expressions import Subquery

from contentapi import sql
from contentapi.articles import pending
from contentapi.articles.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    PublicationStatus,
    Tag,
    TagTranslation,
)
from contentapi.articles.visibility import visible, visible_sql
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
    # False: only translations written in the requested locale (rank 0 of its chain)
    include_fallbacks: bool = True


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


def used_by_visible(link_table: str, column: str, owner: str = "?") -> str:
    """SQL: an article a reader may see links the thing ``owner`` names (``?`` or a column)
    through ``link_table``; parameters: the owner's id where ``owner`` is ``?``, then now.

    Driven by the link table's index on ``column``, it stops at the first visible article
    (an IN over every visible translation took 80 ms at 100,000 articles).
    """
    return (
        f'EXISTS (SELECT 1 FROM "{link_table}" g JOIN "article_translation" t '
        'ON t."article_id" = g."article_id" JOIN "article" a ON a."id" = g."article_id" '
        f'WHERE g."{column}" = {owner} AND {visible_sql("t", "a")})'
    )


async def is_used_by_visible(link_table: str, column: str, pk: int, now: datetime) -> bool:
    """Whether an article a reader may see links ``pk`` through ``link_table``."""
    found = await sql.fetch(
        f'SELECT 1 AS "x" WHERE {used_by_visible(link_table, column)}', [pk, now]
    )
    return bool(found)


async def tag_is_public(tag_id: int, now: datetime) -> bool:
    """A tag is public once a published article uses it."""
    return await is_used_by_visible("article_tag", "tag_id", tag_id, now)


def _where(
    requested: str, now: datetime, flt: ArticleFilter, tag_id: int | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of a list over the listing ``l`` joined to its translation ``t``.

    ``tag_id`` is the filter's tag, looked up first (:func:`_tag_id`). The tag test is a
    correlated EXISTS, so the listing index still gives the order (an IN list would be
    looked up article by article and then sorted).
    """
    if flt.include_fallbacks:
        parts = [
            'l."requested_locale" = ?',
            'l."published_at" <= ?',
            '(l."shadowed_from" IS NULL OR l."shadowed_from" > ?)',
        ]
        params: list[Any] = [requested, now, now]
    else:
        # the translations written in the locale: rank 0 of its chain, never shadowed
        # (nothing ranks better); the (requested_locale, rank, published_at) index
        # gives them in order
        parts = ['l."requested_locale" = ?', 'l."rank" = 0', 'l."published_at" <= ?']
        params = [requested, now]
    if tag_id is not None:
        parts.append(
            'EXISTS (SELECT 1 FROM "article_tag" g WHERE g."article_id" = l."article_id" '
            'AND g."tag_id" = ?)'
        )
        params.append(tag_id)
    for column, op, value in (
        ("published_at", ">=", flt.published_after),
        ("published_at", "<", flt.published_before),
        ("updated_at", ">=", flt.updated_after),
        ("updated_at", "<", flt.updated_before),
    ):
        if value is not None:
            parts.append(f'l."{column}" {op} ?')
            params.append(value)
    return " AND ".join(parts), params


_FROM = 'FROM "article_listing" l JOIN "article_translation" t ON t."id" = l."translation_id"'


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

    One statement whatever the archive size: the listing index gives the page in order,
    joined to the translations it names, read without their bodies.
    """
    tag_id = await _tag_id(flt)
    if tag_id == 0:
        return Page([], has_next=False, has_previous=after is not None)
    where, params = _where(chain.requested, now, flt, tag_id)
    column = f'l."{order.field}"'
    for key, forward in ((after, True), (before, False)):
        if key is not None:
            later = order.descending != forward  # larger values come later
            where += f' AND ({column}, l."article_id") {">" if later else "<"} (?, ?)'
            params += [key.value, key.article_id]
    forward = last is None
    size = first if forward else last
    assert size is not None
    direction = "DESC" if order.descending == forward else "ASC"
    rows = await sql.fetch(
        f"SELECT {sql.columns(ArticleTranslation, 't', names=CARD_FIELDS)} {_FROM} "
        f'WHERE {where} ORDER BY {column} {direction}, l."article_id" {direction} LIMIT ?',
        [*params, size + 1],
    )
    more = len(rows) > size
    found = sql.as_models(ArticleTranslation, rows[:size])
    if forward:
        return Page(found, has_next=more, has_previous=after is not None)
    found.reverse()
    return Page(found, has_next=before is not None, has_previous=more)


async def count_articles(chain: LocaleChain, now: datetime, flt: ArticleFilter) -> int:
    """How many articles a list has on all its pages (``totalCount``, only when asked)."""
    tag_id = await _tag_id(flt)
    if tag_id == 0:
        return 0
    where, params = _where(chain.requested, now, flt, tag_id)
    # the listing alone: each row names a translation that exists (the foreign key)
    rows = await sql.fetch(f'SELECT COUNT(*) AS "n" FROM "article_listing" l WHERE {where}', params)
    return int(rows[0]["n"])


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
    ids = list(article_ids)
    rows = await sql.fetch(
        f"SELECT {sql.columns(ArticleTranslation, 't')} {_VISIBLE_FROM} "
        f'WHERE t."article_id" IN ({sql.marks(len(ids))}) AND {visible_sql("t", "a")}',
        [*ids, now],
    )
    return _by_article(sql.as_models(ArticleTranslation, rows))


_VISIBLE_FROM = 'FROM "article_translation" t JOIN "article" a ON a."id" = t."article_id"'


def _by_article(rows: Sequence[ArticleTranslation]) -> dict[int, dict[str, ArticleTranslation]]:
    found: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    for row in rows:
        found[row.article_id][row.locale] = row
    return found


async def editable_translations(
    article_ids: Sequence[int],
) -> dict[int, dict[str, ArticleTranslation]]:
    """Every translation of each live (not deleted) article, whatever its status, as an
    editor previews it: pending changes shown over the live text."""
    found: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    rows = await ArticleTranslation.filter(
        article_id__in=list(article_ids), article__deleted_at__isnull=True
    )
    for row in await pending.overlay_all(rows):
        found[row.article_id][row.locale] = row
    return found


async def untranslated_article_ids(source_locale: str, locale: str) -> list[int]:
    """Articles (not deleted) with a ``source_locale`` translation and none in ``locale``."""
    have = ArticleTranslation.filter(locale=locale).values("article_id")
    ids = (
        await ArticleTranslation.filter(locale=source_locale, article__deleted_at__isnull=True)
        .exclude(article_id__in=Subquery(have))
        .order_by("article_id")
        .values_list("article_id", flat=True)
    )
    return [int(str(pk)) for pk in ids]


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
) -> tuple[int, dict[str, ArticleTranslation] | None] | None:
    """The article a slug names, looking in the chain's locales first, then the others.

    Slugs are unique per locale, so an nn slug asked for in nb still finds its article;
    naming the locales lets the ``(locale, slug)`` index answer. Without ``preview``, the
    article's visible translations come in the same statement (else None: drafts and
    scheduled translations count, and the caller loads them).
    """
    preference = chain.preference(all_locales)
    if preview:
        hits = await ArticleTranslation.filter(
            article__deleted_at__isnull=True, locale__in=list(preference), slug=slug
        ).values("article_id", "locale")
        if not hits:
            return None
        first = min(hits, key=lambda r: preference.index(str(r["locale"])))
        return int(first["article_id"]), None
    found = await sql.fetch(
        f"SELECT {sql.columns(ArticleTranslation, 't')} {_VISIBLE_FROM} "
        f'WHERE t."article_id" IN (SELECT s."article_id" FROM "article_translation" s '
        f'WHERE s."locale" IN ({sql.marks(len(preference))}) AND s."slug" = ?) '
        f"AND {visible_sql('t', 'a')}",
        [*preference, slug, now],
    )
    rows = sql.as_models(ArticleTranslation, found)
    named = [row for row in rows if row.slug == slug]
    if not named:
        return None
    best = min(named, key=lambda row: preference.index(row.locale)).article_id
    return best, _by_article([row for row in rows if row.article_id == best])[best]


async def attached_tags(article_ids: Sequence[int]) -> dict[int, list[tuple[Tag, dict[str, str]]]]:
    """Each article's tags in display order, each with its names by locale (one statement)."""
    ids = list(article_ids)
    rows = await sql.fetch(
        f'SELECT l."id" AS "link_id", l."article_id" AS "link_article_id", '
        f'{sql.columns(Tag, "g", "g_")}, n."locale" AS "n_locale", n."name" AS "n_name" '
        'FROM "article_tag" l JOIN "tag" g ON g."id" = l."tag_id" '
        'LEFT JOIN "tag_translation" n ON n."tag_id" = l."tag_id" '
        f'WHERE l."article_id" IN ({sql.marks(len(ids))}) '
        'ORDER BY l."article_id", l."position", l."id"',
        ids,
    )
    found: dict[int, list[tuple[Tag, dict[str, str]]]] = defaultdict(list)
    by_link: dict[int, dict[str, str]] = {}
    for row in rows:
        names = by_link.get(row["link_id"])
        if names is None:
            names = by_link[row["link_id"]] = {}
            found[int(row["link_article_id"])].append((sql.as_model(Tag, row, "g_"), names))
        if row["n_locale"] is not None:
            names[str(row["n_locale"])] = str(row["n_name"])
    return found


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


async def next_scheduled(now: datetime, locales: Sequence[str]) -> datetime | None:
    """When the next scheduled translation in ``locales`` goes live (what readers see
    changes then)."""
    # on the reader connection: a request waiting for it never queues behind a write;
    # the (locale, status, published_at) index answers it (an index on status alone would
    # tempt the planner away from the better ones on the hot statements)
    rows = await sql.fetch(
        'SELECT MIN("published_at") AS "at" FROM "article_translation" '
        f'WHERE "locale" IN ({sql.marks(len(locales))}) AND "status" = ? AND "published_at" > ?',
        [*locales, PublicationStatus.SCHEDULED.value, now],
    )
    found = rows[0]["at"] if rows else None
    if found is None:
        return None
    moment = datetime.fromisoformat(found) if isinstance(found, str) else found
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


MAX_RELATED = 20  # related(first:) takes 1 to this many


RELATED_CANDIDATES = 200  # the newest articles sharing a tag that related() ranks


async def related_articles(
    article_ids: Sequence[int], chain: LocaleChain, now: datetime, first: int
) -> dict[int, list[ArticleTranslation]]:
    """For each article, up to ``first`` published articles sharing a tag with it: the
    translation the listing serves for ``chain`` (the same fallback as the article
    itself), most shared tags first, then newest, never the article itself.

    Ranked among the :data:`RELATED_CANDIDATES` newest articles that share a tag, so the
    cost does not grow with the archive: each candidate list is read down the listing
    index, newest first, with the tag test as a correlated EXISTS (as a tag-filtered
    list is), and stops at the limit. One statement for any number of articles (a part
    per article, UNION ALL); rows are read without their bodies.
    """
    ids = list(dict.fromkeys(article_ids))
    if not ids or first <= 0:
        return {}
    cards = ", ".join(f'"{name}"' for name in CARD_FIELDS)
    tags_of = 'SELECT s."tag_id" FROM "article_tag" s WHERE s."article_id" = ?'
    part = (
        'SELECT * FROM (SELECT {source} AS "source_id", '
        f'{cards}, "shared", "c_published_at", '
        '"c_article_id" FROM ('
        f"SELECT {sql.columns(ArticleTranslation, 't', names=CARD_FIELDS)}, "
        'c."published_at" AS "c_published_at", c."article_id" AS "c_article_id", '
        f'(SELECT COUNT(*) FROM "article_tag" g WHERE g."article_id" = c."article_id" '
        f'AND g."tag_id" IN ({tags_of})) AS "shared" '
        'FROM (SELECT l."article_id", l."translation_id", l."published_at" '
        'FROM "article_listing" l WHERE l."requested_locale" = ? AND l."published_at" <= ? '
        'AND (l."shadowed_from" IS NULL OR l."shadowed_from" > ?) AND l."article_id" <> ? '
        'AND EXISTS (SELECT 1 FROM "article_tag" g WHERE g."article_id" = l."article_id" '
        f'AND g."tag_id" IN ({tags_of})) '
        'ORDER BY l."published_at" DESC, l."article_id" DESC LIMIT ?) c '
        'JOIN "article_translation" t ON t."id" = c."translation_id") ranked '
        'ORDER BY "shared" DESC, "c_published_at" DESC, "c_article_id" DESC LIMIT ?) p'
    )
    params: list[Any] = []
    for article_id in ids:
        params += [article_id, chain.requested, now, now, article_id, article_id]
        params += [RELATED_CANDIDATES, first]
    statement = " UNION ALL ".join(part.format(source=int(article_id)) for article_id in ids)
    rows = await sql.fetch(statement, params)
    # UNION ALL keeps no order: most shared tags first, then newest
    rows.sort(key=lambda r: (r["shared"], r["c_published_at"], r["c_article_id"]), reverse=True)
    found: dict[int, list[ArticleTranslation]] = defaultdict(list)
    for row in rows:
        found[int(row["source_id"])].append(
            sql.as_model(ArticleTranslation, row, names=CARD_FIELDS)
        )
    return found


TAG_CURSOR = "tag"


async def public_tags(
    now: datetime, first: int, after: str | None = None
) -> tuple[list[Tag], bool]:
    """Tags a published article uses, by key, ``first`` of them after the key ``after``;
    and whether more follow."""
    where = used_by_visible("article_tag", "tag_id", 'x."id"')
    params: list[Any] = [now]
    if after is not None:
        where += ' AND x."key" > ?'
        params.append(after)
    found = await sql.fetch(
        f'SELECT {sql.columns(Tag, "x")} FROM "tag" x WHERE {where} ORDER BY x."key" LIMIT ?',
        [*params, first + 1],
    )
    rows = sql.as_models(Tag, found)
    return rows[:first], len(rows) > first


async def count_public_tags(now: datetime) -> int:
    """How many tags a published article uses."""
    where = used_by_visible("article_tag", "tag_id", 'x."id"')
    rows = await sql.fetch(f'SELECT COUNT(*) AS "n" FROM "tag" x WHERE {where}', [now])
    return int(rows[0]["n"])


async def public_tag(key: str, now: datetime) -> Tag | None:
    """The tag with ``key`` if a published article uses it."""
    tag = await Tag.get_or_none(key=key)
    if tag is None or not await tag_is_public(tag.id, now):
        return None
    return tag
