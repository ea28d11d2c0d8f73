"""Full-text search through the app: Norwegian stems, prefixes, ranking, snippets, paging.

One app with the demo content (and the seed article) serves the module; the tests that
write make articles of their own, with words nobody else uses. Runs on SQLite (the FTS5
index fed by Python's stemmer) and on PostgreSQL (the generated tsvector column).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from typing import Any

import httpx
import pytest
from tortoise.connection import connections

from contentapi.articles.models import Article, ArticleTranslation, ReadModelState
from contentapi.articles.search import find
from contentapi.articles.search import index as search_index
from contentapi.articles.search.find import MAX_DEPTH
from contentapi.articles.search.query import parse
from contentapi.articles.search.words import stem
from contentapi.demo.content import SEED
from contentapi.graphql.relay import encode_cursor, from_global_id, to_global_id
from contentapi.settings import Settings
from tests.conftest import (
    FakeClock,
    QueryCounter,
    bearer,
    error_codes,
    gql,
    make_settings,
    make_tokens,
    postgres_connection,
    running_app,
)

SEARCH = """query($q: String!, $locale: String, $first: Int, $after: String) {
  search(query: $q, locale: $locale, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor snippet score node { id title locale isFallback } } } }"""
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  article { id version } errors { field code } } }"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  article { id version } errors { field code } } }"""
TRANSLATE = """mutation($input: TranslateArticleInput!) { translateArticle(input: $input) {
  article { id version } errors { field code } } }"""
PUBLISH = """mutation($id: ID!, $locale: String!, $at: DateTime) {
  publishArticle(id: $id, locale: $locale, at: $at) { article { id } errors { code } } }"""
