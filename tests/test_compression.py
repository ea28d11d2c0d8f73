"""Compressed answers (brotli, gzip) and the cache headers of the vendored GraphiQL files.

httpx decodes gzip and br by itself, so the raw bytes are read with ``client.stream`` and
``aiter_raw``; every request names its ``Accept-Encoding`` (httpx would send its own).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import brotli
import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from contentapi.compression import Compression, negotiate
from contentapi.demo.content import SEED
from contentapi.static_assets import IMMUTABLE_CACHE, SHORT_CACHE, asset_version, versioned_page
from tests.conftest import gql

STATIC = Path(__file__).resolve().parents[1] / "src" / "contentapi" / "static"
BUNDLE = STATIC / "vendor" / "graphiql.min.js"
ARTICLES = """{ articles(locale: "nn", first: 20) {
  totalCount
  pageInfo { hasNextPage endCursor }
  edges { node { title locale requestedLocale isFallback availableLocales } } } }"""
LEAD = """query($slug: String!) { article(slug: $slug, locale: "nb") { leadImage { url } } }"""


async def raw(
    client: httpx.AsyncClient, method: str, url: str, encoding: str, **kwargs: Any
) -> tuple[httpx.Response, bytes]:
    """The answer and its body exactly as sent (not decoded)."""
    headers = {"Accept-Encoding": encoding, **kwargs.pop("headers", {})}
    async with client.stream(method, url, headers=headers, **kwargs) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


def decoded(response: httpx.Response, body: bytes) -> bytes:
    coding = response.headers.get("content-encoding")
    if coding == "br":
        return bytes(brotli.decompress(body))
    if coding == "gzip":
        return gzip.decompress(body)
    assert coding is None, coding
    return body


def vary(response: httpx.Response) -> list[str]:
    return [v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("BR ; Q=0 , GZIP;q=0.5", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("gzip;q=0.8, br;q=0.8", "br"),
        ("x-gzip", "gzip"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
        ("*;q=0", None),
        ("gzip;q=0, br;q=0.000", None),
        ("br;q=nope, gzip;q=2", None),
        ("identity", None),
        ("deflate", None),
        ("", None),
    ],
)
def test_negotiation(accept: str, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


async def test_graphql_answers_in_each_encoding(demo_client: httpx.AsyncClient) -> None:
    query = {"json": {"query": ARTICLES}}
    plain, plain_body = await raw(demo_client, "POST", "/graphql", "identity", **query)
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    expected = orjson.loads(plain_body)
    assert "errors" not in expected and expected["data"]["articles"]["totalCount"] > 0
    assert len(plain_body) > 500  # large enough to be compressed

    for accept, coding in [("br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip")]:
        response, body = await raw(demo_client, "POST", "/graphql", accept, **query)
        assert response.headers["content-encoding"] == coding, accept
        assert int(response.headers["content-length"]) == len(body) < len(plain_body)
        assert orjson.loads(decoded(response, body)) == expected
        # locale: "nn" everywhere: the answer does not vary by Accept-Language (issue 11)
        assert {"accept-encoding", "accept", "authorization"} <= set(vary(response))
    # httpx itself decodes the brotli answer
    response = await demo_client.post(
        "/graphql", json=query["json"], headers={"Accept-Encoding": "br"}
    )
    assert response.headers["content-encoding"] == "br"
    assert response.json() == expected
    # no Accept-Encoding at all: plain, but still marked as depending on it
    response, body = await raw(demo_client, "POST", "/graphql", "", **query)
    assert "content-encoding" not in response.headers and orjson.loads(body) == expected
    assert vary(response) == ["accept", "authorization", "accept-encoding"]


async def test_vendor_bundle_is_compressed_and_cached(demo_client: httpx.AsyncClient) -> None:
    content = BUNDLE.read_bytes()
    assert len(content) > 1_000_000
    version = asset_version(BUNDLE)
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    url = f"/static/vendor/{BUNDLE.name}"

    plain, plain_body = await raw(demo_client, "GET", f"{url}?v={version}", "identity")
    assert plain_body == content and "content-encoding" not in plain.headers
    strong = plain.headers["etag"]
    assert strong.startswith('"') and plain.headers["accept-ranges"] == "bytes"
    assert plain.headers["cache-control"] == IMMUTABLE_CACHE

    for coding, ratio in [("br", 0.25), ("gzip", 0.3)]:
        response, body = await raw(demo_client, "GET", f"{url}?v={version}", coding)
        assert response.status_code == 200
        assert response.headers["content-encoding"] == coding
        assert len(body) < ratio * len(content), (coding, len(body) / len(content))
        assert decoded(response, body) == content
        assert "content-length" not in response.headers  # streamed in chunks
        assert "accept-ranges" not in response.headers
        assert response.headers["etag"] == f"W/{strong}"  # another representation
        assert "accept-encoding" in vary(response)
        assert response.headers["cache-control"] == IMMUTABLE_CACHE

    for query in ("", "?v=0123456789ab", f"?v={version}x", "?x=1"):
        response, body = await raw(demo_client, "GET", url + query, "br")
        assert response.status_code == 200 and decoded(response, body) == content
        assert response.headers["cache-control"] == SHORT_CACHE, query
    response = await demo_client.get("/static/playground.html", headers={"Accept-Encoding": "br"})
    assert response.headers["cache-control"] == SHORT_CACHE
    assert response.headers["content-encoding"] == "br"


async def test_not_modified_and_head_have_no_body(demo_client: httpx.AsyncClient) -> None:
    url = f"/static/vendor/{BUNDLE.name}?v={asset_version(BUNDLE)}"
    first, _ = await raw(demo_client, "GET", url, "br")
    etag = first.headers["etag"]
    assert etag.startswith("W/")
    response, body = await raw(demo_client, "GET", url, "br", headers={"If-None-Match": etag})
    assert response.status_code == 304 and body == b""
    assert "content-encoding" not in response.headers
    assert response.headers["cache-control"] == IMMUTABLE_CACHE

    response, body = await raw(demo_client, "HEAD", url, "br")
    assert response.status_code == 200 and body == b""
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == BUNDLE.stat().st_size

    response, body = await raw(demo_client, "HEAD", "/healthz", "br, gzip")
    assert response.status_code == 200 and body == b""
    assert "content-encoding" not in response.headers


async def test_playground_names_versioned_files(demo_client: httpx.AsyncClient) -> None:
    response = await demo_client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    urls = re.findall(r"""(?:src|href)="(/static/vendor/[^"]+)\"""", response.text)
    assert len(urls) == 4, urls  # the stylesheet, React, ReactDOM, GraphiQL
    for url in urls:
        name, _, version = url.removeprefix("/static/vendor/").partition("?v=")
        assert version == asset_version(STATIC / "vendor" / name), url
        file = await demo_client.get(url, headers={"Accept-Encoding": "br"})
        assert file.status_code == 200, url
        assert file.content == (STATIC / "vendor" / name).read_bytes()
        assert file.headers["cache-control"] == IMMUTABLE_CACHE


def test_versioned_page_marks_existing_static_files(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<link href="/static/vendor/graphiql.min.css"><script src="/static/vendor/nope.js">'
        '</script><script src="/static/other.js"></script><script src="/static/reader.js">',
        encoding="utf-8",
    )
    css = asset_version(STATIC / "vendor" / "graphiql.min.css")
    script = asset_version(STATIC / "reader.js")
    assert versioned_page(page) == (
        f'<link href="/static/vendor/graphiql.min.css?v={css}"><script '
        'src="/static/vendor/nope.js"></script><script src="/static/other.js"></script>'
        f'<script src="/static/reader.js?v={script}">'
    )
    # the playground names its own script and stylesheet, versioned (the reader page is
    # rendered with versioned URLs: test_reader_files_are_versioned_and_cached)
    playground = versioned_page(STATIC / "playground.html")
    version = asset_version(STATIC / "playground.js")
    assert f'src="/static/playground.js?v={version}"' in playground


async def test_reader_files_are_versioned_and_cached(demo_client: httpx.AsyncClient) -> None:
    page = await demo_client.get("/")
    urls = re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", page.text)
    assert sorted(u.partition("?")[0] for u in urls) == ["/static/reader.css", "/static/reader.js"]
    for url in urls:
        name, _, version = url.removeprefix("/static/").partition("?v=")
        assert version == asset_version(STATIC / name), url
        file = await demo_client.get(url)
        assert file.status_code == 200 and file.content == (STATIC / name).read_bytes()
        assert file.headers["cache-control"] == IMMUTABLE_CACHE
    unversioned = await demo_client.get("/static/reader.js")
    assert unversioned.headers["cache-control"] == SHORT_CACHE


async def test_small_bodies_and_images_stay_plain(demo_client: httpx.AsyncClient) -> None:
    response, body = await raw(demo_client, "GET", "/healthz", "br, gzip")
    assert orjson.loads(body) == {"status": "ok"}
    assert "content-encoding" not in response.headers
    assert "accept-encoding" in vary(response)

    data = await gql(demo_client, LEAD, {"slug": SEED.slug["nb"]})
    url = data["data"]["article"]["leadImage"]["url"]
    response, body = await raw(demo_client, "GET", url, "br, gzip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert "content-encoding" not in response.headers and "vary" not in response.headers
    assert body[:3] == b"\xff\xd8\xff" and int(response.headers["content-length"]) == len(body)


# The middleware on its own, for what the app does not send (yet).

TEXT = "Nynorsk og bokmål. " * 200


async def streamed() -> Any:
    for _ in range(3):
        yield TEXT


def endpoints(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind == "encoded":  # what a response cache hands over
        return Response(gzip.compress(TEXT.encode()), headers={"Content-Encoding": "gzip"})
    if kind == "stream":
        return StreamingResponse(streamed(), media_type="text/plain")
    if kind == "events":
        return StreamingResponse(streamed(), media_type="text/event-stream")
    return PlainTextResponse(TEXT, headers={"Vary": "Origin, accept-encoding", "ETag": 'W/"x"'})


@pytest.fixture
async def bare() -> Any:
    app = Compression(Starlette(routes=[Route("/{kind}", endpoints)]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_middleware_edges(bare: httpx.AsyncClient) -> None:
    response, body = await raw(bare, "GET", "/encoded", "br")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == TEXT
    assert "accept-encoding" in vary(response)

    response, body = await raw(bare, "GET", "/stream", "br")
    assert response.headers["content-encoding"] == "br"
    assert "content-length" not in response.headers
    assert decoded(response, body).decode() == TEXT * 3

    response, body = await raw(bare, "GET", "/events", "br, gzip")
    assert "content-encoding" not in response.headers and body.decode() == TEXT * 3

    response, body = await raw(bare, "GET", "/plain", "gzip")
    assert decoded(response, body).decode() == TEXT
    assert response.headers["vary"] == "Origin, accept-encoding"  # already named: not twice
    assert response.headers["etag"] == 'W/"x"'  # weak already
