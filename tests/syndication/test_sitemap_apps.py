"""``/sitemap.xml`` on apps of their own: the public URL in the index, the real limit of
50,000 URLs a file, only what readers see as it changes, 404 without a URL pattern."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from contentapi.articles import syndication
from contentapi.articles.models import Article, ArticleTranslation, PublicationStatus
from contentapi.syndication import sitemap
from tests.conftest import (
    FakeClock,
    bearer,
    gql,
    make_settings,
    make_tokens,
    running_app,
)
from tests.syndication.schemas import index_locs, urlset
from tests.syndication.test_sitemap import PATTERN


async def test_the_index_names_the_public_url(tmp_path: Path) -> None:
    settings = await make_settings(
        tmp_path, public_site_url=PATTERN, public_url="https://api.example.no/"
    )
    async with running_app(settings, demo=True) as client:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sitemap, "URLS_PER_FILE", 50)
            locs = index_locs(await client.get("/sitemap.xml"))
    assert locs[0] == "https://api.example.no/sitemap-1.xml"


async def test_50_000_urls_a_file_at_the_real_limit(tmp_path: Path) -> None:
    """50,001 visible translations (and some that are not): an index of two files, the
    first of exactly 50,000 URLs, the second of one."""
    settings = await make_settings(tmp_path, public_site_url=PATTERN)
    async with running_app(settings) as client:
        now = datetime.now(UTC).replace(microsecond=0)
        count = 25_001  # articles with nb and nn: 50,002 translations, one of them a draft
        await Article.bulk_create([Article(id=n) for n in range(1, count + 2)], batch_size=5000)
        rows = [
            ArticleTranslation(
                article_id=n,
                locale=locale,
                title=f"Sak {n}",
                slug=f"sak-{n}",
                body="<p>Tekst</p>",
                status=PublicationStatus.PUBLISHED,
                published_at=now - timedelta(days=1),
                updated_at=now - timedelta(days=1),
            )
            for n in range(1, count + 1)
            for locale in ("nb", "nn")
        ]
        rows[-1].status = PublicationStatus.DRAFT  # not shown
        rows.append(
            ArticleTranslation(  # of a deleted article: not shown
                article_id=count + 1,
                locale="nb",
                title="Sletta",
                slug="sletta",
                body="<p>x</p>",
                status=PublicationStatus.PUBLISHED,
                published_at=now - timedelta(days=1),
                updated_at=now,
            )
        )
        await ArticleTranslation.bulk_create(rows, batch_size=5000)
        await Article.filter(id=count + 1).update(deleted_at=now)
        assert await syndication.count_visible(now) == 50_001
        locs = index_locs(await client.get("/sitemap.xml"))
        assert locs == ["http://testserver/sitemap-1.xml", "http://testserver/sitemap-2.xml"]
        first = urlset(await client.get("/sitemap-1.xml"))
        second = urlset(await client.get("/sitemap-2.xml"))
        assert len(first) == 50_000
        assert [url["loc"] for url in second] == [f"https://example.no/nb/sak-{count}"]
        assert second[0]["alternates"] == [
            ("nb", f"https://example.no/nb/sak-{count}"),
            ("x-default", f"https://example.no/nb/sak-{count}"),
        ]
        assert (await client.get("/sitemap-3.xml")).status_code == 404


async def test_only_what_readers_see(tmp_path: Path) -> None:
    clock = FakeClock()
    settings = await make_settings(tmp_path, public_site_url=PATTERN)
    async with running_app(settings, clock=clock) as client:
        editor = bearer((await make_tokens())["editor"])

        async def write(query: str, **variables: Any) -> dict[str, Any]:
            body = await gql(client, query, variables, headers=editor)
            payload = dict(next(iter(body["data"].values())))
            assert payload["errors"] == [], body
            return payload

        async def shown() -> set[str]:
            return {url["loc"] for url in urlset(await client.get("/sitemap.xml"))}

        created = await write(
            "mutation($input: CreateArticleInput!) { createArticle(input: $input) "
            "{ article { id } errors { code } } }",
            input={"locale": "nb", "title": "Ny bru over fjorden", "body": "<p>Bru.</p>"},
        )
        article_id = created["article"]["id"]
        assert await shown() == set()  # a draft
        publish = (
            "mutation($id: ID!, $locale: String!, $at: DateTime) { publishArticle(id: $id, "
            "locale: $locale, at: $at) { article { id } errors { code } } }"
        )
        later = (clock.now + timedelta(hours=1)).isoformat()
        await write(publish, id=article_id, locale="nb", at=later)
        assert await shown() == set()  # scheduled, not yet
        clock.advance(hours=2)
        assert await shown() == {"https://example.no/nb/ny-bru-over-fjorden"}
        await write(
            "mutation($input: TranslateArticleInput!) { translateArticle(input: $input) "
            "{ article { id } errors { code } } }",
            input={
                "id": article_id,
                "locale": "nn",
                "title": "Ny bru over fjorden",
                "body": "<p>Bru.</p>",
                "slug": "ny-bru-nn",
            },
        )
        assert await shown() == {"https://example.no/nb/ny-bru-over-fjorden"}  # nn: a draft
        await write(publish, id=article_id, locale="nn")
        assert await shown() == {
            "https://example.no/nb/ny-bru-over-fjorden",
            "https://example.no/nn/ny-bru-nn",
        }
        await write(
            "mutation($id: ID!, $locale: String!) { unpublishArticle(id: $id, locale: $locale) "
            "{ article { id } errors { code } } }",
            id=article_id,
            locale="nb",
        )
        urls = urlset(await client.get("/sitemap.xml"))
        assert [url["loc"] for url in urls] == ["https://example.no/nn/ny-bru-nn"]
        assert urls[0]["alternates"] == [
            ("nn", "https://example.no/nn/ny-bru-nn"),
            ("x-default", "https://example.no/nn/ny-bru-nn"),
        ]
        body = await gql(
            client,
            "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }",
            {"id": article_id},
            headers=editor,
        )
        assert body["data"]["deleteArticle"]["errors"] == []
        assert await shown() == set()


async def test_404_without_a_site_url_pattern(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        for path in ("/sitemap.xml", "/sitemap-1.xml", "/feeds/nb.xml", "/feeds/nn.xml"):
            response = await client.get(path)
            assert response.status_code == 404, path
            assert response.headers["cache-control"] == "no-store"
            error = response.json()["errors"][0]
            assert error["extensions"]["code"] == "NOT_FOUND"
            assert "CONTENTAPI_PUBLIC_SITE_URL is not set" in error["message"]
