"""``includeFallbacks: false``: lists and search with only content written in the locale
(an nn front page without Bokmål, as the Language Act needs); true is the old list."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contentapi.demo.content import SEED, generated_articles
from tests.conftest import error_codes, gql

ALL = [SEED, *generated_articles()]
LIST = """
query($locale: String, $first: Int, $after: String, $last: Int, $before: String,
      $filter: ArticleFilter, $orderBy: ArticleOrder, $own: Boolean) {
  articles(locale: $locale, first: $first, after: $after, last: $last, before: $before,
           filter: $filter, orderBy: $orderBy, includeFallbacks: $own) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title locale isFallback requestedLocale } } } }"""
SEARCH = """query($q: String!, $locale: String, $first: Int, $after: String, $own: Boolean) {
  search(query: $q, locale: $locale, first: $first, after: $after, includeFallbacks: $own) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title locale } } } }"""


async def _articles(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    body = await gql(client, LIST, variables)
    assert "errors" not in body, body
    return dict(body["data"]["articles"])


def _written_in(locale: str) -> set[str]:
    return {a.title[locale] for a in ALL if locale in a.title}


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_only_articles_written_in_the_locale(
    demo_client: httpx.AsyncClient, locale: str
) -> None:
    conn = await _articles(demo_client, locale=locale, first=100, own=False)
    nodes = [edge["node"] for edge in conn["edges"]]
    assert {n["locale"] for n in nodes} == {locale}  # no translation of another locale
    assert not any(n["isFallback"] for n in nodes)
    assert {n["title"] for n in nodes} == _written_in(locale)
    assert conn["totalCount"] == len(nodes) == len(_written_in(locale))
    assert len(nodes) < len(ALL)  # the demo has articles in one locale only, both ways


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_true_and_null_are_the_list_as_it_always_was(
    demo_client: httpx.AsyncClient, locale: str
) -> None:
    before = await _articles(demo_client, locale=locale, first=100)
    assert await _articles(demo_client, locale=locale, first=100, own=True) == before
    assert await _articles(demo_client, locale=locale, first=100, own=None) == before
    assert before["totalCount"] == len(ALL)
    fallbacks = [e["node"] for e in before["edges"] if e["node"]["isFallback"]]
    assert fallbacks and all(n["locale"] != locale for n in fallbacks)


@pytest.mark.parametrize("locale", ["nb", "nn"])
@pytest.mark.parametrize("order", ["PUBLISHED_DESC", "UPDATED_ASC"])
async def test_pages_both_ways_over_the_own_locale_list(
    demo_client: httpx.AsyncClient, locale: str, order: str
) -> None:
    whole = await _articles(demo_client, locale=locale, first=100, own=False, orderBy=order)
    ids = [e["node"]["id"] for e in whole["edges"]]
    forward: list[str] = []
    after = None
    while True:
        conn = await _articles(
            demo_client, locale=locale, first=6, after=after, own=False, orderBy=order
        )
        assert conn["totalCount"] == len(ids)
        forward += [e["node"]["id"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert forward == ids
    backward: list[str] = []
    before = None
    while True:
        conn = await _articles(
            demo_client, locale=locale, last=5, before=before, own=False, orderBy=order
        )
        backward = [e["node"]["id"] for e in conn["edges"]] + backward
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        before = conn["pageInfo"]["startCursor"]
    assert backward == ids


async def test_with_a_tag_filter_too(demo_client: httpx.AsyncClient) -> None:
    tag = SEED.tags[0]
    conn = await _articles(demo_client, locale="nn", first=100, own=False, filter={"tag": tag})
    expected = {a.title["nn"] for a in ALL if "nn" in a.title and tag in a.tags}
    assert {e["node"]["title"] for e in conn["edges"]} == expected
    assert conn["totalCount"] == len(expected)


async def _search(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    body = await gql(client, SEARCH, variables)
    assert "errors" not in body, body
    return dict(body["data"]["search"])


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_search_finds_only_the_locale_s_own_articles(
    demo_client: httpx.AsyncClient, locale: str
) -> None:
    every = await _search(demo_client, q="kommune*", locale=locale, first=100)
    own = await _search(demo_client, q="kommune*", locale=locale, first=100, own=False)
    every_nodes = [e["node"] for e in every["edges"]]
    own_nodes = [e["node"] for e in own["edges"]]
    assert any(n["locale"] != locale for n in every_nodes)  # true: fallbacks found
    assert own_nodes and {n["locale"] for n in own_nodes} == {locale}
    assert own_nodes == [n for n in every_nodes if n["locale"] == locale]  # same order
    assert own["totalCount"] == len(own_nodes) < every["totalCount"]
    assert await _search(demo_client, q="kommune*", locale=locale, first=100, own=True) == every


async def test_search_pages_and_keeps_its_cursors_apart(demo_client: httpx.AsyncClient) -> None:
    whole = await _search(demo_client, q="kommune*", locale="nn", first=100, own=False)
    first = await _search(demo_client, q="kommune*", locale="nn", first=3, own=False)
    after = first["pageInfo"]["endCursor"]
    second = await _search(demo_client, q="kommune*", locale="nn", first=3, after=after, own=False)
    paged = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert paged == [e["node"]["id"] for e in whole["edges"]][:6]
    # an offset into the list with fallbacks means nothing in the list without
    mixed = await gql(
        demo_client, SEARCH, {"q": "kommune*", "locale": "nn", "first": 3, "after": after}
    )
    assert error_codes(mixed) == ["BAD_REQUEST"]
