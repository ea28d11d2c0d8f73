"""The language of error messages, as a reader or an editor gets them (issue 14, item 4):
typed codes, field and thing names in the locale, Babel numbers and sizes, the tag limit,
and the developer codes in nb and nn with the English detail kept for developers."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image

from contentapi.errors import ErrorCode
from contentapi.graphql.relay import to_global_id
from contentapi.translation import apertium
from tests.conftest import bearer, gql, make_settings, make_tokens, running_app

NBSP = "\u00a0"
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  article { id } errors { field code message } } }"""
PUBLISH = """mutation($id: ID!, $locale: String!) { publishArticle(id: $id, locale: $locale) {
  article { id } errors { field code message detail } } }"""
UPLOAD = """mutation($file: Upload!, $input: ImageInput!) {
  uploadImage(file: $file, input: $input) { image { id } errors { field code message } } }"""
PRETRANSLATE = """mutation($id: ID!) { pretranslateArticle(id: $id, from: "nb", to: "nn") {
  errors { code message detail } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]

    async def call(self, query: str, variables: dict[str, Any], lang: str = "nb") -> Any:
        headers = bearer(self.tokens["editor"], **{"Accept-Language": lang})
        return await gql(self.client, query, variables, headers=headers)

    async def create(self, **input_: Any) -> Any:
        return await self.call(CREATE, {"input": {"locale": "nb", **input_}})

    async def upload(self, data: bytes, lang: str) -> Any:
        operations = {
            "query": UPLOAD,
            "variables": {
                "file": None,
                "input": {"credit": "Foto: Difi", "texts": [{"locale": "nb", "alt": "Scena"}]},
            },
        }
        response = await self.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("foto.png", data, "image/png")},
            headers=bearer(
                self.tokens["editor"], **{"X-Contentapi-Upload": "1", "Accept-Language": lang}
            ),
        )
        assert response.status_code == 200, response.text
        return response.json()["data"]["uploadImage"]["errors"]


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = await make_settings(tmp_path_factory.mktemp("language"))  # default limits
    async with running_app(settings) as client:
        yield Env(client, await make_tokens())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


async def test_user_error_code_is_the_error_code_enum(env: Env) -> None:
    body = await gql(
        env.client,
        """{ userError: __type(name: "UserError") { fields { name type { kind name
               ofType { kind name } } } }
             errorCode: __type(name: "ErrorCode") { kind description enumValues { name } } }""",
    )
    code = next(f for f in body["data"]["userError"]["fields"] if f["name"] == "code")
    assert code["type"] == {
        "kind": "NON_NULL",
        "name": None,
        "ofType": {"kind": "ENUM", "name": "ErrorCode"},
    }
    enum = body["data"]["errorCode"]
    assert enum["kind"] == "ENUM" and enum["description"]
    assert {v["name"] for v in enum["enumValues"]} == {c.value for c in ErrorCode}
    # the values on the wire are the same strings as before
    tags = await env.create(title="Emne", body="<p>x</p>", tags=[f"t{i}" for i in range(51)])
    assert tags["data"]["createArticle"]["errors"][0]["code"] == "TOO_MANY_TAGS"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", "En publisert artikkel må ha brødtekst."),
        ("nn", "Ein publisert artikkel må ha brødtekst."),
    ],
)
async def test_missing_content_names_the_field_in_the_readers_language(
    env: Env, lang: str, expected: str
) -> None:
    created = await env.create(title="Tom", body="<script>berre skript</script>")
    article_id = created["data"]["createArticle"]["article"]["id"]
    body = await env.call(PUBLISH, {"id": article_id, "locale": "nb"}, lang)
    error = body["data"]["publishArticle"]["errors"][0]
    assert (error["code"], error["field"]) == ("MISSING_CONTENT", "body")
    assert error["message"] == expected and error["detail"] is None


async def test_not_found_names_what_was_not_found(env: Env) -> None:
    missing = to_global_id("Article", 999_999)
    for lang, expected in (("nb", "Fant ikke artikkelen."), ("nn", "Fann ikkje artikkelen.")):
        body = await env.call(PUBLISH, {"id": missing, "locale": "nb"}, lang)
        assert body["data"]["publishArticle"]["errors"][0]["message"] == expected
    created = await env.create(title="Berre bokmål", body="<p>x</p>")
    article_id = created["data"]["createArticle"]["article"]["id"]
    for lang, expected in (("nb", "Fant ikke oversettelsen."), ("nn", "Fann ikkje omsetjinga.")):
        body = await env.call(PUBLISH, {"id": article_id, "locale": "nn"}, lang)
        error = body["data"]["publishArticle"]["errors"][0]
        assert (error["code"], error["message"]) == ("NOT_FOUND", expected)
    unknown = await env.create(title="Emne", body="<p>x</p>", tags=["finst-ikkje"])
    assert unknown["data"]["createArticle"]["errors"][0]["message"] == (
        "Disse emnene finnes ikke: finst-ikkje."
    )


async def test_too_many_tags_has_its_own_code_and_message(env: Env) -> None:
    tags = [f"t{i}" for i in range(51)]
    for lang, expected in (
        ("nb", "For mange emner (høyst 50)."),
        ("nn", "For mange emne (høgst 50)."),
    ):
        body = await env.call(
            CREATE, {"input": {"locale": "nb", "title": "Emne", "body": "x", "tags": tags}}, lang
        )
        error = body["data"]["createArticle"]["errors"][0]
        assert (error["code"], error["field"], error["message"]) == (
            "TOO_MANY_TAGS",
            "tags",
            expected,
        )


async def test_numbers_and_sizes_are_written_for_the_locale(env: Env) -> None:
    bomb = png_header_only(30_000, 30_000)
    for lang, expected in (
        ("nb", f"Bildet har for mange piksler (høyst 60{NBSP}000{NBSP}000)."),
        ("nn", f"Biletet har for mange pikslar (høgst 60{NBSP}000{NBSP}000)."),
    ):
        errors = await env.upload(bomb, lang)
        assert (errors[0]["code"], errors[0]["message"]) == ("IMAGE_TOO_LARGE", expected)
    # over the 20_000_000 bytes of upload_max_bytes, under the body limit above it
    picture = io.BytesIO()
    Image.new("RGB", (10, 10)).save(picture, format="PNG")
    big = picture.getvalue() + b"\0" * 20_010_000
    for lang, expected in (
        ("nb", f"Filen er for stor (høyst 20{NBSP}MB)."),
        ("nn", f"Fila er for stor (høgst 20{NBSP}MB)."),
    ):
        errors = await env.upload(big, lang)
        assert (errors[0]["code"], errors[0]["message"]) == ("FILE_TOO_LARGE", expected)


async def test_developer_codes_speak_the_readers_language_and_keep_the_detail(env: Env) -> None:
    nn = {"Accept-Language": "nn"}
    unknown = await gql(env.client, '{ articles(locale: "sv") { totalCount } }', headers=nn)
    error = unknown["errors"][0]
    assert error["extensions"]["code"] == "UNKNOWN_LOCALE"
    assert error["message"] == "Dette språket finst ikkje her. Bruk nb eller nn."
    assert "Unknown locale 'sv'" in error["extensions"]["detail"]
    assert error["extensions"]["supportedLocales"] == ["nb", "nn"]
    response = await env.client.post("/graphql", json={"query": "{ articles {"}, headers=nn)
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "Førespurnaden er ugyldig og kan ikkje utførast."
    assert "Syntax Error" in error["extensions"]["detail"]
    typo = await env.client.post("/graphql", json={"query": "{ artikles { id } }"})
    error = typo.json()["errors"][0]
    assert error["message"] == "Forespørselen er ugyldig og kan ikke utføres."  # the default, nb
    assert "artikles" in error["extensions"]["detail"]


async def test_unavailable_machine_translation_in_nynorsk(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    created = await env.create(title="Til nynorsk", body="<p>Vi skal utvikle tjenester.</p>")
    article_id = created["data"]["createArticle"]["article"]["id"]
    body = await env.call(PRETRANSLATE, {"id": article_id}, "nn")
    error = body["data"]["pretranslateArticle"]["errors"][0]
    assert error["code"] == "UNAVAILABLE"
    assert error["message"] == "Tenesta er ikkje tilgjengeleg akkurat no. Prøv igjen seinare."
    assert "apertium-nno-nob" in error["detail"]


HAS_E_MODE = shutil.which("apertium") is not None and any(
    (folder / "nob-nno_e.mode").exists() for folder in apertium.MODE_DIRS
)


@pytest.mark.skipif(not HAS_E_MODE, reason="apertium-nno-nob is not installed (.ci/run installs)")
async def test_machine_nynorsk_uses_the_e_infinitive() -> None:
    # the a-infinitive mode (nob-nno) gives "Me skal utvikla ... anerkjenna"
    text = await apertium.translate(
        "Vi skal utvikle nye tjenester og anerkjenne arbeidet.", "nb", "nn"
    )
    assert "utvikle" in text and "anerkjenne" in text, text
    assert "utvikla" not in text and "anerkjenna" not in text, text
    html = await apertium.translate(
        "<p>Det er viktig å <b>styrke</b> tilbudet.</p>", "nb", "nn", html=True
    )
    assert "å <b>styrkje</b>" in html, html