UNPUBLISH = """mutation($id: ID!, $locale: String!) {
  unpublishArticle(id: $id, locale: $locale) { article { id } errors { code } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    settings: Settings
    editor: dict[str, str]
    clock: FakeClock

    async def write(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await gql(self.client, query, variables, headers=self.editor)
        assert "errors" not in body, body
        payload = dict(next(iter(body["data"].values())))
        assert payload["errors"] == [], payload
        return payload

    async def article(self, title: str, body: str, lead: str | None = None) -> str:
        """A new nb draft; its plain id (which mutations take, as they take the nb one)."""
        created = await self.write(
            CREATE, input={"locale": "nb", "title": title, "lead": lead, "body": body}
        )
        return plain(created["article"]["id"])

    async def published(self, title: str, body: str, lead: str | None = None) -> str:
        article_id = await self.article(title, body, lead)
        await self.write(PUBLISH, id=article_id, locale="nb")
        return article_id


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    clock = FakeClock()
    settings = await make_settings(tmp_path_factory.mktemp("search"))
    async with running_app(settings, demo=True, clock=clock) as client:
        tokens = await make_tokens()
        yield Env(client, settings, bearer(tokens["editor"]), clock)


async def search(env: Env, q: str, locale: str = "nb", **more: Any) -> dict[str, Any]:
    body = await gql(env.client, SEARCH, {"q": q, "locale": locale, **more})
    assert "errors" not in body, body
    return dict(body["data"]["search"])


def titles(found: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in found["edges"]]


def plain(global_id: str) -> str:
    """The plain id of an article (the ids it is given name the locale it was shown in)."""
    return str(to_global_id(*from_global_id(global_id)))


def ids(found: dict[str, Any]) -> list[str]:
    """The articles found, by their plain ids."""
    return [plain(edge["node"]["id"]) for edge in found["edges"]]


# -- what a word finds ----------------------------------------------------------------------


def _seed_text(locale: str) -> str:
    return " ".join((SEED.title[locale], SEED.lead[locale], SEED.body[locale])).casefold()


async def test_inflected_forms_find_the_seed_article(env: Env) -> None:
    text = _seed_text("nb")
    for word, form in (("juryens", "juryen"), ("finalistene", "finalister")):
        assert not re.search(rf"\b{word}\b", text) and re.search(rf"\b{form}\b", text)
        found = await search(env, word)
        assert SEED.title["nb"] in titles(found), word
        assert {edge["node"]["locale"] for edge in found["edges"]} == {"nb"}


async def test_kommunen_finds_an_article_that_only_says_kommuner(env: Env) -> None:
    article_id = await env.published(
        "Tre nabokommuner i brannsamarbeid", "<p>Kommuner på Helgeland deler en utrykning.</p>"
    )
    found = await search(env, "kommunen", first=100)
    assert found["totalCount"] > 20  # the demo archive says it everywhere
    everything = await page_through(env, "kommunen")
    assert article_id in everything


async def test_a_prefix_finds_the_longer_word(env: Env) -> None:
    found = await search(env, "innovasjon*")
    assert SEED.title["nb"] in titles(found)
    assert "innovasjon" not in SEED.title["nb"].casefold().split()
    assert titles(await search(env, "innovasjo")) == []  # without the star: a word of its own


async def test_a_nynorsk_word_finds_the_nynorsk_article(env: Env) -> None:
    # the nn text has "løysingar" and "finalistar"; nb has neither word
    found = await search(env, "løysinga finalistane", locale="nn")
    node = found["edges"][0]["node"]
    assert node["title"] == SEED.title["nn"] and node["locale"] == "nn"
    assert node["isFallback"] is False
    assert SEED.title["nb"] not in titles(await search(env, "løysinga finalistane", "nb"))


async def test_existing_expectations_hold(env: Env) -> None:
    # what the LIKE search did and full-text search keeps: case, markup, the shown text
    for q in ("TRÆNA", "træna", "TræNA"):
        assert SEED.title["nb"] in titles(await search(env, q, first=100))
    assert titles(await search(env, "innbyggerne Træna", "nn")) == []  # nb word, nn text
    assert SEED.title["nb"] in titles(await search(env, "innbyggerne Træna", "nb"))


async def test_fallback_content_is_found_and_marked(env: Env) -> None:
    article_id = await env.published("Sjøormfestivalen i Bø", "<p>Bare på bokmål.</p>")
    found = await search(env, "sjøormfestivalen", locale="nn")
    assert ids(found) == [article_id]
    assert found["edges"][0]["node"]["locale"] == "nb"
    assert found["edges"][0]["node"]["isFallback"] is True
    await env.write(
        TRANSLATE,
        input={
            "id": article_id,
            "locale": "nn",
            "title": "Sjøormfestivalen i Bø",
            "body": "<p>No på nynorsk òg.</p>",
        },
    )
    await env.write(PUBLISH, id=article_id, locale="nn")
    node = (await search(env, "sjøormfestivalen", locale="nn"))["edges"][0]["node"]
    assert (node["locale"], node["isFallback"]) == ("nn", False)


# -- order, snippets, paging ----------------------------------------------------------------


async def test_a_title_match_ranks_before_a_body_match(env: Env) -> None:
    filler = " ".join(f"Setning {n} om noko heilt anna." for n in range(40))
    in_body = await env.published(
        "Møte om vegar", f"<p>{filler} Til slutt: gaupefôring.</p><p>{filler}</p>"
    )
    in_title = await env.published("Gaupefôring i vinter", "<p>Om dyr.</p>")
    found = await search(env, "gaupefôring")
    assert ids(found) == [in_title, in_body]
    scores = [edge["score"] for edge in found["edges"]]
    assert scores[0] > scores[1] > 0


async def test_the_snippet_marks_matches_and_escapes_html(env: Env) -> None:
    words = " ".join(f"ord{n}" for n in range(60))
    await env.published(
        "Trollsteinen",
        f"<p>{words}</p><p>Her ligg <strong>kjempetrollet</strong> &amp; co. "
        "&lt;script&gt;alert(1)&lt;/script&gt; ved kjempetrolla.</p>",
    )
    edge = (await search(env, "kjempetrollet"))["edges"][0]
    snippet = edge["snippet"]
    assert snippet.count("<mark>") == 2  # both forms, one stem
    assert "<mark>kjempetrollet</mark>" in snippet and "<mark>kjempetrolla</mark>" in snippet
    assert "&amp; co." in snippet and "&lt;script&gt;" in snippet
    assert "<script" not in snippet and "<strong>" not in snippet
    assert snippet.startswith("…") and "ord0 " not in snippet  # a window, not the start
    shown = re.sub(r"</?mark>", "", snippet).strip("…").split()
    assert 20 <= len(shown) <= 40
    assert "alert(1)</script>" in unescape(snippet)


async def test_snippet_and_score_are_null_outside_search(env: Env) -> None:
    body = await gql(env.client, '{ articles(locale: "nb", first: 3) { edges { snippet score } } }')
    assert body["data"]["articles"]["edges"] == [{"snippet": None, "score": None}] * 3


async def page_through(env: Env, q: str, locale: str = "nb", size: int = 7) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        found = await search(env, q, locale, first=size, after=after)
        seen += ids(found)
        assert found["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not found["pageInfo"]["hasNextPage"]:
            assert len(seen) == found["totalCount"]
            return seen
        assert len(found["edges"]) == size
        after = found["pageInfo"]["endCursor"]


async def test_pages_give_every_result_once_in_rank_order(env: Env) -> None:
    seen = await page_through(env, "kommune", "nn")
    assert len(seen) == len(set(seen)) > 20
    assert seen == ids(await search(env, "kommune", "nn", first=100))[: len(seen)]


async def test_bad_cursors_are_refused(env: Env) -> None:
    found = await search(env, "kommune", first=2)
    other = {"q": "klima", "locale": "nb", "after": found["pageInfo"]["endCursor"]}
    assert error_codes(await gql(env.client, SEARCH, other)) == ["BAD_REQUEST"]
    key = parse("kommune").key
    for values in ([MAX_DEPTH], [0], ["2"], [1, 2]):
        deep = {"q": "kommune", "after": encode_cursor(f"search:{key}", values)}
        assert error_codes(await gql(env.client, SEARCH, deep)) == ["BAD_REQUEST"], values
    near = {"q": "kommune", "after": encode_cursor(f"search:{key}", [MAX_DEPTH - 1])}
    assert "errors" not in await gql(env.client, SEARCH, near)
    assert error_codes(await gql(env.client, SEARCH, {"q": "kommune", "first": 101})) == [
        "BAD_REQUEST"
    ]


async def test_a_page_reads_its_bodies_in_one_statement(
    env: Env, count_queries: QueryCounter
) -> None:
    query = """query($n: Int) { search(query: "kommune", locale: "nb", first: $n) {
      edges { snippet node { title body tags { key } } } } }"""
    counts = []
    for size in (2, 12):
        count_queries.statements.clear()
        body = await gql(env.client, query, {"n": size})
        edges = body["data"]["search"]["edges"]
        assert len(edges) == size and all(e["node"]["body"].startswith("<") for e in edges)
        counts.append(len(count_queries.statements))
    assert counts[0] == counts[1]


# -- what is never found --------------------------------------------------------------------


async def test_only_what_readers_see_is_found(env: Env) -> None:
    draft = await env.article("Kvitveisfestival", "<p>Kladd om kvitveisfestivalen.</p>")
    assert ids(await search(env, "kvitveisfestivalen")) == []
    later = (env.clock.now + timedelta(days=3)).isoformat()
    await env.write(PUBLISH, id=draft, locale="nb", at=later)
    assert ids(await search(env, "kvitveisfestivalen")) == []  # scheduled, in the future
    await env.write(PUBLISH, id=draft, locale="nb")
    assert ids(await search(env, "kvitveisfestivalen")) == [draft]
    await env.write(UNPUBLISH, id=draft, locale="nb")
    assert ids(await search(env, "kvitveisfestivalen")) == []
    assert ids(await search(env, "kvitveisfestivalen", "nn")) == []


async def test_an_edit_is_found_by_its_new_words_at_once(env: Env) -> None:
    article_id = await env.published("Båtreparasjon", "<p>Om tjærebreiing av båter.</p>")
    assert ids(await search(env, "tjærebreiing")) == [article_id]
    await env.write(
        UPDATE,
        input={
            "id": article_id,
            "locale": "nb",
            "expectedVersion": 1,  # publishing keeps the version
            "body": "<p>Om linoljemaling av båter.</p>",
        },
    )
    assert ids(await search(env, "linoljemaling")) == [article_id]
    assert ids(await search(env, "tjærebreiing")) == []


# -- odd queries -----------------------------------------------------------------------------


async def test_queries_without_words_find_nothing_and_send_no_sql(
    env: Env, count_queries: QueryCounter
) -> None:
    for q in ("!!! ... ?", "*", "« » – …", "og i de", "ikkje dei", "Og, IKKE; det."):
        count_queries.statements.clear()
        found = await search(env, q)
        assert found["edges"] == [] and found["totalCount"] == 0, q
        assert found["pageInfo"]["hasNextPage"] is False
        searched = [s for s in count_queries.statements if "article_" in s]
        assert searched == [], (q, searched)


async def test_long_empty_and_control_queries_are_coded_errors(env: Env) -> None:
    for bad, code in (
        ("x" * 10_000, "BAD_REQUEST"),
        ("kommune " * 1250, "BAD_REQUEST"),
        ("x" * 201, "BAD_REQUEST"),
        ("", "BAD_REQUEST"),
        ("   ", "BAD_REQUEST"),
        ("pris\u0000", "INVALID_TEXT"),
        ("\x1b[31mkommune", "INVALID_TEXT"),
    ):
        body = await gql(env.client, SEARCH, {"q": bad})
        assert error_codes(body) == [code], bad[:20]
        assert body["data"] is None


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "NEAR(",
        "AND",
        "OR",
        ":",
        "^",
        "-",
        "(",
        ")",
        '"kommune',
        "kommune AND",
        "kommune OR NOT",
        "title:kommune",
        "^kommune",
        "-kommune",
        "kommune*)",
        "NEAR(kommune træna, 2)",
        '" OR 1=1 --',
        "'; DROP TABLE article_translation; --",
        "kommune:* & !træna",
        "kommune | træna <-> x",
        "\\",
        "%_",
    ],
)
async def test_search_syntax_in_a_query_is_only_text(env: Env, q: str) -> None:
    body = await gql(env.client, SEARCH, {"q": q, "first": 100})
    assert "errors" not in body, body
    plain = " ".join(re.findall(r"[^\W_]+\*?", q))  # what the words (and prefixes) find
    alone = await search(env, plain, first=100) if plain else {"edges": []}
    assert ids(body["data"]["search"]) == ids(alone)


# -- the index itself ----------------------------------------------------------------------


async def test_a_stale_index_is_rebuilt_and_reindex_redoes_it(env: Env) -> None:
    # each search asks for another page size: the response cache has not seen it
    before = ids(await search(env, "juryens", first=11))
    assert before
    client = connections.get("default")
    if client.capabilities.dialect == "sqlite":
        await client.execute_query('DELETE FROM "article_search"')
        await ReadModelState.filter(name=search_index.STATE_NAME).update(fingerprint="old")
        assert ids(await search(env, "juryens", first=12)) == []  # damaged by hand
        assert await search_index.ensure_current() is True  # what the app does at start
        assert await search_index.ensure_current() is False
    else:
        assert await search_index.ensure_current() is False  # a generated column
    assert ids(await search(env, "juryens", first=13)) == before
    count = await ArticleTranslation.all().count()
    result = subprocess.run(
        [sys.executable, "-m", "contentapi", "reindex"],
        env={**os.environ, "CONTENTAPI_DATABASE_URL": env.settings.database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "article listing rebuilt" in result.stdout
    assert f"search index: {count} translations" in result.stdout
    assert ids(await search(env, "juryens", first=14)) == before


@pytest.mark.parametrize("include_fallbacks", [True, False])
async def test_sqlite_reads_from_the_index_out(env: Env, include_fallbacks: bool) -> None:
    # the plan that keeps a common word cheap: the FTS5 matches first, then each one's
    # translation and listing row by key (left alone, SQLite walked the whole listing
    # and ran the MATCH once per row: 50 times slower at 2,000 articles)
    client = connections.get("default")
    if client.capabilities.dialect != "sqlite":
        return  # PostgreSQL: its planner picks the GIN index once statistics exist
    parts = find._statement(parse("kommune"), "nb", env.clock.now, include_fallbacks)
    plan = await client.execute_query_dict(
        f'EXPLAIN QUERY PLAN SELECT {parts.score} AS "score" {parts.where}{find._ORDER}',
        [*parts.where_params, 20, 0],
    )
    steps = [str(row["detail"]) for row in plan]
    assert steps[0].startswith("SCAN article_search VIRTUAL TABLE"), steps
    assert any(s.startswith("SEARCH t USING INTEGER PRIMARY KEY") for s in steps), steps
    listing = next(s for s in steps if s.startswith("SEARCH l "))
    # includeFallbacks: false finds the row by the whole unique key (rank 0)
    key = "requested_locale=? AND article_id=?" + ("" if include_fallbacks else " AND rank=?")
    assert f"({key})" in listing, steps


async def test_a_translation_that_goes_leaves_the_index(env: Env) -> None:
    article_id = await env.published("Kortvarig sak", "<p>Om snøskuterløyper.</p>")
    assert ids(await search(env, "snøskuterløyper")) == [article_id]
    row = await ArticleTranslation.get(slug="kortvarig-sak", locale="nb")
    client = connections.get("default")
    sqlite = client.capabilities.dialect == "sqlite"
    indexed = 'SELECT COUNT(*) AS "n" FROM "article_search" WHERE "rowid" = ?'
    if sqlite:
        assert (await client.execute_query_dict(indexed, [row.id]))[0]["n"] == 1
    await Article.filter(id=row.article_id).delete()  # the translation goes with it
    if sqlite:  # the migration's trigger
        assert (await client.execute_query_dict(indexed, [row.id]))[0]["n"] == 0
    assert ids(await search(env, "snøskuterløyper", first=3)) == []


# -- Nynorsk and the Bokmål stemmer -----------------------------------------------------------

# inflected Nynorsk form -> its lemma (nouns, adjectives, verbs with e-infinitive)
NYNORSK = """kommunane kommune
kommunar kommune
kommunen kommune
løysingane løysing
løysinga løysing
løysingar løysing
vegane veg
bygda bygd
bygdene bygd
skulane skule
innbyggjarane innbyggjar
innbyggjarar innbyggjar
ordføraren ordførar
ordførarane ordførar
lærarane lærar
avgjerda avgjerd
meldingane melding
husa hus
tilboda tilbod
tilbodet tilbod
prosjekta prosjekt
tenestene teneste
fylka fylke
offentlege offentleg
vanlege vanleg
nødvendige nødvendig
lokale lokal
nye ny
frie fri
publiserte publisere
publiserer publisere
kasta kaste
kastar kaste
laga lage
opna opne
opnar opne
arbeidde arbeide
prøvde prøve
levde leve
kjøpte kjøpe
meinte meine
køyrde køyre
sette setje
vedtok vedta"""
PAIRS = [tuple(line.split()) for line in NYNORSK.splitlines()]


def _numbered(expression: str, first: int) -> str:
    """``?`` placeholders as PostgreSQL's ``$n``, from ``$first`` on."""
    counter = iter(range(first, first + expression.count("?")))
    return re.sub(r"\?", lambda _: f"${next(counter)}", expression)


