"""Read fields for articles: ``article`` and ``articles``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles import queries
from contentapi.articles.models import ArticleTranslation
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.articles.types import (
    Article,
    ArticleConnection,
    ArticleEdge,
    ArticleFilter,
)
from contentapi.graphql.relay import (
    PageInfo,
    check_page_args,
    decode_cursor,
    encode_cursor,
    expect_global_id,
)
from contentapi.i18n import Resolved, pick

if TYPE_CHECKING:
    from contentapi.graphql.context import Context


async def load_article(ctx: Context, article_id: int, locale: str) -> Article | None:
    """The article resolved for ``locale``'s chain, or None if nothing is visible."""
    chain = ctx.chain(locale)
    visible = await ctx.loaders.translations_by_article_id.load(article_id)
    found = pick(visible, chain)
    return Article(resolved=found, chain=chain) if found else None


def _cursor_key(cursor: str, order: queries.ArticleOrder, field: str) -> queries.SortKey:
    values = decode_cursor(cursor, f"article:{order.value}", field)
    try:
        moment, article_id = values
        assert isinstance(moment, str) and isinstance(article_id, int)
        return queries.SortKey(datetime.fromisoformat(moment), article_id)
    except (AssertionError, ValueError, TypeError):
        raise DomainError(ErrorCode.BAD_REQUEST, f"Invalid cursor in {field!r}", field) from None


def _cursor(row: ArticleTranslation, order: queries.ArticleOrder) -> str:
    key = queries.sort_key(row, order)
    return encode_cursor(f"article:{order.value}", [key.value.isoformat(), key.article_id])


@strawberry.type
class ArticleQuery:
    """Anonymous reads of published articles."""

    @strawberry.field(
        description=(
            "One article by id, or by slug in a locale. A slug from another locale still "
            "finds its article; the content follows the fallback chain (isFallback)."
        )
    )
    async def article(
        self,
        info: strawberry.Info[Context],
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
    ) -> Article | None:
        ctx = info.context
        code = ctx.locale(locale)
        if (id is None) == (slug is None):
            raise DomainError(ErrorCode.BAD_REQUEST, "Give either 'id' or 'slug'", field="id")
        if id is not None:
            article_id: int | None = expect_global_id(id, "Article")
        else:
            assert slug is not None
            article_id = await queries.article_id_by_slug(
                slug, ctx.chain(code), ctx.runtime.locales.codes, ctx.now
            )
        if article_id is None:
            return None
        return await load_article(ctx, article_id, code)

    @strawberry.field(
        description=(
            "Published articles in a locale, one per article through the fallback chain. "
            "Neither first nor last: the first 20; at most 100."
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
        order_by: queries.ArticleOrder = queries.ArticleOrder.PUBLISHED_DESC,
    ) -> ArticleConnection:
        ctx = info.context
        code = ctx.locale(locale)
        chain = ctx.chain(code)
        page_args = check_page_args(first, last)
        order = queries.ArticleOrder(order_by)
        flt = filter or ArticleFilter()
        page = await queries.list_articles(
            chain,
            ctx.now,
            queries.ArticleFilter(
                tag=flt.tag,
                published_after=flt.published_after,
                published_before=flt.published_before,
                updated_after=flt.updated_after,
                updated_before=flt.updated_before,
            ),
            order,
            first=page_args.size if page_args.forward else None,
            after=_cursor_key(after, order, "after") if after else None,
            last=None if page_args.forward else page_args.size,
            before=_cursor_key(before, order, "before") if before else None,
        )
        edges = []
        for row in page.rows:
            node = Article(resolved=Resolved(row, row.locale, code), chain=chain)
            edges.append(ArticleEdge(cursor=_cursor(row, order), node=node))
        return ArticleConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )
