"""Read fields for articles: ``article``, ``articles`` and ``search``."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles import editorial, pending, queries
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.search import find, snippets
from contentapi.articles.search import query as search_query
from contentapi.auth.permissions import Action, authorize
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import LIMITS, check
from contentapi.graphql.articles.lists import (
    ArticleConnection,
    ArticleEdge,
    ArticleFilter,
    article_cursor,
)
from contentapi.graphql.articles.tags import Tag, TagConnection, TagEdge, build_tags, tag_cursor
from contentapi.graphql.articles.types import (
    Article,
    check_related_first,
    comment_page_key,
)
from contentapi.graphql.i18n.types import zone
from contentapi.graphql.loaders import load_now
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import (
    PageInfo,
    check_page_args,
    decode_cursor,
    encode_cursor,
    expect_localised_id,
    keyset,
)
from contentapi.graphql.selection import arguments, selected
from contentapi.i18n import LocaleChain, Resolved, pick
from contentapi.moments import optional_utc

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

    Info = strawberry.Info[Context]


async def load_article(
    ctx: Context, article_id: int, locale: str, preview: bool = False
) -> Article | None:
    """The article resolved for ``locale``'s chain, or None if nothing is visible.

    With ``preview`` (editors), every translation of a live article counts, drafts too.
    """
    chain = ctx.chain(locale)
    loaders = ctx.loaders
    loader = (
        loaders.editable_translations_by_article_id
        if preview
        else loaders.translations_by_article_id
    )
    found = pick(await loader.load(article_id), chain)
    return Article.of(found, chain, zone(ctx), preview) if found else None


def _cursor_key(cursor: str, order: queries.ArticleOrder, field: str) -> queries.SortKey:
    return queries.SortKey(*keyset(cursor, f"article:{order.value}", field))


@strawberry.type
class ArticleQuery:
    """Anonymous reads of published articles."""

    @strawberry.field(
        description=(
            "One article by id, or by slug in a locale. A slug from another locale still "
            "finds its article; the content follows the fallback chain (isFallback). Any "
            "article id will do (plain or localised); without 'locale', a localised id's "
            "locale is used. "
            "preview: drafts and scheduled translations too (editor or translator token)."
        ),
        permission_classes=[requires(Action.PREVIEW, when="preview")],
    )
    async def article(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
        preview: bool = False,
    ) -> Article | None:
        ctx = info.context
        if (id is None) == (slug is None):
            raise DomainError(ErrorCode.BAD_REQUEST, "Give either 'id' or 'slug'", field="id")
        article_id: int | None = None
        in_id: str | None = None
        if id is not None:
            article_id, in_id = expect_localised_id(id, "Article")
        # 'locale' chooses the language (a language switch passes the id it has); without
        # it, a localised id's own locale, then Accept-Language
        code = ctx.locale(locale if locale is not None or in_id is None else in_id)
        if id is None:
            assert slug is not None
            check(slug, "slug", "slug")
            found_slug = await queries.article_id_by_slug(
                slug, ctx.chain(code), ctx.runtime.locales.codes, ctx.now, preview=preview
            )
            if found_slug is None:
                return None
            article_id, translations = found_slug
            if translations is not None:  # read with the slug: no second statement
                ctx.loaders.translations_by_article_id.prime(article_id, translations)
        if article_id is None:
            return None
        found = await load_article(ctx, article_id, code, preview=preview)
        if found is not None:
            await prefetch(ctx, [found.row], info, (), ctx.chain(code))
        return found

    @strawberry.field(
        description=(
            "Published articles in a locale, one per article through the fallback chain. "
            "Neither first nor last: the first 20; at most 100. includeFallbacks: false "
            "leaves out articles not written in the locale (an nn front page without "
            "Bokmål); editor lists (status, author, ...) list one locale anyway."
        )
    )
    async def articles(
        self,
        info: strawberry.Info[Context],
        locale: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ArticleFilter | None = None,
        order_by: queries.ArticleOrder | None = queries.ArticleOrder.PUBLISHED_DESC,
        include_fallbacks: bool | None = True,
    ) -> ArticleConnection:
        flt = filter or ArticleFilter()
        check(flt.tag, "tag", "filter.tag")
        if flt.editorial:
            return await editorial_connection(info, locale, flt, order_by, first, after, last)
        return await article_connection(
            info,
            locale,
            queries.ArticleFilter(
                tag=flt.tag,
                published_after=optional_utc(flt.published_after, "publishedAfter"),
                published_before=optional_utc(flt.published_before, "publishedBefore"),
                updated_after=optional_utc(flt.updated_after, "updatedAfter"),
                updated_before=optional_utc(flt.updated_before, "updatedBefore"),
                include_fallbacks=include_fallbacks is not False,
            ),
            queries.ArticleOrder(order_by or queries.ArticleOrder.PUBLISHED_DESC),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description=(
            "Tags that published articles use, by key, names in the locale through its "
            "fallback chain; each with its articles. first: 20 unless given, at most 100."
        )
    )
    async def tags(
        self,
        info: strawberry.Info[Context],
        locale: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> TagConnection:
        ctx = info.context
        chain = ctx.chain(ctx.locale(locale))
        page_args = check_page_args(first, None)
        after_key = _tag_after(after) if after is not None else None
        rows, more = await queries.public_tags(ctx.now, page_args.size, after_key)
        tags = await build_tags(ctx, rows, chain)
        edges = [TagEdge(node=tag) for tag in tags]
        return TagConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=more,
                has_previous_page=after is not None,
                start_cursor=tag_cursor(rows[0]) if rows else None,
                end_cursor=tag_cursor(rows[-1]) if rows else None,
            ),
            count=lambda: queries.count_public_tags(ctx.now),
        )

    @strawberry.field(
        description=(
            "One tag by key, its name in the locale through the fallback chain, with its "
            "published articles (articles); null for an unknown key or a tag no published "
            "article uses."
        )
    )
    async def tag(
        self, info: strawberry.Info[Context], key: str, locale: str | None = None
    ) -> Tag | None:
        ctx = info.context
        chain = ctx.chain(ctx.locale(locale))
        check(key, "tag", "key")
        row = await queries.public_tag(key, ctx.now)
        return (await build_tags(ctx, [row], chain))[0] if row else None

    @strawberry.field(
        description=(
            "Full-text search of published articles in a locale, through its fallback "
            "chain, best match first (then newest). Every word must match; a word matches "
            "its Norwegian stem or itself (juryens finds juryen), word* any word it begins "
            "(innovasjon* finds Innovasjonsprisen); stopwords (og, ikkje) are left out. "
            "Edges carry snippet and score. first: 20 unless given, at most 100; pages "
            "reach the best 1000 results. includeFallbacks: false finds only articles "
            "written in the locale."
        )
    )
    async def search(
        self,
        info: strawberry.Info[Context],
        query: str,
        locale: str | None = None,
        first: int | None = None,
        after: str | None = None,
        include_fallbacks: bool | None = True,
    ) -> ArticleConnection:
        if not query.strip() or len(query) > LIMITS["search"]:  # BAD_REQUEST, as it always was
            raise DomainError(
                ErrorCode.BAD_REQUEST,
                f"The search query must have 1 to {LIMITS['search']} characters of text",
                field="query",
                params={"max": LIMITS["search"]},
            )
        check(query, "search", "query")  # INVALID_TEXT: NUL matched everything on SQLite
        return await search_connection(
            info, search_query.parse(query), locale, first, after, include_fallbacks is not False
        )


def _search_kind(parsed: search_query.SearchQuery, include_fallbacks: bool) -> str:
    """The cursor kind of a search: an offset means nothing in the other list."""
    return f"search:{parsed.key}" if include_fallbacks else f"search-own:{parsed.key}"


def _tag_after(cursor: str) -> str:
    """The tag key a tags cursor points after; BAD_REQUEST when it is not one."""
    values = decode_cursor(cursor, queries.TAG_CURSOR, "after")
    if len(values) != 1 or not isinstance(values[0], str):
        raise DomainError(ErrorCode.BAD_REQUEST, "Invalid cursor in 'after'", field="after")
    return values[0]


def _search_offset(cursor: str, kind: str) -> int:
    """Where a search cursor points: the number of results before it (1 to MAX_DEPTH)."""
    values = decode_cursor(cursor, kind, "after")
    offset = values[0] if len(values) == 1 else None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 1:
        raise DomainError(ErrorCode.BAD_REQUEST, "Invalid cursor in 'after'", field="after")
    if offset >= find.MAX_DEPTH:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"Search pages reach the best {find.MAX_DEPTH} results; narrow the query",
            field="after",
            params={"max": find.MAX_DEPTH},
        )
    return offset


async def search_connection(
    info: Info,
    parsed: search_query.SearchQuery,
    locale: str | None,
    first: int | None,
    after: str | None,
    include_fallbacks: bool = True,
) -> ArticleConnection:
    """A page of search results: ranked edges with snippets and scores, offset cursors.

    A query without words to look for (only stopwords or punctuation) finds nothing and
    sends no SQL. Bodies are read for the page's snippets at once (one statement), and
    serve the body field too.
    """
    ctx = info.context
    code = ctx.locale(locale)
    chain = ctx.chain(code)
    page_args = check_page_args(first, None)
    kind = _search_kind(parsed, include_fallbacks)
    offset = _search_offset(after, kind) if after else 0
    found = await find.search(
        parsed, chain.requested, ctx.now, offset, page_args.size, include_fallbacks
    )
    rows = [hit.row for hit in found.hits]
    shown: dict[int, snippets.Shown] = {}
    if "snippet" in selected(info, "edges"):
        shown = await snippets.snippets([row.id for row in rows], parsed)
        ctx.loaders.body_by_translation_id.prime_many({k: v.body for k, v in shown.items()})
    await prefetch(ctx, rows, info, ("edges", "node"), chain)
    zone_shown = zone(ctx)
    edges = [
        ArticleEdge(
            order=queries.ArticleOrder.PUBLISHED_DESC,
            node=Article.of(Resolved(hit.row, hit.row.locale, code), chain, zone_shown),
            snippet=shown[hit.row.id].html if hit.row.id in shown else None,
            score=hit.score,
            search_cursor=encode_cursor(kind, [offset + position + 1]),
        )
        for position, hit in enumerate(found.hits)
    ]
    return ArticleConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=found.has_next,
            has_previous_page=offset > 0,
            start_cursor=edges[0].search_cursor if edges else None,
            end_cursor=edges[-1].search_cursor if edges else None,
        ),
        count=lambda: find.count(parsed, chain.requested, ctx.now, include_fallbacks),
    )


async def editorial_connection(
    info: Info,
    locale: str | None,
    flt: ArticleFilter,
    order_by: queries.ArticleOrder | None,
    first: int | None,
    after: str | None,
    last: int | None,
) -> ArticleConnection:
    """An editor list: one locale's translations in any state, as previewed.

    Anonymous callers are FORBIDDEN (not given a reader list instead); translators see
    the locales of their token. Paged forward only (first/after).
    """
    ctx = info.context
    code = ctx.locale(locale)
    principal = await ctx.principal()
    if principal is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "The filters status, hasPendingChanges, author and search list drafts: they "
            "need an editor or translator token",
            field="filter",
        )
    authorize(principal, Action.PREVIEW)
    if not principal.may_write(code):
        raise DomainError(
            ErrorCode.FORBIDDEN, f"This token may not list {code} translations", field="locale"
        )
    if last is not None:
        raise DomainError(
            ErrorCode.BAD_REQUEST, "Editor lists page forward: use first and after", field="last"
        )
    check(flt.author, "search", "filter.author")
    check(flt.search, "search", "filter.search")
    order = queries.ArticleOrder(order_by or queries.ArticleOrder.PUBLISHED_DESC)
    kind = f"editorial:{order.value}"
    page_args = check_page_args(first, None)
    wanted = editorial.EditorialFilter(
        statuses=tuple(flt.status) if flt.status is not None else editorial.NOT_DELETED,
        has_pending_changes=flt.has_pending_changes,
        author=flt.author,
        updated_after=optional_utc(flt.updated_after, "updatedAfter"),
        updated_before=optional_utc(flt.updated_before, "updatedBefore"),
        words=editorial.words_of(flt.search or ""),
    )
    page = await editorial.list_translations(
        code,
        ctx.now,
        wanted,
        order,
        first=page_args.size,
        after=queries.SortKey(*keyset(after, kind, "after")) if after else None,
    )
    rows = await pending.overlay_all(page.rows)
    await prefetch(ctx, rows, info, ("edges", "node"))
    chain, shown = ctx.chain(code), zone(ctx)

    def cursor(row: ArticleTranslation) -> str:
        return encode_cursor(kind, [editorial.sort_value(row, order).isoformat(), row.article_id])

    edges = [
        ArticleEdge(
            order=order,
            node=Article.of(Resolved(row, row.locale, code), chain, shown, preview=True),
            search_cursor=cursor(row),
        )
        for row in rows
    ]
    return ArticleConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].search_cursor if edges else None,
            end_cursor=edges[-1].search_cursor if edges else None,
        ),
        count=lambda: editorial.count_translations(code, ctx.now, wanted),
    )


async def article_connection(
    info: Info,
    locale: str | None,
    flt: queries.ArticleFilter,
    order: queries.ArticleOrder,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> ArticleConnection:
    """A Relay page of articles for the locale's chain, checked and cursor-encoded.

    What the selection reads of each article is loaded for the page at once.
    """
    ctx = info.context
    code = ctx.locale(locale)
    chain = ctx.chain(code)
    page_args = check_page_args(first, last)
    page = await queries.list_articles(
        chain,
        ctx.now,
        flt,
        order,
        first=page_args.size if page_args.forward else None,
        after=_cursor_key(after, order, "after") if after else None,
        last=None if page_args.forward else page_args.size,
        before=_cursor_key(before, order, "before") if before else None,
    )
    await prefetch(ctx, page.rows, info, ("edges", "node"), chain)
    shown = zone(ctx)
    edges = [
        ArticleEdge(order=order, node=Article.of(Resolved(row, row.locale, code), chain, shown))
        for row in page.rows
    ]
    return ArticleConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=article_cursor(page.rows[0], order) if edges else None,
            end_cursor=article_cursor(page.rows[-1], order) if edges else None,
        ),
        count=lambda: queries.count_articles(chain, ctx.now, flt),
    )


DEFAULT_RELATED = 5  # related(first:) when not given

# which loaders the fields of an article read, for loading a whole page at once
_ARTICLE_LOADS = {
    "leadImage": "lead_images_by_article_id",
    "images": "images_by_article_id",
    "videos": "videos_by_article_id",
    "tags": "tags_by_article_id",
    "commentCount": "approved_count_by_article_id",
    "commentCountLabel": "approved_count_by_article_id",
    "commentsOpen": "article_by_id",
    "availableLocales": "translations_by_article_id",
    "translations": "translations_by_article_id",
    "byline": "byline_by_article_id",
}
# fields that read the body (lists read their rows without it)
_BODY_FIELDS = frozenset({"body", "wordCount", "readingMinutes", "excerpt"})


async def prefetch(
    ctx: Context,
    rows: Sequence[ArticleTranslation],
    info: Info,
    path: tuple[str, ...],
    chain: LocaleChain | None = None,
) -> None:
    """Load what the selected fields of these articles read, one batch per loader.

    The articles' fields are those selected at ``path`` below ``info``'s field (for a
    list: ``edges { node }``). They then answer at once (see ``loaders.soon``) instead
    of each awaiting a batch of its own. ``chain`` is the one the rows are shown for
    (related articles are looked up for it).
    """
    if not rows:
        return
    fields = selected(info, *path)
    article_ids = [row.article_id for row in rows]
    loaders = ctx.loaders
    names = {_ARTICLE_LOADS[f] for f in fields if f in _ARTICLE_LOADS}
    if "images" in fields:
        names.discard("lead_images_by_article_id")  # the lead picture is among them
    if "comments" in fields:
        with contextlib.suppress(DomainError):  # bad arguments: the field itself says so
            keys = [
                comment_page_key(article_id, args.get("first"), args.get("after"))
                for args in arguments(info, "comments", *path)
                for article_id in article_ids
            ]
            await load_now(loaders.approved_comments_by_page, keys)  # counts come along
    if "related" in fields and chain is not None:
        with contextlib.suppress(DomainError):  # bad arguments: the field itself says so
            related_keys = []
            for args in arguments(info, "related", *path):
                given = args.get("first")
                first = DEFAULT_RELATED if given is None else given
                check_related_first(first)
                related_keys += [(article_id, chain, first) for article_id in article_ids]
            await load_now(loaders.related_by_article, related_keys)
    for name in sorted(names):
        await load_now(getattr(loaders, name), article_ids)
    if fields & _BODY_FIELDS and any(row._partial for row in rows):
        await load_now(loaders.body_by_translation_id, [row.id for row in rows])
