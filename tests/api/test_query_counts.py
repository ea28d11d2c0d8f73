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


NEWS_PAGE = """
query News($first: Int!, $locale: String!) {
  articles(locale: $locale, first: $first) {
    edges { node {
      title wordCount readingMinutes excerpt(length: 120)
      byline { authors { name role } unit { name } }
      related(first: 3) { title slug byline { unit { name } } }
    } }
  }
}
"""


async def test_bylines_figures_and_related_do_not_grow_with_page_size(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    for locale in ("nb", "nn"):
        small = await statements_for(
            demo_client, count_queries, NEWS_PAGE, {"first": 5, "locale": locale}
        )
        large = await statements_for(
            demo_client, count_queries, NEWS_PAGE, {"first": 20, "locale": locale}
        )
        assert small == large, count_queries.statements
        # page, bodies, bylines (authors, units), related, the related articles' bylines
        assert large <= 8, count_queries.statements


async def test_an_article_page_with_byline_and_related_is_small(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    query = """query($slug: String!) { article(slug: $slug, locale: "nn") {
      title wordCount byline { authors { name role } unit { name } }
      related { title tags { name } } } }"""
    n = await statements_for(demo_client, count_queries, query, {"slug": SEED.slug["nn"]})
    # the article, its byline (2), related (1), the related articles' tags (1)
    assert n <= 5, count_queries.statements


async def test_captions_of_a_list_of_videos_are_one_query(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    # shapes of their own: a query asked before may come from the response cache
    plain = ARTICLE_PAGE.replace("videos { title", "videos { id title")
    without = await statements_for(demo_client, count_queries, plain, {"slug": SEED.slug["nn"]})
    with_captions = ARTICLE_PAGE.replace(
        "videos { title caption url credit }",
        "videos { id title caption url credit captions { locale label url } }",
    )
    assert with_captions != ARTICLE_PAGE != plain
    n = await statements_for(demo_client, count_queries, with_captions, {"slug": SEED.slug["nn"]})
    assert n == without + 1, count_queries.statements  # four videos, one query
