"""``/feeds/{locale}.xml``: RSS 2.0 that a feed reader (feedparser) reads without a
complaint (``bozo`` 0), the newest 50 translations written in the feed's locale (no
fallbacks), each with its canonical link, guid, dates, plain-text summary and language."""

from __future__ import annotations

import calendar
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

from contentapi.articles.models import ArticleTranslation
from contentapi.articles.visibility import visible
from contentapi.demo.archive import ArchiveShape, load_archive
from contentapi.syndication import feeds
from tests.conftest import (
    bearer,
    configured_server_process,
    gql,
    make_settings,
    make_tokens,
    running_app,
)

PATTERN = "nb=https://example.no/{slug};nn=https://example.no/nn/{slug}"
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  article { id } errors { code } } }"""
PUBLISH = """mutation($id: ID!, $locale: String!) { publishArticle(id: $id, locale: $locale) {
  article { id } errors { code } } }"""


@dataclass
class Site:
    client: httpx.AsyncClient
    editor: dict[str, str]

    async def write(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await gql(self.client, query, variables, headers=self.editor)
        payload = dict(next(iter(body["data"].values())))
        assert payload["errors"] == [], body
        return payload


@pytest.fixture(scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    settings = await make_settings(tmp_path_factory.mktemp("feeds"), public_site_url=PATTERN)
    async with running_app(settings, demo=True) as client:
        # more than 50 in each locale: the demo and a small archive
        await load_archive(
            ArchiveShape(articles=60, comments_per_article=0), settings.make_locales()
        )
        yield Site(client, bearer((await make_tokens())["editor"]))


async def parsed(client: httpx.AsyncClient, locale: str) -> Any:
    response = await client.get(f"/feeds/{locale}.xml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=10, stale-while-revalidate=30"
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response.headers["content-type"]}
    )
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def url(locale: str, slug: str) -> str:
    return f"https://example.no/{slug}" if locale == "nb" else f"https://example.no/nn/{slug}"


async def newest(locale: str, limit: int) -> list[ArticleTranslation]:
    return (
        await ArticleTranslation.filter(visible(datetime.now(UTC)), locale=locale)
        .order_by("-published_at", "-article_id")
        .limit(limit)
    )


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_the_newest_50_written_in_the_locale(site: Site, locale: str) -> None:
    feed = await parsed(site.client, locale)
    assert feed.feed.language == locale
    assert feed.feed.link == ("https://example.no/" if locale == "nb" else "https://example.no/nn/")
    assert feed.feed.title.startswith("example.no – norsk ")
    expected = await newest(locale, feeds.ITEMS)
    assert len(expected) == feeds.ITEMS == 50
    assert [entry.link for entry in feed.entries] == [url(locale, t.slug) for t in expected]
    for entry, row in zip(feed.entries, expected, strict=True):
        assert entry.language == locale
        assert entry.title == row.title
        assert entry.id == f"contentapi:article:{row.article_id}:{locale}"
        assert not entry.guidislink
        assert row.published_at is not None
        assert calendar.timegm(entry.published_parsed) == int(row.published_at.timestamp())
        assert calendar.timegm(entry.updated_parsed) == int(row.updated_at.timestamp())
        assert entry.summary and "<" not in entry.summary


async def test_no_fallback_content_and_only_what_is_published(site: Site) -> None:
    created = await site.write(
        CREATE,
        input={
            "locale": "nb",
            "title": "Bru & veg i Ørsta",
            "body": "<p>Kommunen <strong>bygger</strong> en ny bru over elva.</p>",
        },
    )
    article_id = created["article"]["id"]
    nb = await parsed(site.client, "nb")
    assert "Bru & veg i Ørsta" not in [e.title for e in nb.entries]  # a draft
    await site.write(PUBLISH, id=article_id, locale="nb")
    nb = await parsed(site.client, "nb")
    first = nb.entries[0]
    assert first.title == "Bru & veg i Ørsta"  # the newest, escaped and read back
    assert first.link == "https://example.no/bru-veg-i-orsta"
    assert first.summary == "Kommunen bygger en ny bru over elva."  # no lead: body text
    nn = await parsed(site.client, "nn")
    assert "Bru & veg i Ørsta" not in [e.title for e in nn.entries]  # nb only: no fallback
    nn_slugs = set(await ArticleTranslation.filter(locale="nn").values_list("slug", flat=True))
    assert {e.link.removeprefix("https://example.no/nn/") for e in nn.entries} <= nn_slugs


async def test_an_unchanged_feed_is_304(site: Site) -> None:
    first = await site.client.get("/feeds/nn.xml")
    etag = first.headers["etag"]
    again = await site.client.get("/feeds/nn.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"].removeprefix("W/") == etag.removeprefix("W/")  # compressed: weak
    other = await site.client.get("/feeds/nb.xml", headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize("path", ["/feeds/en.xml", "/feeds/nb-NO.xml", "/feeds/NN.xml"])
async def test_unknown_locale_is_404(site: Site, path: str) -> None:
    response = await site.client.get(path)
    assert response.status_code == 404
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "the locales are nb, nn" in error["message"]


@pytest.mark.server
async def test_a_real_server_serves_them(tmp_path: Path) -> None:
    async with (
        configured_server_process(
            tmp_path, CONTENTAPI_PUBLIC_SITE_URL="https://example.no/{locale}/{slug}"
        ) as (base, _),
        httpx.AsyncClient(base_url=base) as client,
    ):
        for locale in ("nb", "nn"):
            feed = await parsed(client, locale)
            assert feed.entries
            assert all(e.language == locale for e in feed.entries)
            assert all(e.link.startswith(f"https://example.no/{locale}/") for e in feed.entries)
            assert feed.feed.links[-1].href == f"{base}/feeds/{locale}.xml"  # atom:link self
