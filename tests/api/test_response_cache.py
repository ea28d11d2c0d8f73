"""The anonymous response cache, as a frontend behind a CDN sees it: repeated reads come
from the cache, no answer is ever stale after a change, tokens never share answers with
anonymous readers, and HTTP caching (ETag, 304, Cache-Control, Vary) says the truth."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest

from contentapi.demo.content import SEED
from tests.conftest import FakeClock, bearer, gql, make_settings, make_tokens, running_app

PAGE = """query($slug: String!) { article(slug: $slug, locale: "nb") {
  id title commentsOpen commentCount leadImage { id alt } } }"""
LIST = """query { articles(locale: "nb", first: 50) { edges { node { title } } } }"""
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  article { id slug version } errors { code } } }"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  article { version } errors { code } } }"""
PUBLISH = """mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, locale: "nb", at: $at) {
  article { version } errors { code } } }"""
POST_COMMENT = """mutation($id: ID!) { postComment(input: {articleId: $id, locale: "nb",
  authorName: "Kari", email: "kari@example.no", body: "Gratulerer, Træna!"}) {
  comment { id } errors { code } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    clock: FakeClock

    async def read(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> httpx.Response:
        """An anonymous GET, as a CDN or a browser sends it."""
        params = {"query": query}
        if variables:
            params["variables"] = orjson.dumps(variables).decode()
        return await self.client.get("/graphql", params=params, headers=headers)

    async def write(self, query: str, variables: dict[str, Any], role: str = "editor") -> Any:
        body = await gql(self.client, query, variables, headers=bearer(self.tokens[role]))
        assert "errors" not in body, body
        payload = next(iter(body["data"].values()))
        assert payload["errors"] == [], payload
        return payload

    async def published(self, title: str) -> dict[str, Any]:
        """A new published nb article."""
        made = await self.write(
            CREATE, {"input": {"locale": "nb", "title": title, "body": "<p>Tekst.</p>"}}
        )
        await self.write(PUBLISH, {"id": made["article"]["id"]})
        return dict(made["article"])


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    clock = FakeClock()
    settings = await make_settings(tmp_path_factory.mktemp("cache"))
    async with running_app(settings, demo=True, clock=clock) as client:
        tokens = await make_tokens()
        await asyncio.sleep(0.2)  # the demo load's version is seen (an empty cache either way)
        yield Env(client, tokens, clock)


def hit(response: httpx.Response) -> bool:
    return response.headers.get("x-cache") == "HIT"


async def warm(env: Env, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    """Read twice; the second answer comes from the cache."""
    first = await env.read(query, variables)
    second = await env.read(query, variables)
    assert first.status_code == second.status_code == 200
    assert not hit(first) or hit(second)
    assert hit(second), second.headers
    assert second.content == first.content
    return second


async def test_a_repeated_read_comes_from_the_cache_with_its_etag(env: Env) -> None:
    first = await env.read(PAGE, {"slug": SEED.slug["nb"]})
    second = await env.read(PAGE, {"slug": SEED.slug["nb"]})
    assert not hit(first) and hit(second)
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    cached = await env.read(
        PAGE, {"slug": SEED.slug["nb"]}, **{"If-None-Match": first.headers["etag"]}
    )
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == first.headers["etag"]
    assert cached.headers["cache-control"].startswith("public, max-age=")
    # a POST with the same query is the same answer, served from the cache, not public
    posted = await env.client.post(
        "/graphql", json={"query": PAGE, "variables": {"slug": SEED.slug["nb"]}}
    )
    assert hit(posted) and posted.content == first.content
    assert posted.headers["cache-control"] == "no-store"


async def test_a_token_never_gets_an_anonymous_answer_nor_leaves_one(env: Env) -> None:
    # an anonymous answer is kept; the same query with a token is computed for the token
    variables = {"slug": SEED.slug["nb"]}
    anonymous = await warm(env, PAGE, variables)
    editor = await env.read(PAGE, variables, **bearer(env.tokens["editor"]))
    assert not hit(editor) and editor.headers["cache-control"] == "private, no-store"
    assert "etag" not in editor.headers and editor.json() == anonymous.json()
    # what a token sees is never kept for anonymous readers
    draft = await env.write(
        CREATE, {"input": {"locale": "nb", "title": "Hemmeleg utkast", "body": "<p>Nei.</p>"}}
    )
    preview = """query($id: ID!) { article(id: $id, locale: "nb", preview: true) { title } }"""
    variables = {"id": draft["article"]["id"]}
    for _ in range(2):
        seen = await env.read(preview, variables, **bearer(env.tokens["editor"]))
        assert seen.json()["data"]["article"]["title"] == "Hemmeleg utkast" and not hit(seen)
    stranger = await env.read(preview, variables)
    assert not hit(stranger) and "Hemmeleg utkast" not in stranger.text
    assert stranger.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_answer_is_stale_after_a_change_readers_see(env: Env) -> None:
    made = await env.published("Kystkulturdagen i Træna")
    article_id, slug = made["id"], made["slug"]
    variables = {"slug": slug}

    async def after(change: str, variables_: dict[str, Any], write: Any) -> dict[str, Any]:
        await warm(env, PAGE, variables_)
        await write
        fresh = await env.read(PAGE, variables_)
        assert not hit(fresh), change
        return dict(orjson.loads(fresh.content)["data"]["article"] or {"gone": True})

    version = made["version"] + 0
    page = await after(
        "edit",
        variables,
        env.write(
            UPDATE,
            {
                "input": {
                    "id": article_id,
                    "locale": "nb",
                    "expectedVersion": version,
                    "title": "Kystkulturdagen i Træna 2026",
                }
            },
        ),
    )
    assert page["title"] == "Kystkulturdagen i Træna 2026"
    page = await after(
        "comments closed",
        variables,
        env.write(
            """mutation($id: ID!) { setCommentsOpen(id: $id, open: false) {
            article { id } errors { code } } }""",
            {"id": article_id},
        ),
    )
    assert page["commentsOpen"] is False
    page = await after(
        "unpublish",
        variables,
        env.write(
            """mutation($id: ID!) { unpublishArticle(id: $id, locale: "nb") {
            article { id } errors { code } } }""",
            {"id": article_id},
        ),
    )
    assert page == {"gone": True}
    await env.write(PUBLISH, {"id": article_id})
    page = await after(
        "delete",
        variables,
        env.write(
            """mutation($id: ID!) { deleteArticle(id: $id) { article { id } errors { code } } }""",
            {"id": article_id},
        ),
    )
    assert page == {"gone": True}
    # restored: the cached "gone" answer goes
    await env.read(PAGE, variables)
    assert hit(await env.read(PAGE, variables))
    await env.write(
        """mutation($id: ID!) { restoreArticle(id: $id) { article { id } errors { code } } }""",
        {"id": article_id},
    )
    assert (await env.read(PAGE, variables)).json()["data"]["article"]["title"].endswith("2026")


async def test_no_answer_is_stale_after_moderation_or_a_media_text(env: Env) -> None:
    variables = {"slug": SEED.slug["nb"]}
    before = (await warm(env, PAGE, variables)).json()["data"]["article"]
    posted = await gql(env.client, POST_COMMENT, {"id": before["id"]})
    comment_id = posted["data"]["postComment"]["comment"]["id"]
    assert hit(await env.read(PAGE, variables))  # a pending comment changes nothing public
    await env.write(
        """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
        comment { id } errors { code } } }""",
        {"id": comment_id},
        role="moderator",
    )
    after = (await env.read(PAGE, variables)).json()["data"]["article"]
    assert after["commentCount"] == before["commentCount"] + 1
    await warm(env, PAGE, variables)
    await env.write(
        """mutation($input: UpdateMediaInput!) { updateMedia(input: $input) {
        errors { code } } }""",
        {
            "input": {
                "id": before["leadImage"]["id"],
                "imageTexts": [{"locale": "nb", "alt": "Ordføraren tek imot prisen"}],
            }
        },
    )
    fresh = await env.read(PAGE, variables)
    assert not hit(fresh)
    assert fresh.json()["data"]["article"]["leadImage"]["alt"] == "Ordføraren tek imot prisen"


async def test_a_scheduled_article_appears_at_its_time_without_a_write(env: Env) -> None:
    made = await env.write(
        CREATE, {"input": {"locale": "nb", "title": "Kjem om fem sekund", "body": "<p>Ja.</p>"}}
    )
    at = (env.clock.now + timedelta(seconds=5)).isoformat()
    await env.write(PUBLISH, {"id": made["article"]["id"], "at": at})
    listed = await warm(env, LIST)
    assert "Kjem om fem sekund" not in listed.text
    max_age = int(re.search(r"max-age=(\d+)", listed.headers["cache-control"])[1])  # type: ignore[index]
    assert max_age <= 5  # a CDN does not keep it past the publication either
    env.clock.advance(seconds=6)
    assert "Kjem om fem sekund" in (await env.read(LIST)).text


async def test_relative_dates_do_not_freeze(env: Env) -> None:
    made = await env.published("Nett no")
    query = """query($slug: String!) { article(slug: $slug, locale: "nn") {
      published(format: RELATIVE) } }"""
    first = await env.read(query, {"slug": made["slug"]})
    assert hit(await env.read(query, {"slug": made["slug"]}))
    env.clock.advance(minutes=3)
    later = await env.read(query, {"slug": made["slug"]})
    assert later.json() != first.json()  # "for 0 sekund sidan" is now minutes ago
    assert not hit(later)


async def test_errors_are_never_kept_nor_public(env: Env) -> None:
    for _ in range(2):
        response = await env.read("{ article(slug: 5) { nope } }")
        assert response.json()["errors"] and not hit(response)
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers


async def test_a_new_etag_after_a_publication(env: Env) -> None:
    first = await warm(env, LIST)
    revalidated = await env.read(LIST, **{"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304
    await env.published("Nytt frå Myken")
    changed = await env.read(LIST, **{"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert "Nytt frå Myken" in changed.text


async def test_persisted_queries_round_trip(env: Env) -> None:
    query = '{ articles(locale: "nn", first: 2) { edges { node { title } } } }'
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = orjson.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}}).decode()
    unknown = await env.client.get("/graphql", params={"extensions": extensions})  # Accept: */*
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    both = await env.client.get("/graphql", params={"query": query, "extensions": extensions})
    assert both.status_code == 200 and "errors" not in both.json()
    alone = await env.client.get("/graphql", params={"extensions": extensions})
    assert alone.json() == both.json()
    assert hit(alone) or hit(await env.client.get("/graphql", params={"extensions": extensions}))
    wrong = orjson.dumps({"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}).decode()
    mismatch = await env.client.get("/graphql", params={"query": query, "extensions": wrong})
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_the_graphql_response_media_type(env: Env) -> None:
    accept = {"Accept": "application/graphql-response+json"}
    ok = await env.read(LIST, **accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/graphql-response+json")
    broken = await env.read("{ articles { nope } }", **accept)
    assert broken.status_code == 400  # it did not validate: a request error
    plain = await env.read("{ articles { nope } }")
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/json")


async def test_metrics_count_hits_misses_and_invalidations(env: Env) -> None:
    def counters(text: str) -> dict[str, float]:
        return {
            name: float(value)
            for name, value in re.findall(r"^(contentapi_cache_\w+) (\S+)$", text, re.MULTILINE)
        }

    before = counters((await env.client.get("/metrics")).text)
    await warm(env, "{ locales { code } }")
    await env.published("Målt")
    after = counters((await env.client.get("/metrics")).text)
    assert after["contentapi_cache_hits_total"] >= before["contentapi_cache_hits_total"] + 1
    assert after["contentapi_cache_misses_total"] >= before["contentapi_cache_misses_total"] + 1
    assert (
        after["contentapi_cache_invalidations_total"]
        > before["contentapi_cache_invalidations_total"]
    )
