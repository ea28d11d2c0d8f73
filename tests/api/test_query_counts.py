"""No N+1: a page of articles costs the same number of SQL statements at any size."""

from __future__ import annotations

import httpx

from contentapi.demo.content import SEED
from tests.conftest import QueryCounter, gql

FRONT_PAGE = """
query Front($first: Int!, $locale: String!) {
  articles(locale: $locale, first: $first) {
    totalCount
    edges { node {
      id title lead slug locale isFallback published availableLocales
      translations { locale slug }
      leadImage { url(width: 640) alt credit locale }
      tags { key name }
      commentCount commentCountLabel
      videos { title thumbnail { url } }
    } }
  }
}
"""

ARTICLE_PAGE = """
query Page($slug: String!) {
  article(slug: $slug, locale: "nn") {
    title lead body published updated translations { locale slug }
    leadImage { url alt caption credit } images { url alt caption credit }
    videos { title caption url credit } tags { name }
    comments { edges { node { authorName body created } } } commentCountLabel
  }
}
"""


async def statements_for(
    client: httpx.AsyncClient, counter: QueryCounter, query: str, variables: dict
) -> int:
    counter.statements.clear()
    body = await gql(client, query, variables)
    assert "errors" not in body, body
    return len(counter.statements)


async def test_front_page_cost_does_not_grow_with_page_size(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    for locale in ("nb", "nn"):
        small = await statements_for(
            demo_client, count_queries, FRONT_PAGE, {"first": 5, "locale": locale}
        )
        large = await statements_for(
            demo_client, count_queries, FRONT_PAGE, {"first": 50, "locale": locale}
        )
        assert small == large, count_queries.statements
        assert large <= 7  # page, count, comment counts, lead pictures, tags, bodies, images


async def test_article_page_cost_is_small(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    n = await statements_for(demo_client, count_queries, ARTICLE_PAGE, {"slug": SEED.slug["nn"]})
    # the article with its translations, comment page with its count, images, videos, tags
    assert n <= 5, count_queries.statements
