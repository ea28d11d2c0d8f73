"""What a news frontend needs of an article, in nb and nn: the byline and publishing unit,
reading figures and an excerpt, related articles, and the tag list and tag pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contentapi.articles import reading
from contentapi.demo.content import SEED
from contentapi.events.outbox import content_version
from tests.conftest import bearer, error_codes, gql, make_settings, make_tokens, running_app

LOCALES = ("nb", "nn")
KMD = "Kommunal- og moderniseringsdepartementet"


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def read(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await gql(self.client, query, variables)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def write(
        self, query: str, variables: dict[str, Any], role: str = "editor"
    ) -> dict[str, Any]:
        return await gql(self.client, query, variables, headers=bearer(self.tokens[role]))


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = await make_settings(tmp_path_factory.mktemp("news"))
    async with running_app(settings, demo=True) as client:
        yield Env(client, await make_tokens())


BYLINE = """query($slug: String!, $locale: String!) { article(slug: $slug, locale: $locale) {
  id byline { authors { name role roleLocale } unit { name locale isFallback } } } }"""


# -- the byline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "jury"),
    [("nb", "juryleder"), ("nn", "juryleiar")],
)
async def test_the_seed_article_has_its_byline_in_each_locale(
    env: Env, locale: str, jury: str
) -> None:
    data = await env.read(BYLINE, {"slug": SEED.slug[locale], "locale": locale})
    byline = data["article"]["byline"]
    assert byline["authors"] == [
        {"name": "Aase Marthe Horrigmo", "role": "statssekretær", "roleLocale": locale},
        {"name": "Katinka Greve Leiner", "role": jury, "roleLocale": locale},
    ]
    assert byline["unit"] == {"name": KMD, "locale": locale, "isFallback": False}


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_demo_article_in_a_list_has_a_byline(env: Env, locale: str) -> None:
    data = await env.read(
        """query($l: String!) { articles(locale: $l, first: 100) { edges { node {
          locale byline { authors { name role roleLocale } unit { name locale } } } } } }""",
        {"l": locale},
    )
    for edge in data["articles"]["edges"]:
        node = edge["node"]
        byline = node["byline"]
        assert byline["authors"] and byline["unit"], node
        # roles and the unit's name are picked through the locale's chain, as tag names
        # are (the demo gives them in nb and nn, so even an nb fallback has its nn role)
        assert byline["unit"]["locale"] == locale
        assert all(a["roleLocale"] == locale for a in byline["authors"])
    nn_roles = {
        a["role"] for e in data["articles"]["edges"] for a in e["node"]["byline"]["authors"]
    }
    if locale == "nn":
        assert "kommunikasjonsrådgjevar" in nn_roles and "prosjektleiar" in nn_roles


CREATE = """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
  article { id byline { authors { name role roleLocale } unit { name locale isFallback } } }
  errors { code field } } }"""
SET = """mutation($id: ID!, $b: BylineInput!) { setByline(id: $id, byline: $b) {
  article { byline { authors { name role roleLocale } unit { name locale isFallback } } }
  errors { code field } } }"""
PREVIEW = """query($id: ID!, $l: String!) { article(id: $id, locale: $l, preview: true) {
  byline { authors { name role roleLocale } unit { name locale isFallback } } } }"""


async def _new_article(env: Env, byline: dict[str, Any] | None = None) -> str:
    body = await env.write(
        CREATE,
        {"i": {"locale": "nb", "title": "Ny pris", "body": "<p>Tekst</p>", "byline": byline}},
    )
    payload = body["data"]["createArticle"]
    assert payload["errors"] == [], payload
    article_id: str = payload["article"]["id"]
    return article_id


async def test_an_editor_gives_a_new_article_its_byline(env: Env) -> None:
    article_id = await _new_article(
        env,
        {
            "authors": [
                {
                    "name": "  Katinka   Greve Leiner ",
                    "role": [
                        {"locale": "nb", "text": "juryleder"},
                        {"locale": "nn", "text": "juryleiar"},
                    ],
                },
                {"name": "Ola Nordmann"},
            ],
            "unit": [{"locale": "nb", "text": KMD}],
        },
    )
    for locale, role in (("nb", "juryleder"), ("nn", "juryleiar")):
        data = await gql(
            env.client, PREVIEW, {"id": article_id, "l": locale}, bearer(env.tokens["editor"])
        )
        byline = data["data"]["article"]["byline"]
        assert byline["authors"] == [
            {"name": "Katinka Greve Leiner", "role": role, "roleLocale": locale},
            {"name": "Ola Nordmann", "role": None, "roleLocale": None},
        ]
        # the unit has no nn name: nn falls back to nb and says so
        assert byline["unit"] == {"name": KMD, "locale": "nb", "isFallback": locale == "nn"}


async def test_set_byline_replaces_it_and_moves_the_content_version(env: Env) -> None:
    article_id = await _new_article(env)
    before = await content_version()
    byline = {
        "authors": [
            {
                "name": "Aase Marthe Horrigmo",
                "role": [
                    {"locale": "nb", "text": "statssekretær"},
                    {"locale": "nn", "text": "statssekretær"},
                ],
            }
        ],
        "unit": [{"locale": "nb", "text": KMD}, {"locale": "nn", "text": KMD}],
    }
    body = await env.write(SET, {"id": article_id, "b": byline})
    payload = body["data"]["setByline"]
    assert payload["errors"] == []
    assert payload["article"]["byline"]["authors"][0]["role"] == "statssekretær"
    assert payload["article"]["byline"]["unit"]["isFallback"] is False
    assert await content_version() > before
    # the same byline again changes nothing: the content version stays
    same = await content_version()
    body = await env.write(SET, {"id": article_id, "b": byline})
    assert body["data"]["setByline"]["errors"] == []
    assert await content_version() == same
    # an empty byline removes it
    body = await env.write(SET, {"id": article_id, "b": {}})
    assert body["data"]["setByline"]["article"]["byline"] == {"authors": [], "unit": None}


@pytest.mark.parametrize(
    ("byline", "code", "field"),
    [
        ({"authors": [{"name": "  "}]}, "REQUIRED", "byline.authors.name"),
        ({"authors": [{"name": "x" * 201}]}, "TOO_LONG", "byline.authors.name"),
        (
            {"authors": [{"name": "Kari", "role": [{"locale": "nn", "text": "x" * 201}]}]},
            "TOO_LONG",
            "byline.authors.role",
        ),
        ({"authors": [{"name": "Kari", "role": [{"locale": "nn", "text": ""}]}]}, "REQUIRED", None),
        ({"unit": [{"locale": "nb", "text": "x" * 301}]}, "TOO_LONG", "byline.unit"),
        ({"unit": [{"locale": "nb", "text": "KMD\u202e"}]}, "INVALID_TEXT", None),
        ({"authors": [{"name": f"P{i}"} for i in range(21)]}, "TOO_LONG", "byline.authors"),
        ({"unit": [{"locale": "se", "text": "KMD"}]}, "UNKNOWN_LOCALE", "locale"),
    ],
)
async def test_a_bad_byline_is_a_coded_error_and_changes_nothing(
    env: Env, byline: dict[str, Any], code: str, field: str | None
) -> None:
    seed = await env.read(BYLINE, {"slug": SEED.slug["nb"], "locale": "nb"})
    body = await env.write(SET, {"id": seed["article"]["id"], "b": byline})
    errors = body["data"]["setByline"]["errors"]
    assert errors and errors[0]["code"] == code, errors
    if field is not None:
        assert errors[0]["field"] == field
    assert await env.read(BYLINE, {"slug": SEED.slug["nb"], "locale": "nb"}) == seed


async def test_readers_and_moderators_may_not_set_a_byline(env: Env) -> None:
    seed = await env.read(BYLINE, {"slug": SEED.slug["nb"], "locale": "nb"})
    body = await gql(env.client, SET, {"id": seed["article"]["id"], "b": {}})
    assert error_codes(body) == ["UNAUTHENTICATED"] or error_codes(body) == ["FORBIDDEN"]
    body = await env.write(SET, {"id": seed["article"]["id"], "b": {}}, role="moderator")
    assert error_codes(body) == ["FORBIDDEN"]
    assert await env.read(BYLINE, {"slug": SEED.slug["nb"], "locale": "nb"}) == seed


# -- reading figures and the excerpt ---------------------------------------------------------

FIGURES = """query($slug: String!, $l: String!, $n: Int!) { article(slug: $slug, locale: $l) {
  body wordCount readingMinutes excerpt(length: $n) short: excerpt(length: 30) full: excerpt
  } }"""


@pytest.mark.parametrize("locale", LOCALES)
async def test_word_count_reading_minutes_and_excerpt(env: Env, locale: str) -> None:
    data = await env.read(FIGURES, {"slug": SEED.slug[locale], "l": locale, "n": 120})
    article = data["article"]
    words = reading.words(SEED.body[locale])
    assert article["wordCount"] == len(words) > 400  # the body only: title, lead not counted
    assert article["readingMinutes"] == -(-len(words) // reading.WORDS_PER_MINUTE) >= 2
    for name, limit in (("excerpt", 120), ("short", 30), ("full", 200)):
        text = article[name]
        assert len(text) <= limit and text.endswith("…"), text
        assert "<" not in text and "  " not in text
        # cut at a word boundary: what is kept are whole words of the body text
        kept = text.removesuffix("…").split()
        assert kept == words[: len(kept)] or kept[:-1] == words[: len(kept) - 1]
        assert reading.plain_text(article["body"]).startswith(text.removesuffix("…"))
    opening = {"nb": "Kommunal- og moderniseringsdepartementets", "nn": "Innovasjonsprisen"}
    assert article["short"].startswith(opening[locale].split()[0])


async def test_excerpt_lengths_outside_1_to_1000_are_bad_requests(env: Env) -> None:
    for length in (0, -1, 1001):
        body = await gql(env.client, FIGURES, {"slug": SEED.slug["nn"], "l": "nn", "n": length})
        assert error_codes(body) == ["BAD_REQUEST"], body
        assert body["errors"][0]["path"][-1] == "excerpt"
    data = await env.read(FIGURES, {"slug": SEED.slug["nn"], "l": "nn", "n": 1})
    assert data["article"]["excerpt"] == "…"
    data = await env.read(FIGURES, {"slug": SEED.slug["nn"], "l": "nn", "n": 1000})
    assert len(data["article"]["excerpt"]) <= 1000


def test_the_reading_rules() -> None:
    html = "<p>Hei  <strong>på</strong> deg</p><p>– alle sammen!</p>"
    assert reading.word_count(html) == 5  # the dash alone is no word
    assert reading.reading_minutes("") == 1
    assert reading.reading_minutes("<p>" + "ord " * 201 + "</p>") == 2
    assert reading.excerpt(html, 100) == "Hei på deg – alle sammen!"
    assert reading.excerpt(html, 12) == "Hei på deg…"
    assert reading.excerpt(html, 11) == "Hei på deg…"
    assert reading.excerpt(html, 10) == "Hei på…"
    assert reading.excerpt("<p>Samskapingsperspektiv</p>", 8) == "Samskap…"


async def test_list_rows_have_figures_too(env: Env) -> None:
    data = await env.read(
        """{ articles(locale: "nn", first: 30) { edges { node { slug wordCount
          readingMinutes excerpt(length: 60) } } } }"""
    )
    for edge in data["articles"]["edges"]:
        node = edge["node"]
        assert node["wordCount"] > 0 and node["readingMinutes"] >= 1
        assert 0 < len(node["excerpt"]) <= 60


# -- related articles ------------------------------------------------------------------------

ALL = """query($l: String!) { articles(locale: $l, first: 100) { edges { node {
  id locale publishedAt tags { key } } } } }"""
RELATED = """query($slug: String!, $l: String!, $n: Int!) { article(slug: $slug, locale: $l) {
  id tags { key } related(first: $n) { id locale isFallback requestedLocale publishedAt
  tags { key } } } }"""


@pytest.mark.parametrize("locale", LOCALES)
async def test_related_shares_tags_most_first_then_newest(env: Env, locale: str) -> None:
    everything = (await env.read(ALL, {"l": locale}))["articles"]["edges"]
    served = {e["node"]["id"]: e["node"] for e in everything}
    data = await env.read(RELATED, {"slug": SEED.slug[locale], "l": locale, "n": 20})
    article = data["article"]
    mine = {t["key"] for t in article["tags"]}

    def shared(node: dict[str, Any]) -> int:
        return len(mine & {t["key"] for t in node["tags"]})

    candidates = [n for n in served.values() if n["id"] != article["id"] and shared(n)]
    candidates.sort(key=lambda n: (shared(n), n["publishedAt"], n["id"]), reverse=True)
    related = article["related"]
    assert len(related) == min(20, len(candidates)) > 5
    assert article["id"] not in [r["id"] for r in related]
    assert [shared(r) for r in related] == [shared(n) for n in candidates[:20]]
    for r in related:
        # the translation the list serves in this locale, through the same chain
        assert r["locale"] == served[r["id"]]["locale"]
        assert r["requestedLocale"] == locale
        assert r["isFallback"] == (r["locale"] != locale)
    keys = [(shared(r), r["publishedAt"]) for r in related]
    assert keys == sorted(keys, reverse=True)
    if locale == "nn":
        assert any(r["isFallback"] for r in related)  # nb-only articles come through the chain
    small = await env.read(RELATED, {"slug": SEED.slug[locale], "l": locale, "n": 3})
    assert small["article"]["related"] == related[:3]


async def test_related_first_is_bounded(env: Env) -> None:
    for n in (-1, 21):
        body = await gql(env.client, RELATED, {"slug": SEED.slug["nb"], "l": "nb", "n": n})
        assert error_codes(body) == ["BAD_REQUEST"], body
    data = await env.read(RELATED, {"slug": SEED.slug["nb"], "l": "nb", "n": 0})
    assert data["article"]["related"] == []


async def test_related_costs_its_size(env: Env) -> None:
    response = await env.client.post(
        "/graphql",
        json={
            "query": '{ article(slug: "x") { related(first: 10) { leadImage { url } } } }',
            "extensions": {"cost": True},
        },
    )
    assert response.json()["extensions"]["cost"] == 1 + (1 + 10 * 1)  # 10 x leadImage


# -- tags ------------------------------------------------------------------------------------

TAGS = """query($l: String, $n: Int, $a: String) { tags(locale: $l, first: $n, after: $a) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
  edges { cursor node { key name locale isFallback } } } }"""


@pytest.mark.parametrize(
    ("locale", "kommuner", "bolig"), [("nb", "Kommuner", "Bolig"), ("nn", "Kommunar", "Bustad")]
)
async def test_tags_list_their_names_in_the_locale_and_page_by_key(
    env: Env, locale: str, kommuner: str, bolig: str
) -> None:
    data = await env.read(TAGS, {"l": locale, "n": 100})
    tags = data["tags"]
    names = {e["node"]["key"]: e["node"]["name"] for e in tags["edges"]}
    assert names["kommuner"] == kommuner and names["bolig"] == bolig
    assert all(e["node"]["locale"] == locale for e in tags["edges"])
    keys = [e["node"]["key"] for e in tags["edges"]]
    assert keys == sorted(keys) and tags["totalCount"] == len(keys) > 5
    assert tags["pageInfo"]["hasNextPage"] is False
    # two at a time, to the end
    seen: list[str] = []
    after = None
    while True:
        page = (await env.read(TAGS, {"l": locale, "n": 2, "a": after}))["tags"]
        seen += [e["node"]["key"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == keys


TAG = """query($k: String!, $l: String, $n: Int, $a: String) { tag(key: $k, locale: $l) {
  key name locale articles(first: $n, after: $a) { totalCount
  pageInfo { hasNextPage endCursor } edges { node { id title locale } } } } }"""
FILTERED = """query($k: String!, $l: String, $n: Int, $a: String) {
  articles(locale: $l, first: $n, after: $a, filter: {tag: $k}) { totalCount
  pageInfo { hasNextPage endCursor } edges { node { id title locale } } } }"""


@pytest.mark.parametrize(("locale", "name"), [("nb", "Kommuner"), ("nn", "Kommunar")])
async def test_a_tag_page_lists_what_the_tag_filter_lists(env: Env, locale: str, name: str) -> None:
    variables = {"k": "kommuner", "l": locale, "n": 5}
    tag = (await env.read(TAG, variables))["tag"]
    assert (tag["key"], tag["name"], tag["locale"]) == ("kommuner", name, locale)
    listed = (await env.read(FILTERED, variables))["articles"]
    assert tag["articles"] == listed
    assert tag["articles"]["totalCount"] > 5 and tag["articles"]["pageInfo"]["hasNextPage"]
    after = tag["articles"]["pageInfo"]["endCursor"]
    second = (await env.read(TAG, {**variables, "a": after}))["tag"]["articles"]
    assert second == (await env.read(FILTERED, {**variables, "a": after}))["articles"]


async def test_an_unknown_tag_is_null(env: Env) -> None:
    assert (await env.read(TAG, {"k": "finst-ikkje"}))["tag"] is None
    body = await gql(env.client, TAGS, {"a": "not-a-cursor"})
    assert error_codes(body) == ["BAD_REQUEST"]


# -- the response cache follows a byline change ----------------------------------------------


async def test_an_anonymous_reader_sees_a_changed_byline_at_once(env: Env) -> None:
    variables = {"slug": SEED.slug["nn"], "locale": "nn"}
    seed = await env.read(BYLINE, variables)
    assert await env.read(BYLINE, variables) == seed  # kept in the response cache now
    changed = {
        "authors": [{"name": "Kari Nordmann", "role": [{"locale": "nn", "text": "rådgjevar"}]}],
        "unit": [{"locale": "nn", "text": "Kommunal- og distriktsdepartementet"}],
    }
    body = await env.write(SET, {"id": seed["article"]["id"], "b": changed})
    assert body["data"]["setByline"]["errors"] == []
    after = (await env.read(BYLINE, variables))["article"]["byline"]
    assert after["authors"] == [{"name": "Kari Nordmann", "role": "rådgjevar", "roleLocale": "nn"}]
    assert after["unit"]["name"] == "Kommunal- og distriktsdepartementet"
