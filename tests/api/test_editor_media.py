"""The media library for editors: ``media(first, after, locale, filter)``, newest first.

The library is seeded through the models (to fix the moments and ids it orders by) and
through the API (articles that use media, one of them deleted).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contentapi.graphql.relay import encode_cursor, from_global_id, to_global_id
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation
from tests.conftest import (
    TEST_DATABASE_URL,
    QueryCounter,
    bearer,
    error_codes,
    gql,
    make_settings,
    make_tokens,
    postgres_database_url,
    running_app,
)

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
BULK = 30  # older images and videos (each video's thumbnail one of the images)

MEDIA = """query($first: Int, $after: String, $locale: String, $filter: MediaFilter) {
  media(first: $first, after: $after, locale: $locale, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { __typename
      ... on Image { id alt caption credit locale isFallback url }
      ... on Video { id title caption credit locale isFallback
                     thumbnail { id alt locale } } } } } }"""

# the five newest in the list's order: at the same moment and id, the video comes first
NEWEST = ["Video:4", "Video:3", "Image:3", "Image:2", "Image:1"]
BULK_NAMES = [f"{kind}:{100 + n}" for n in range(BULK) for kind in ("Video", "Image")]


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def media(self, role: str = "editor", **variables: Any) -> dict[str, Any]:
        body = await gql(self.client, MEDIA, variables, headers=bearer(self.tokens[role]))
        assert "errors" not in body, body
        return dict(body["data"]["media"])

    async def names(self, page_size: int = 100, **variables: Any) -> list[str]:
        """Every medium of a list, on all its pages (following the cursors), as "Image:3"."""
        found: list[str] = []
        after = None
        while True:
            page = await self.media(first=page_size, after=after, **variables)
            found += [name(edge["node"]) for edge in page["edges"]]
            assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    async def errors(self, role: str | None = "editor", **variables: Any) -> list[str]:
        headers = bearer(self.tokens[role]) if role else None
        return error_codes(await gql(self.client, MEDIA, variables, headers=headers))

    async def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = await gql(self.client, query, variables, headers=bearer(self.tokens["editor"]))
        assert "errors" not in body, body
        data = next(iter(body["data"].values()))
        assert data["errors"] == [], data
        return dict(data)


def name(node: dict[str, Any]) -> str:
    """ "Image:3" for the image with primary key 3."""
    type_name, pk = from_global_id(node["id"])
    assert type_name == node["__typename"]
    return f"{type_name}:{pk}"


def global_id(readable: str, locale: str | None = None) -> str:
    """The id of "Image:3" (as resolved for ``locale``: ids name the locale they were for)."""
    type_name, pk = readable.split(":")
    return to_global_id(type_name, int(pk), locale)


async def seed(env: Env) -> None:
    """Five media at fixed moments, BULK older images and videos, two articles."""
    await Image.create(
        id=1, file="a.jpg", width=800, height=600, credit="Foto: Øystein Ås", created_at=T0
    )
    await ImageTranslation.create(
        image_id=1, locale="nb", alt="Prisvinnarane på scena", caption="Juryen var 50 % enig."
    )
    await ImageTranslation.create(image_id=1, locale="nn", alt="", caption=None)  # empty alt
    await Image.create(
        id=2, file="b.jpg", width=800, height=600, credit="Foto: Difi", created_at=T0 + H
    )
    await ImageTranslation.create(image_id=2, locale="nb", alt="Rådhuset i Ålesund")
    await Image.create(id=3, file="c.jpg", width=800, height=600, created_at=T0 + 2 * H)
    for locale in ("nb", "nn"):
        await ImageTranslation.create(image_id=3, locale=locale, alt="Kart over kommunen")
    await Video.create(id=3, url="https://vimeo.com/3", credit="Video: KMD", created_at=T0 + 2 * H)
    await VideoTranslation.create(video_id=3, locale="nb", title="Filmklipp om prisen")
    await Video.create(id=4, url="https://vimeo.com/4", created_at=T0 + 3 * H, thumbnail_id=1)
    await VideoTranslation.create(video_id=4, locale="nb", title="Intervju med ordføreren")
    await VideoTranslation.create(
        video_id=4, locale="nn", title="Intervju med ordføraren", caption="Opptak frå Ålesund"
    )
    for n in range(BULK):
        pk, moment = 100 + n, T0 - timedelta(minutes=n + 1)
        await Image.create(id=pk, file=f"{pk}.jpg", width=10, height=10, created_at=moment)
        await Video.create(id=pk, url=f"https://vimeo.com/{pk}", created_at=moment, thumbnail_id=pk)
        for locale in ("nb", "nn"):
            await ImageTranslation.create(image_id=pk, locale=locale, alt=f"Arkiv {n}")
            await VideoTranslation.create(video_id=pk, locale=locale, title=f"Arkiv {n}")
    # one article uses image 3 and video 4; a deleted one still holds image 2
    for media, deleted in ((("Image:3", "Video:4"), False), (("Image:2",), True)):
        created = await env.call(
            """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
              article { id } errors { code } } }""",
            {"i": {"locale": "nb", "title": "Om prisen", "body": "<p>Tekst.</p>"}},
        )
        article_id = created["article"]["id"]
        for medium in media:
            await env.call(
                """mutation($a: ID!, $m: ID!) { attachMedia(articleId: $a, mediaId: $m,
                  role: GALLERY) { errors { code } } }""",
                {"a": article_id, "m": global_id(medium)},
            )
        if deleted:
            await env.call(
                "mutation($a: ID!) { deleteArticle(id: $a) { errors { code } } }",
                {"a": article_id},
            )


@asynccontextmanager
async def seeded_app(folder: Path, **settings: Any) -> AsyncIterator[Env]:
    async with running_app(await make_settings(folder, **settings)) as client:
        env = Env(client, await make_tokens())
        await seed(env)
        yield env


@pytest.fixture(scope="module", params=["suite", "postgresql"])
async def env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    """The seeded library on the suite's database, then on PostgreSQL (the search and the
    order are written per database)."""
    settings: dict[str, Any] = {}
    if request.param == "postgresql":
        if TEST_DATABASE_URL:
            pytest.skip("the suite runs on PostgreSQL already")
        settings["database_url"] = await postgres_database_url()
    async with seeded_app(tmp_path_factory.mktemp("editor-media"), **settings) as found:
        yield found


async def test_only_token_holders_see_the_library(env: Env) -> None:
    body = await gql(env.client, MEDIA)
    assert error_codes(body) == ["UNAUTHENTICATED"] and body["data"] == {"media": None}
    assert await env.errors(role="moderator") == ["FORBIDDEN"]
    for role in ("translator", "editor", "admin"):
        assert (await env.media(role=role, first=1))["totalCount"] == 5 + 2 * BULK


async def test_newest_first_over_both_kinds_on_every_page(env: Env) -> None:
    first = await env.media(first=5)
    assert [name(e["node"]) for e in first["edges"]] == NEWEST
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    assert first["totalCount"] == 5 + 2 * BULK
    everything = NEWEST + BULK_NAMES
    # small pages cut between the video and the image that share moment and id
    for size in (1, 2, 7):
        assert await env.names(page_size=size) == everything
    last = await env.media(first=3, after=first["edges"][-1]["cursor"])
    assert [name(e["node"]) for e in last["edges"]] == BULK_NAMES[:3]
    assert last["pageInfo"]["hasPreviousPage"] and last["pageInfo"]["hasNextPage"]
    none = await env.media(first=0)
    assert none["edges"] == [] and none["pageInfo"]["hasNextPage"] is False


async def test_texts_follow_the_locale_chain(env: Env) -> None:
    nodes = {name(e["node"]): e["node"] for e in (await env.media(first=5, locale="nn"))["edges"]}
    assert nodes["Image:2"]["alt"] == "Rådhuset i Ålesund"  # only in nb: the fallback
    assert (nodes["Image:2"]["locale"], nodes["Image:2"]["isFallback"]) == ("nb", True)
    assert (nodes["Image:3"]["locale"], nodes["Image:3"]["isFallback"]) == ("nn", False)
    video = nodes["Video:4"]
    assert (video["title"], video["caption"], video["locale"]) == (
        "Intervju med ordføraren",
        "Opptak frå Ålesund",
        "nn",
    )
    assert video["thumbnail"]["id"] == global_id("Image:1", "nn")
    assert nodes["Image:1"]["credit"] == "Foto: Øystein Ås"
    assert nodes["Image:1"]["url"].endswith("/media/a.jpg")
    nb = {name(e["node"]): e["node"] for e in (await env.media(first=5, locale="nb-NO"))["edges"]}
    assert nb["Video:4"]["title"] == "Intervju med ordføreren"
    assert nb["Video:4"]["thumbnail"] == {
        "id": global_id("Image:1", "nb"),
        "alt": "Prisvinnarane på scena",
        "locale": "nb",
    }
    assert nb["Video:3"]["credit"] == "Video: KMD"


async def test_filter_by_kind_and_use(env: Env) -> None:
    images = await env.names(filter={"kind": "IMAGE"})
    assert images == ["Image:3", "Image:2", "Image:1", *BULK_NAMES[1::2]]
    videos = await env.names(filter={"kind": "VIDEO"})
    assert videos == ["Video:4", "Video:3", *BULK_NAMES[::2]]
    # image 2 belongs to a deleted article, which can be restored: still in use
    assert await env.names(filter={"unused": False}) == ["Video:4", "Image:3", "Image:2"]
    unused = await env.names(filter={"unused": True})
    assert unused == ["Video:3", "Image:1", *BULK_NAMES]
    assert (await env.media(filter={"unused": True}))["totalCount"] == len(unused)
    assert await env.names(filter={"unused": True, "kind": "IMAGE"}) == [
        "Image:1",
        *BULK_NAMES[1::2],
    ]


async def test_missing_alt_text_in_exactly_one_locale(env: Env) -> None:
    # image 1 has an empty nn alt text, image 2 none; the nb fallback does not count
    assert await env.names(filter={"missingAltIn": "nn"}) == ["Image:2", "Image:1"]
    assert await env.names(filter={"missingAltIn": "nno"}) == ["Image:2", "Image:1"]
    assert (await env.media(filter={"missingAltIn": "NN"}))["totalCount"] == 2
    assert await env.names(filter={"missingAltIn": "nb"}) == []
    assert await env.names(filter={"missingAltIn": "nn", "kind": "VIDEO"}) == []
    assert await env.names(filter={"missingAltIn": "nn", "unused": True}) == ["Image:1"]
    body = await gql(
        env.client,
        MEDIA,
        {"filter": {"missingAltIn": "de"}},
        headers=bearer(env.tokens["editor"]),
    )
    assert error_codes(body) == ["UNKNOWN_LOCALE"]
    assert body["errors"][0]["extensions"]["field"] == "filter.missingAltIn"


async def test_search_credit_and_texts_in_any_locale_whatever_the_case(env: Env) -> None:
    assert await env.names(filter={"search": "øYSTEIN"}) == ["Image:1"]  # the credit
    assert await env.names(filter={"search": "ålesund"}) == ["Video:4", "Image:2"]
    assert await env.names(filter={"search": "ÅLESUND", "kind": "VIDEO"}) == ["Video:4"]
    assert await env.names(filter={"search": "ordføraren"}) == ["Video:4"]  # nn title
    assert await env.names(filter={"search": "ordføreren"}) == ["Video:4"]  # nb title
    assert await env.names(filter={"search": "video: kmd"}) == ["Video:3"]
    assert await env.names(filter={"search": "  kart over "}) == ["Image:3"]
    assert (await env.media(filter={"search": "arkiv 2"}))["totalCount"] == 2 * 11  # 2, 20-29
    # wildcards of LIKE, GLOB and regular expressions are plain characters
    assert await env.names(filter={"search": "50 %"}) == ["Image:1"]
    for text in ("%", "_", "*", "?", "[", "]", ".*", "\\", "^", "(", "$"):
        expected = ["Image:1"] if text == "%" else []
        assert await env.names(filter={"search": text}) == expected, text
    assert await env.names(filter={"search": "ålesund", "unused": False}) == ["Video:4", "Image:2"]


async def test_bad_arguments_are_coded_errors(env: Env) -> None:
    assert await env.errors(first=101) == ["BAD_REQUEST"]
    assert await env.errors(first=-1) == ["BAD_REQUEST"]
    assert await env.errors(after="not-a-cursor") == ["BAD_REQUEST"]
    # a cursor of another list, and a media cursor holding something else
    articles = await gql(env.client, "{ articles(first: 1) { pageInfo { endCursor } } }")
    other = articles["data"]["articles"]["pageInfo"]["endCursor"] or "W10"
    assert await env.errors(after=other) == ["BAD_REQUEST"]
    for values in (
        ["2024-03-01T12:00:00+00:00", 3, "AUDIO"],
        ["2024-03-01T12:00:00", 3, "IMAGE"],  # no zone
        ["2024-03-01T12:00:00+00:00", 2**40, "IMAGE"],
        ["0001-01-01T00:00:00+14:00", 3, "IMAGE"],  # before year 1 in UTC
        ["2024-03-01T12:00:00+00:00", True, "IMAGE"],
    ):
        assert await env.errors(after=encode_cursor("media", values)) == ["BAD_REQUEST"], values
    assert await env.errors(filter={"search": "x" * 201}) == ["TOO_LONG"]
    assert await env.errors(filter={"search": "a\u0000b"}) == ["INVALID_TEXT"]
    assert await env.errors(filter={"missingAltIn": "x" * 36}) == ["TOO_LONG"]
    assert await env.errors(locale="de") == ["UNKNOWN_LOCALE"]


async def test_a_page_costs_the_same_statements_at_any_size(
    env: Env, count_queries: QueryCounter
) -> None:
    async def statements(first: int) -> int:
        count_queries.statements.clear()
        page = await env.media(first=first, locale="nn")
        assert len(page["edges"]) == first
        return len(count_queries.statements)

    small, large = await statements(5), await statements(60)
    assert small == large, count_queries.statements
    # the token, the page, its videos, its images with the thumbnails, image texts,
    # video texts, the count
    assert large <= 7, count_queries.statements


async def test_the_query_cost_counts_the_page_size(env: Env) -> None:
    response = await env.client.post(
        "/graphql",
        json={
            "query": "{ media(first: 100) { edges { node { ... on Image { id } } } } }",
            "extensions": {"cost": True},
        },
        headers=bearer(env.tokens["editor"]),
    )
    assert response.json()["extensions"]["cost"] == 1 + 100 * 2
