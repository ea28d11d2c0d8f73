"""Idempotent creates: a retried create with the same idempotencyKey makes nothing new."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image as Picture

from contentapi.articles.models import ArticleTranslation
from contentapi.comments.models import Comment
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from contentapi.idempotency.models import IdempotencyKey
from contentapi.media.models import Image, Video
from tests.conftest import FakeClock, bearer, gql, make_settings, make_tokens, running_app

CREATE = """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
  article { id title } errors { field code message } } }"""
POST = """mutation($i: PostCommentInput!) { postComment(input: $i) {
  comment { id } errors { field code } } }"""
VIDEO = """mutation($i: VideoInput!) { createVideo(input: $i) {
  video { id } errors { field code } } }"""
UPLOAD = """mutation($file: Upload!, $input: ImageInput!) { uploadImage(file: $file,
  input: $input) { image { id } errors { field code } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    clock: FakeClock
    article: str

    async def call(
        self, query: str, variables: dict[str, Any], role: str | None = "editor"
    ) -> dict[str, Any]:
        headers = bearer(self.tokens[role]) if role else None
        return await gql(self.client, query, variables, headers=headers)

    async def create(self, key: str, title: str, role: str = "editor") -> dict[str, Any]:
        variables = {
            "i": {"locale": "nb", "title": title, "body": "<p>x</p>", "idempotencyKey": key}
        }
        return dict((await self.call(CREATE, variables, role))["data"]["createArticle"])


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    clock = FakeClock()
    settings = await make_settings(
        tmp_path_factory.mktemp("idempotency"), comment_rate_limit="1000/minute"
    )
    async with running_app(settings, clock=clock) as client:
        await load_demo(settings)
        body = await gql(
            client,
            'query($s: String!) { article(slug: $s, locale: "nb") { id } }',
            {"s": SEED.slug["nb"]},
        )
        yield Env(client, await make_tokens(), clock, body["data"]["article"]["id"])


async def test_a_retried_create_returns_the_first_article(env: Env) -> None:
    first = await env.create("3f1c-0001", "Ein gong")
    again = await env.create("3f1c-0001", "Ein gong")
    assert first["errors"] == [] and again["errors"] == []
    assert again["article"]["id"] == first["article"]["id"]
    assert await ArticleTranslation.filter(title="Ein gong").count() == 1
    # without a key, or with another one, each create makes an article
    await env.create("3f1c-0002", "Ein gong")
    assert await ArticleTranslation.filter(title="Ein gong").count() == 2


async def test_the_same_key_with_other_input_is_a_conflict(env: Env) -> None:
    await env.create("3f1c-0003", "Første")
    other = await env.create("3f1c-0003", "Andre")
    assert other["article"] is None
    assert [(e["field"], e["code"]) for e in other["errors"]] == [("idempotencyKey", "CONFLICT")]
    assert not await ArticleTranslation.exists(title="Andre")


async def test_keys_belong_to_their_caller(env: Env) -> None:
    mine = await env.create("3f1c-0004", "Kven sin nøkkel", role="editor")
    theirs = await env.create("3f1c-0004", "Kven sin nøkkel", role="admin")
    assert theirs["errors"] == []
    assert theirs["article"]["id"] != mine["article"]["id"]


async def test_a_refused_create_keeps_no_key(env: Env) -> None:
    refused = await env.create("3f1c-0005", "")
    assert [e["code"] for e in refused["errors"]] == ["REQUIRED"]
    fixed = await env.create("3f1c-0005", "Retta")
    assert fixed["errors"] == [] and fixed["article"]["title"] == "Retta"


async def test_the_same_key_at_once_creates_one_article(env: Env) -> None:
    results = await asyncio.gather(*(env.create("3f1c-0006", "Samtidig") for _ in range(4)))
    assert all(r["errors"] == [] for r in results), results
    assert len({r["article"]["id"] for r in results}) == 1
    assert await ArticleTranslation.filter(title="Samtidig").count() == 1


async def test_keys_expire_after_a_day(env: Env) -> None:
    first = await env.create("3f1c-0007", "I går")
    env.clock.advance(hours=24, seconds=1)
    later = await env.create("3f1c-0007", "I går")
    assert later["article"]["id"] != first["article"]["id"]
    # the expired key was cleared when the new one was stored: one row per key
    assert await IdempotencyKey.filter(key="3f1c-0007").count() == 1


async def test_a_retried_comment_is_not_a_duplicate(env: Env) -> None:
    comment = {
        "articleId": env.article,
        "authorName": "Kari",
        "email": "kari@example.org",
        "body": "Sendt to gonger?",
        "idempotencyKey": "c0ffee",
    }
    first = (await env.call(POST, {"i": comment}, role=None))["data"]["postComment"]
    again = (await env.call(POST, {"i": comment}, role=None))["data"]["postComment"]
    assert first["errors"] == [] and again["errors"] == []  # not DUPLICATE
    assert again["comment"]["id"] == first["comment"]["id"]
    assert await Comment.filter(body="Sendt to gonger?").count() == 1
    # without the key the same text again is still DUPLICATE
    plain = {k: v for k, v in comment.items() if k != "idempotencyKey"}
    body = (await env.call(POST, {"i": plain}, role=None))["data"]["postComment"]
    assert [e["code"] for e in body["errors"]] == ["DUPLICATE"]


async def test_videos_and_uploads_are_made_once(env: Env) -> None:
    video = {
        "url": "https://vimeo.com/76979871",
        "texts": [{"locale": "nb", "title": "Klipp"}],
        "idempotencyKey": "v-1",
    }
    made = [(await env.call(VIDEO, {"i": video}))["data"]["createVideo"] for _ in range(2)]
    assert made[0]["errors"] == [] and made[0]["video"]["id"] == made[1]["video"]["id"]
    assert await Video.filter(url="https://vimeo.com/76979871").count() == 1

    out = io.BytesIO()
    Picture.new("RGB", (40, 30), (10, 120, 60)).save(out, format="PNG")
    images_before = await Image.all().count()
    ids = []
    for _ in range(2):
        operations = {
            "query": UPLOAD,
            "variables": {
                "file": None,
                "input": {"texts": [{"locale": "nb", "alt": "Grønt"}], "idempotencyKey": "i-1"},
            },
        }
        response = await env.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": '{"0": ["variables.file"]}'},
            files={"0": ("a.png", out.getvalue(), "image/png")},
            headers={**bearer(env.tokens["editor"]), "X-Contentapi-Upload": "1"},
        )
        payload = response.json()["data"]["uploadImage"]
        assert payload["errors"] == [], payload
        ids.append(payload["image"]["id"])
    assert ids[0] == ids[1]
    assert await Image.all().count() == images_before + 1
