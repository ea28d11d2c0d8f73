"""The articles connection: paging both ways, filters, ordering, fallback, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from contentapi.demo.content import SEED, generated_articles
from contentapi.graphql.relay import encode_cursor, from_global_id
from tests.conftest import error_codes, gql

LIST = """
query List($locale: String, $first: Int, $after: String, $last: Int, $before: String,
           $filter: ArticleFilter, $orderBy: ArticleOrder) {
  articles(locale: $locale, first: $first, after: $after, last: $last, before: $before,
           filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title locale isFallback publishedAt updatedAt } }
  }
}
"""
ALL = [SEED, *generated_articles()]


async def articles(client: httpx.AsyncClient, **variables: object) -> dict:
    body = await gql(client, LIST, variables)
    assert "errors" not in body, body
    return body["data"]["articles"]


async def test_default_page_is_twenty_newest_first(demo_client: httpx.AsyncClient) -> None:
    conn = await articles(demo_client, locale="nb")
    assert len(conn["edges"]) == 20
    assert conn["totalCount"] == len(ALL)  # every article: directly or through fallback
    dates = [datetime.fromisoformat(e["node"]["publishedAt"]) for e in conn["edges"]]
    assert dates == sorted(dates, reverse=True)
    assert conn["pageInfo"]["hasNextPage"] and not conn["pageInfo"]["hasPreviousPage"]


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_paging_forward_visits_every_article_once(
    demo_client: httpx.AsyncClient, locale: str
) -> None:
    seen: list[str] = []
    after = None
    while True:
        conn = await articles(demo_client, locale=locale, first=7, after=after)
        seen += [e["node"]["id"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == len(ALL)


async def test_paging_backward_mirrors_forward(demo_client: httpx.AsyncClient) -> None:
    forward = await articles(demo_client, locale="nn", first=100)
    ids = [e["node"]["id"] for e in forward["edges"]]
    backward: list[str] = []
    before = None
    while True:
        conn = await articles(demo_client, locale="nn", last=9, before=before)
        backward = [e["node"]["id"] for e in conn["edges"]] + backward
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        before = conn["pageInfo"]["startCursor"]
    assert backward == ids


async def test_nn_list_falls_back_per_article(demo_client: httpx.AsyncClient) -> None:
    conn = await articles(demo_client, locale="nn", first=100)
    by_title = {e["node"]["title"]: e["node"] for e in conn["edges"]}
    nb_only = [a for a in ALL if set(a.title) == {"nb"}]
    both = [a for a in ALL if {"nb", "nn"} <= set(a.title)]
    assert nb_only and both
    for a in nb_only:
        node = by_title[a.title["nb"]]
        assert node["isFallback"] and node["locale"] == "nb"
    for a in both:
        node = by_title[a.title["nn"]]
        assert not node["isFallback"] and node["locale"] == "nn"
        assert a.title["nb"] not in by_title or a.title["nb"] == a.title["nn"]


async def test_filter_by_tag_and_dates(demo_client: httpx.AsyncClient) -> None:
    tag = SEED.tags[0]
    conn = await articles(demo_client, locale="nb", first=100, filter={"tag": tag})
    assert conn["totalCount"] == sum(tag in a.tags for a in ALL)
    conn = await articles(
        demo_client,
        locale="nb",
        first=100,
        filter={
            "publishedAfter": "2018-06-01T00:00:00+02:00",
            "publishedBefore": "2018-07-01T00:00:00+02:00",
        },
    )
    expected = [
        a
        for a in ALL
        if datetime.fromisoformat("2018-06-01T00:00:00+02:00")
        <= datetime.fromisoformat(a.published_at)
        < datetime.fromisoformat("2018-07-01T00:00:00+02:00")
    ]
    assert conn["totalCount"] == len(expected) >= 1
    conn = await articles(demo_client, locale="nb", filter={"tag": "finst-ikkje"})
    assert conn["totalCount"] == 0 and conn["edges"] == []


async def test_order_by_updated(demo_client: httpx.AsyncClient) -> None:
    conn = await articles(demo_client, locale="nb", first=100, orderBy="UPDATED_ASC")
    dates = [datetime.fromisoformat(e["node"]["updatedAt"]) for e in conn["edges"]]
    assert dates == sorted(dates) and len(dates) == len(ALL)


@pytest.mark.parametrize(
    "variables",
    [
        {"first": -1},
        {"first": 101},
        {"last": 500},
        {"first": 5, "last": 5},
        {"after": "bm90LWEtY3Vyc29y"},
        {"after": "!!!"},
        {"before": "WyJjb21tZW50IiwxXQ"},  # a comment cursor, not an article cursor
    ],
)
async def test_bad_paging_arguments(demo_client: httpx.AsyncClient, variables: dict) -> None:
    body = await gql(demo_client, LIST, {"locale": "nb", **variables})
    assert error_codes(body) == ["BAD_REQUEST"], body


async def test_cursor_of_another_ordering_is_refused(demo_client: httpx.AsyncClient) -> None:
    conn = await articles(demo_client, locale="nb", first=2)
    body = await gql(
        demo_client, LIST, {"after": conn["pageInfo"]["endCursor"], "orderBy": "UPDATED_DESC"}
    )
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_first_zero_gives_only_the_count(demo_client: httpx.AsyncClient) -> None:
    conn = await articles(demo_client, locale="nb", first=0)
    assert conn["edges"] == [] and conn["totalCount"] == len(ALL)


SEARCH = """query($q: String!, $locale: String, $first: Int, $after: String) {
  search(query: $q, locale: $locale, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { title locale isFallback } } } }"""


async def test_search_finds_words_in_the_shown_translation(demo_client: httpx.AsyncClient) -> None:
    body = await gql(demo_client, SEARCH, {"q": "innbyggjarane Træna", "locale": "nn"})
    titles = [e["node"]["title"] for e in body["data"]["search"]["edges"]]
    assert SEED.title["nn"] in titles
    # the Bokmål word is not in the Nynorsk text that nn readers are shown
    body = await gql(demo_client, SEARCH, {"q": "innbyggerne Træna", "locale": "nn"})
    assert SEED.title["nn"] not in [e["node"]["title"] for e in body["data"]["search"]["edges"]]
    body = await gql(demo_client, SEARCH, {"q": "innbyggerne Træna", "locale": "nb"})
    assert SEED.title["nb"] in [e["node"]["title"] for e in body["data"]["search"]["edges"]]


async def test_search_pages_and_refuses_empty_queries(demo_client: httpx.AsyncClient) -> None:
    body = await gql(demo_client, SEARCH, {"q": "kommune", "locale": "nb", "first": 3})
    first = body["data"]["search"]
    assert first["totalCount"] > 3 and len(first["edges"]) == 3
    body = await gql(
        demo_client,
        SEARCH,
        {"q": "kommune", "locale": "nb", "first": 3, "after": first["pageInfo"]["endCursor"]},
    )
    second = [e["node"]["title"] for e in body["data"]["search"]["edges"]]
    assert not set(second) & {e["node"]["title"] for e in first["edges"]}
    for bad in ["", "   ", "x" * 201]:
        assert error_codes(await gql(demo_client, SEARCH, {"q": bad})) == ["BAD_REQUEST"]


async def test_a_cursor_made_before_the_listing_still_pages(demo_client: httpx.AsyncClient) -> None:
    # cursors name the ordering, the sort value in UTC and the article; the listing kept
    # that shape, so a cursor a client saved before it came gives the same next page
    first = await articles(demo_client, locale="nn", first=5)
    last = first["edges"][-1]["node"]
    _, article_pk = from_global_id(last["id"])
    moment = datetime.fromisoformat(last["publishedAt"]).astimezone(UTC)
    saved = encode_cursor("article:PUBLISHED_DESC", [moment.isoformat(), article_pk])
    by_saved = await articles(demo_client, locale="nn", first=5, after=saved)
    by_now = await articles(demo_client, locale="nn", first=5, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in by_saved["edges"]] == [
        e["node"]["id"] for e in by_now["edges"]
    ]
    assert len(by_saved["edges"]) == 5
