"""Video captions: WebVTT files per locale, uploaded by editors, served as text/vtt."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from contentapi.demo.content import SEED
from contentapi.media import captions
from contentapi.media.models import VideoCaption
from tests.conftest import bearer, error_codes, gql, make_settings, make_tokens, running_app

PAGE = """query($slug: String!, $locale: String!) { article(slug: $slug, locale: $locale) {
  videos { id title captions { locale label url } } } }"""
UPLOAD = """mutation($file: Upload!, $input: VideoCaptionInput!) {
  uploadVideoCaption(file: $file, input: $input) {
    video { id captions { locale label url } } errors { field code message } } }"""
DELETE = """mutation($id: ID!, $locale: String!) {
  deleteVideoCaption(videoId: $id, locale: $locale) {
    video { id captions { locale } } errors { field code message } } }"""
VTT = captions.render([("00:00.500", "00:03.000", "Kystkulturdagen i Træna")])


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def videos(self, locale: str) -> list[dict[str, Any]]:
        body = await gql(self.client, PAGE, {"slug": SEED.slug[locale], "locale": locale})
        assert "errors" not in body, body
        return list(body["data"]["article"]["videos"])

    async def upload(
        self,
        video_id: str,
        locale: str,
        data: bytes,
        role: str | None = "editor",
        language: str = "nb",
    ) -> dict[str, Any]:
        operations = {
            "query": UPLOAD,
            "variables": {"file": None, "input": {"videoId": video_id, "locale": locale}},
        }
        headers = {"X-Contentapi-Upload": "1", "Accept-Language": language}
        if role:
            headers |= bearer(self.tokens[role])
        response = await self.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": '{"0": ["variables.file"]}'},
            files={"0": ("teksting.vtt", data, "text/vtt")},
            headers=headers,
        )
        assert response.status_code == (200 if role else 401), response.text
        return dict(response.json())


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = await make_settings(tmp_path_factory.mktemp("captions"))
    async with running_app(settings, demo=True) as client:
        yield Env(client, await make_tokens())


@pytest.mark.parametrize(
    ("locale", "labels"),
    [("nb", ["Norsk bokmål", "Norsk nynorsk"]), ("nn", ["Norsk nynorsk", "Norsk bokmål"])],
)
async def test_demo_videos_have_captions_in_both_standards(
    env: Env, locale: str, labels: list[str]
) -> None:
    videos = await env.videos(locale)
    assert len(videos) == 4
    for video in videos:
        listed = video["captions"]
        # the reader's locale first, labels in the reader's language
        assert [c["locale"] for c in listed] == [locale, "nb" if locale == "nn" else "nn"]
        assert [c["label"] for c in listed] == labels
        for caption in listed:
            response = await env.client.get(caption["url"])
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/vtt; charset=utf-8"
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            cues = captions.parse(response.content)
            assert cues and cues[0].start > 0
    first = {c["locale"]: c["url"] for c in videos[0]["captions"]}
    text = {loc: (await env.client.get(url)).text for loc, url in first.items()}
    assert "Velkommen til Træna" in text["nb"] and "Velkomen til Træna" in text["nn"]
    assert "Innbyggjarane har vore med frå første dag." in text["nn"]


async def test_an_editor_uploads_replaces_and_deletes_a_caption(env: Env) -> None:
    video = (await env.videos("nb"))[1]
    old = {c["locale"]: c["url"] for c in video["captions"]}
    # an anonymous read, kept by the response cache
    query = {
        "query": PAGE,
        "variables": orjson.dumps({"slug": SEED.slug["nn"], "locale": "nn"}).decode(),
    }
    await env.client.get("/graphql", params=query)
    kept = await env.client.get("/graphql", params=query)
    assert kept.headers.get("x-cache") == "HIT"

    body = await env.upload(video["id"], "nn-NO", VTT)
    payload = body["data"]["uploadVideoCaption"]
    assert payload["errors"] == []
    replaced = {c["locale"]: c["url"] for c in payload["video"]["captions"]}
    assert replaced["nb"] == old["nb"] and replaced["nn"] != old["nn"]
    assert (await env.client.get(replaced["nn"])).content == VTT
    assert await VideoCaption.filter(locale="nn", file=replaced["nn"].split("/media/")[1]).count()
    # no stale answer: the write moved the content version
    for _ in range(50):
        fresh = await env.client.get("/graphql", params=query)
        urls = [c["url"] for c in fresh.json()["data"]["article"]["videos"][1]["captions"]]
        if replaced["nn"] in urls:
            break
        await asyncio.sleep(0.05)
    assert replaced["nn"] in urls

    body = await gql(
        env.client,
        DELETE,
        {"id": video["id"], "locale": "nn"},
        headers=bearer(env.tokens["editor"]),
    )
    assert body["data"]["deleteVideoCaption"]["errors"] == []
    assert body["data"]["deleteVideoCaption"]["video"]["captions"] == [{"locale": "nb"}]
    again = await gql(
        env.client,
        DELETE,
        {"id": video["id"], "locale": "nn"},
        headers={**bearer(env.tokens["editor"]), "Accept-Language": "nn"},
    )
    error = again["data"]["deleteVideoCaption"]["errors"][0]
    assert error["code"] == "NOT_FOUND" and error["field"] == "locale"
    assert "tekstinga" in error["message"]
    body = await env.upload(video["id"], "nn", VTT)  # back again
    assert body["data"]["uploadVideoCaption"]["errors"] == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", "UNSUPPORTED_MEDIA"),
        (b"WEBVTT\n\n00:02.000 --> 00:01.000\nbaklengs\n", "UNSUPPORTED_MEDIA"),
        (b"GIF89a\x01\x00\x01\x00", "UNSUPPORTED_MEDIA"),
        (b"WEBVTT\n\n" + b"00:01.000 --> 00:02.000\n" + b"x" * 1_100_000 + b"\n", "FILE_TOO_LARGE"),
    ],
)
async def test_files_that_are_not_webvtt_are_refused(env: Env, data: bytes, code: str) -> None:
    video = (await env.videos("nb"))[0]
    before = await VideoCaption.filter(locale="nb").values_list("file", flat=True)
    body = await env.upload(video["id"], "nb", data, language="nn")
    payload = body["data"]["uploadVideoCaption"]
    assert payload["video"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", code)]
    assert await VideoCaption.filter(locale="nb").values_list("file", flat=True) == before


async def test_only_editors_upload_and_ids_must_name_videos(env: Env) -> None:
    video = (await env.videos("nb"))[0]
    anonymous = await env.upload(video["id"], "nb", VTT, role=None)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    body = await gql(
        env.client,
        "query($slug: String!) { article(slug: $slug) { leadImage { id } } }",
        {"slug": SEED.slug["nb"]},
    )
    image = body["data"]["article"]["leadImage"]["id"]
    wrong = await env.upload(image, "nb", VTT)
    assert wrong["data"]["uploadVideoCaption"]["errors"][0]["code"] == "BAD_REQUEST"
    unknown = await env.upload(video["id"], "xx", VTT)
    codes = [e["code"] for e in unknown["data"]["uploadVideoCaption"]["errors"]]
    assert codes == ["UNKNOWN_LOCALE"]
