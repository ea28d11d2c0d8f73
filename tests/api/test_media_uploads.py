"""Media: uploads (multipart), decoding by content, storage, renditions, texts, videos."""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image

from contentapi.media.models import Image as ImageRow
from tests.conftest import bearer, error_codes, gql, make_settings, make_tokens, running_app

UPLOAD = """mutation($file: Upload!, $input: ImageInput!) {
  uploadImage(file: $file, input: $input) {
  image { id url width height credit alt caption locale focalPoint { x y } }
  errors { field code message } } }"""
VIDEO = """mutation($input: VideoInput!) { createVideo(input: $input) {
  video { id url embedUrl title credit durationSeconds } errors { field code message } } }"""


def jpeg(width: int, height: int, exif_orientation: int | None = None, gps: bool = False) -> bytes:
    picture = Image.new("RGB", (width, height), (30, 90, 160))
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (59.0, 54.0, 0.0)}  # GPSInfo: somewhere in Oslo
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def upload(
        self,
        data: bytes,
        name: str = "foto.jpg",
        role: str | None = "editor",
        csrf: bool = True,
        **input_: Any,
    ) -> httpx.Response:
        operations = {
            "query": UPLOAD,
            "variables": {
                "file": None,
                "input": {
                    "credit": "Foto: Difi",
                    "texts": [{"locale": "nb", "alt": "Prisvinnarane på scena"}],
                    **input_,
                },
            },
        }
        headers = bearer(self.tokens[role]) if role else {}
        if csrf:
            headers["X-Contentapi-Upload"] = "1"
        return await self.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": (name, data, "image/jpeg")},
            headers=headers,
        )

    async def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await gql(self.client, query, variables, headers=bearer(self.tokens["editor"]))


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = (await make_settings(tmp_path_factory.mktemp("media"))).with_changes(
        upload_max_bytes=3_000_000
    )
    async with running_app(settings) as client:
        yield Env(client, await make_tokens())


def payload(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json()["data"]["uploadImage"])


async def test_a_camera_photo_is_cleaned_stored_and_resized(env: Env) -> None:
    photo = jpeg(1600, 1200, exif_orientation=6, gps=True)  # stored rotated, as cameras do
    result = payload(await env.upload(photo, focalPoint={"x": 0.4, "y": 0.3}))
    assert result["errors"] == []
    image = result["image"]
    assert (image["width"], image["height"]) == (1200, 1600)  # orientation applied
    assert image["credit"] == "Foto: Difi" and image["alt"] == "Prisvinnarane på scena"
    assert image["focalPoint"] == {"x": 0.4, "y": 0.3}
    stored = await env.client.get(image["url"])
    assert stored.status_code == 200 and stored.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(stored.content)) as served:
        assert dict(served.getexif()) == {}  # no GPS, no EXIF at all
    resized = await gql(
        env.client,
        """query($id: ID!) { node(id: $id) { ... on Image {
      url(width: 640) } } }""",
        {"id": image["id"]},
    )
    assert resized["data"]["node"] is None  # not public until a published article uses it
    row = await ImageRow.get(file=image["url"].split("/media/")[1])
    assert row.focal_x == 0.4 and "/" in row.file and len(row.file.split("/")[1]) == 64 + 4


async def test_the_same_photo_twice_is_one_file(env: Env) -> None:
    photo = jpeg(800, 600)
    first = payload(await env.upload(photo, name="a.jpg"))["image"]
    second = payload(await env.upload(photo, name="b.jpg"))["image"]
    assert first["id"] != second["id"] and first["url"] == second["url"]


async def test_names_never_matter(env: Env) -> None:
    result = payload(await env.upload(jpeg(300, 200), name="../../etc/passwd"))
    assert result["errors"] == [] and "etc" not in result["image"]["url"]
    text = payload(await env.upload(b"Dette er ikkje eit bilete.\n" * 10, name="foto.jpg"))
    assert text["errors"][0]["code"] == "UNSUPPORTED_MEDIA"
    truncated = jpeg(1000, 800)[:3000]
    assert payload(await env.upload(truncated))["errors"][0]["code"] == "UNSUPPORTED_MEDIA"
    bomb = payload(await env.upload(png_header_only(30_000, 30_000), name="bomb.png"))
    assert bomb["errors"][0]["code"] == "IMAGE_TOO_LARGE"


async def test_limits_token_and_csrf_header(env: Env) -> None:
    big = jpeg(100, 100) + b"\0" * 3_200_000  # over the 3 MB set for this module
    response = await env.upload(big)
    assert response.status_code == 413
    assert error_codes(response.json()) == ["FILE_TOO_LARGE"]
    anonymous = await env.upload(jpeg(100, 100), role=None)
    assert error_codes(anonymous.json()) == ["UNAUTHENTICATED"]
    forged = await env.upload(jpeg(100, 100), csrf=False)
    assert forged.status_code == 400 and error_codes(forged.json()) == ["BAD_REQUEST"]
    assert "X-Contentapi-Upload" in forged.json()["errors"][0]["message"]


async def test_videos_from_known_places(env: Env) -> None:
    texts = [{"locale": "nb", "title": "Filmklipp"}, {"locale": "nn", "title": "Filmklipp"}]
    cases = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://vimeo.com/76979871": "https://player.vimeo.com/video/76979871",
        "https://media.example.org/klipp/traena.mp4": None,
    }
    for url, embed in cases.items():
        body = await env.call(
            VIDEO,
            {"input": {"url": url, "texts": texts, "credit": "Video: KMD", "durationSeconds": 120}},
        )
        video = body["data"]["createVideo"]["video"]
        assert video["embedUrl"] == embed, url
    for url, code in (
        ("javascript:alert(1)", "INVALID_URL"),
        ("https://example.org/side", "UNSUPPORTED_MEDIA"),
        ("ftp://example.org/a.mp4", "INVALID_URL"),
    ):
        body = await env.call(VIDEO, {"input": {"url": url, "texts": texts}})
        assert body["data"]["createVideo"]["errors"][0]["code"] == code, url


