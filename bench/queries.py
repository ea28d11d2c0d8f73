"""The two reads the benchmarks measure: an article page in nn and a front page of 20 in nb."""

from __future__ import annotations

from typing import Any

ARTICLE_PAGE = """
query ArticlePage($slug: String!) {
  article(slug: $slug, locale: "nn") {
    id title lead body locale isFallback published updated
    translations { locale slug }
    leadImage { url(width: 960) alt caption credit }
    images { url(width: 640) alt caption credit }
    videos { title caption url embedUrl credit durationSeconds }
    tags { key name }
    commentCount commentCountLabel
    comments(first: 20) { edges { node { authorName body created } } }
  }
}
"""

FRONT_PAGE = """
query FrontPage {
  articles(locale: "nb", first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id title lead slug locale isFallback published
      leadImage { url(width: 640) alt credit }
      tags { key name }
      commentCount commentCountLabel
    } }
  }
}
"""


def workloads(seed_slug: str) -> dict[str, dict[str, Any]]:
    """Name -> GraphQL request body."""
    return {
        "article page (nn)": {"query": ARTICLE_PAGE, "variables": {"slug": seed_slug}},
        "front page of 20 (nb)": {"query": FRONT_PAGE, "variables": {}},
    }