def _found(query: str, text: str) -> bool:
    """Whether a search for ``query`` finds a text of the one word ``text`` (SQLite's rule:
    the index holds each word and its stem)."""
    term = parse(query).terms[0]
    return bool(term.keys & {text, stem(text)})


def test_how_well_the_stemmer_joins_nynorsk_forms() -> None:
    assert len(PAIRS) == 44
    snowball = sum(stem(form) == stem(lemma) for form, lemma in PAIRS)
    both_ways = [(f, lemma) for f, lemma in PAIRS if _found(f, lemma) and _found(lemma, f)]
    exact_too = [(f, lemma) for f, lemma in PAIRS if {f, stem(f)} & {lemma, stem(lemma)}]
    # Snowball alone joins 29; with the exact words indexed too, the -ar agent nouns meet
    # (ordførar/ordføraren): 34; the supplement adds e-verbs' past tense and nye/ny: 42
    assert (snowball, len(exact_too), len(both_ways)) == (29, 34, 42)
    assert {pair for pair in PAIRS if pair not in both_ways} == {
        ("sette", "setje"),
        ("vedtok", "vedta"),
    }  # strong verbs: no suffix rule reaches them
    for stopword in ("dei", "ikkje", "eg", "kva", "korleis"):
        assert parse(stopword).terms == ()


async def test_postgres_matches_the_nynorsk_forms_as_python_does() -> None:
    # the same query expression as the app's, against PostgreSQL's own vectors (no table:
    # the suite's database, which the module's app uses, is not wiped for it)
    async with postgres_connection() as conn:
        for form, lemma in PAIRS:
            for query, text in ((form, lemma), (lemma, form)):
                expression, params = parse(query).tsquery()
                numbered = _numbered(expression, first=2)  # $1 is the text
                found = await conn.fetchval(
                    "SELECT (to_tsvector('norwegian', $1) || to_tsvector('simple', $1)) "
                    f"@@ ({numbered})",
                    text,
                    *params,
                )
                assert found is _found(query, text), (query, text)