async def test_alt_text_is_needed_to_publish_and_media_in_use_stays(env: Env) -> None:
    image = payload(await env.upload(jpeg(640, 480)))["image"]  # alt text in nb only
    created = await env.call(
        """mutation { createArticle(input: {locale: "nn", title: "Med bilete",
      body: "<p>Tekst</p>"}) { article { id } } }""",
        {},
    )
    article_id = created["data"]["createArticle"]["article"]["id"]
    await env.call(
        """mutation($a: ID!, $m: ID!) { attachMedia(articleId: $a, mediaId: $m,
      role: LEAD) { errors { code } } }""",
        {"a": article_id, "m": image["id"]},
    )
    publish = """mutation($id: ID!) { publishArticle(id: $id, locale: "nn") {
      errors { field code message } } }"""
    refused = (await env.call(publish, {"id": article_id}))["data"]["publishArticle"]["errors"]
    assert refused[0]["code"] == "MISSING_ALT_TEXT" and refused[0]["field"] == "images"
    updated = await env.call(
        """mutation($id: ID!) { updateMedia(input: {id: $id,
      imageTexts: [{locale: "nn", alt: "Prisvinnarane på scena", caption: "Frå utdelinga"}],
      credit: "Foto: KMD"}) { image { credit } errors { code } } }""",
        {"id": image["id"]},
    )
    assert updated["data"]["updateMedia"]["image"]["credit"] == "Foto: KMD"
    assert (await env.call(publish, {"id": article_id}))["data"]["publishArticle"]["errors"] == []
    shown = await gql(
        env.client,
        """query($id: ID!) { article(id: $id, locale: "nn") {
      leadImage { alt caption locale url(width: 320) } } }""",
        {"id": article_id},
    )
    lead = shown["data"]["article"]["leadImage"]
    assert lead["alt"] == "Prisvinnarane på scena" and lead["locale"] == "nn"
    rendition = await env.client.get(lead["url"])
    assert rendition.status_code == 200
    assert Image.open(io.BytesIO(rendition.content)).size == (320, 240)
    delete = """mutation($id: ID!) { deleteMedia(id: $id) { errors { code message } } }"""
    in_use = (await env.call(delete, {"id": image["id"]}))["data"]["deleteMedia"]["errors"]
    assert in_use[0]["code"] == "IN_USE"
    spare = payload(await env.upload(jpeg(200, 200)))["image"]
    assert (await env.call(delete, {"id": spare["id"]}))["data"]["deleteMedia"]["errors"] == []
    gone = (await env.call(delete, {"id": spare["id"]}))["data"]["deleteMedia"]["errors"]
    assert gone[0]["code"] == "NOT_FOUND"


def gif(frames: int, size: int) -> bytes:
    pictures = [Image.new("P", (size, size), i % 255) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, format="GIF", save_all=True, append_images=pictures[1:])
    return out.getvalue()


async def test_animations_count_every_frame_and_camera_mpo_is_jpeg(env: Env) -> None:
    many = payload(await env.upload(gif(20, 2000), name="anim.gif"))  # 80 million pixels
    assert many["errors"][0]["code"] == "IMAGE_TOO_LARGE"
    few = payload(await env.upload(gif(3, 200), name="anim.gif"))
    assert few["errors"] == [] and few["image"]["url"].endswith(".gif")
    first, second = Image.new("RGB", (640, 480), "red"), Image.new("RGB", (640, 480), "blue")
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    mpo = payload(await env.upload(out.getvalue(), name="kamera.jpg"))
    assert mpo["errors"] == [] and mpo["image"]["url"].endswith(".jpg")


async def test_media_texts_are_checked(env: Env) -> None:
    long_title = [{"locale": "nb", "title": "x" * 301}]
    body = await env.call(
        VIDEO, {"input": {"url": "https://youtu.be/dQw4w9WgXcQ", "texts": long_title}}
    )
    assert body["data"]["createVideo"]["errors"][0]["code"] == "TOO_LONG"
    twice = [{"locale": "nb", "title": "A"}, {"locale": "nb-NO", "title": "B"}]
    body = await env.call(VIDEO, {"input": {"url": "https://youtu.be/dQw4w9WgXcQ", "texts": twice}})
    assert body["data"]["createVideo"]["errors"][0]["code"] == "BAD_REQUEST"


async def test_malformed_multipart_is_a_bad_request(env: Env) -> None:
    operations = {"query": UPLOAD, "variables": {"file": None, "input": {"texts": []}}}
    for mapping in ('{"0": ["variables.input.texts.5.alt"]}', '["x"]', '{"0": ["nowhere.x"]}'):
        response = await env.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": mapping},
            files={"0": ("a.jpg", jpeg(10, 10), "image/jpeg")},
            headers={**bearer(env.tokens["editor"]), "X-Contentapi-Upload": "1"},
        )
        assert response.status_code == 400, (mapping, response.text)
        assert error_codes(response.json()) == ["BAD_REQUEST"]


async def test_a_file_that_is_not_a_form_part_is_a_bad_request(env: Env) -> None:
    # JSON variables can put any value where the Upload scalar goes (schemathesis does)
    for value in ("not-a-file", 7, {"name": "a.jpg"}):
        body = await env.call(UPLOAD, {"file": value, "input": {"texts": []}})
        assert body["data"]["uploadImage"]["errors"][0]["code"] == "BAD_REQUEST", value
        assert body["data"]["uploadImage"]["errors"][0]["field"] == "file"
