"""``/sitemap.xml``: valid against the sitemaps.org XML Schema (with lxml), hreflang
alternates, only what readers may see, split into an index of files of at most
``URLS_PER_FILE`` URLs, and 404 without ``CONTENTAPI_PUBLIC_SITE_URL``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from math import ceil
from pathlib import Path

import httpx
import pytest

from contentapi.articles import syndication
from contentapi.syndication import sitemap
from tests.conftest import (
    configured_server_process,
    make_settings,
    running_app,
)
from tests.syndication.schemas import expected_locs, index_locs, urlset

PATTERN = "https://example.no/{locale}/{slug}"


@pytest.fixture(scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    settings = await make_settings(tmp_path_factory.mktemp("sitemap"), public_site_url=PATTERN)
    async with running_app(settings, demo=True) as client:
        yield client


async def test_every_visible_translation_once_with_its_alternates(
    site: httpx.AsyncClient,
) -> None:
    response = await site.get("/sitemap.xml")
    urls = urlset(response)
    locs = [url["loc"] for url in urls]
    assert len(locs) == len(set(locs))
    assert set(locs) == await expected_locs(datetime.now(UTC))
    assert {loc.split("/")[3] for loc in locs} == {"nb", "nn"}
    for url in urls:
        hreflangs = [lang for lang, _ in url["alternates"]]
        assert (url["loc"].split("/")[3], url["loc"]) in url["alternates"]  # itself
        assert hreflangs[-1] == "x-default"
        assert hreflangs[:-1] in (["nb"], ["nn"], ["nb", "nn"])
        datetime.fromisoformat(url["lastmod"])  # W3C datetime with offset
    both = next(url for url in urls if len(url["alternates"]) == 3)
    partner = dict(both["alternates"])
    assert partner["x-default"] == partner["nb"]
    # the alternate's own entry names the same set
    other = next(url for url in urls if url["loc"] == partner["nn"])
    assert dict(other["alternates"]) == partner


async def test_cache_headers_and_streaming(site: httpx.AsyncClient) -> None:
    response = await site.get("/sitemap.xml", headers={"Accept-Encoding": "identity"})
    assert response.headers["cache-control"] == "public, max-age=10, stale-while-revalidate=30"
    assert "content-length" not in response.headers  # streamed, not built whole
    head = await site.head("/sitemap.xml")
    assert head.status_code == 200


async def test_read_in_keyset_batches(
    site: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    total = await syndication.count_visible(now)
    batches = [b async for b in syndication.sitemap_entries(now, 0, total, 7)]
    assert [len(b) for b in batches[:-1]] == [7] * (len(batches) - 1)
    assert sum(len(b) for b in batches) == total
    # the same whole with any batch size
    monkeypatch.setattr(sitemap, "BATCH", 5)
    small = urlset(await site.get("/sitemap.xml"))
    monkeypatch.setattr(sitemap, "BATCH", 5000)
    assert small == urlset(await site.get("/sitemap.xml"))


async def test_split_into_an_index_of_small_files(
    site: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [url["loc"] for url in urlset(await site.get("/sitemap.xml"))]
    monkeypatch.setattr(sitemap, "URLS_PER_FILE", 3)
    locs = index_locs(await site.get("/sitemap.xml"))
    assert locs == [
        f"http://testserver/sitemap-{n}.xml" for n in range(1, ceil(len(whole) / 3) + 1)
    ]
    parts: list[str] = []
    for loc in locs:
        found = [
            url["loc"] for url in urlset(await site.get(loc.removeprefix("http://testserver")))
        ]
        assert 1 <= len(found) <= 3
        parts += found
    assert parts == whole  # in order, none lost, none twice
    for beyond in (0, len(locs) + 1):
        missing = await site.get(f"/sitemap-{beyond}.xml")
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_protocol_limit() -> None:
    assert sitemap.URLS_PER_FILE == 50_000  # sitemaps.org: at most 50,000 URLs a file
    assert sitemap.file_count(0) == 0
    assert sitemap.file_count(50_000) == 1
    assert sitemap.file_count(50_001) == 2
    assert sitemap.file_count(100_000) == 2
    assert sitemap.file_count(100_001) == 3


@pytest.mark.server
async def test_a_real_server_streams_it(tmp_path: Path) -> None:
    async with (
        configured_server_process(
            tmp_path,
            CONTENTAPI_PUBLIC_SITE_URL="nb=https://example.no/{slug};nn=https://example.no/nn/{slug}",
        ) as (base, _),
        httpx.AsyncClient(base_url=base) as client,
    ):
        response = await client.get("/sitemap.xml", headers={"Accept-Encoding": "identity"})
        assert response.headers.get("transfer-encoding") == "chunked"
        locs = {url["loc"] for url in urlset(response)}
    assert "https://example.no/innovasjonspris-til-traena-kommune" in locs
    assert "https://example.no/nn/innovasjonspris-til-traena-kommune" in locs
