"""``Article.canonicalUrl`` and ``alternates`` from ``CONTENTAPI_PUBLIC_SITE_URL``, in nb and
nn: null and empty without the setting (never a made-up host), the page of the content
shown (a fallback names the page it comes from), one alternate per published translation
and ``x-default``, batched for a list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from contentapi.articles.models import ArticleTranslation
from contentapi.settings import Settings
from tests.conftest import QueryCounter, gql, make_settings, running_app

ARTICLE = """query($slug: String!, $locale: String!) {
  article(slug: $slug, locale: $locale) {
    locale isFallback slug canonicalUrl alternates { locale url } } }"""
LIST = """query($locale: String!, $first: Int!) { articles(locale: $locale, first: $first) {
  edges { node { locale slug canonicalUrl alternates { locale url } } } } }"""
PER_LOCALE = "nb=https://example.no/{slug};nn=https://example.no/nn/{slug}"


@pytest.fixture(scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    settings = await make_settings(tmp_path_factory.mktemp("urls"), public_site_url=PER_LOCALE)
    async with running_app(settings, demo=True) as client:
        yield client


async def article(client: httpx.AsyncClient, slug: str, locale: str) -> dict[str, Any]:
    body = await gql(client, ARTICLE, {"slug": slug, "locale": locale})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["article"]
    return found


def url(locale: str, slug: str) -> str:
    return f"https://example.no/{slug}" if locale == "nb" else f"https://example.no/nn/{slug}"


async def slugs_of_an_article_in_both() -> dict[str, str]:
    nn = await ArticleTranslation.filter(locale="nn", status="PUBLISHED").first()
    assert nn is not None
    rows = await ArticleTranslation.filter(article_id=nn.article_id)
    return {row.locale: row.slug for row in rows}


@pytest.mark.parametrize("locale", ["nb", "nn"])
async def test_the_page_and_its_alternates(site: httpx.AsyncClient, locale: str) -> None:
    slugs = await slugs_of_an_article_in_both()
    found = await article(site, slugs[locale], locale)
    assert found["locale"] == locale and not found["isFallback"]
    assert found["canonicalUrl"] == url(locale, slugs[locale])
    assert found["alternates"] == [
        {"locale": "nb", "url": url("nb", slugs["nb"])},
        {"locale": "nn", "url": url("nn", slugs["nn"])},
        {"locale": "x-default", "url": url("nb", slugs["nb"])},
    ]


async def test_a_fallback_names_the_page_it_comes_from(site: httpx.AsyncClient) -> None:
    nb_only = await ArticleTranslation.filter(locale="nb", title__startswith="Bodø").first()
    assert nb_only is not None
    assert not await ArticleTranslation.filter(article_id=nb_only.article_id, locale="nn").exists()
    found = await article(site, nb_only.slug, "nn")  # asked in nn, shown in nb
    assert found["locale"] == "nb" and found["isFallback"]
    assert found["canonicalUrl"] == url("nb", nb_only.slug)
    assert found["alternates"] == [
        {"locale": "nb", "url": url("nb", nb_only.slug)},
        {"locale": "x-default", "url": url("nb", nb_only.slug)},
    ]


async def test_a_list_is_batched(site: httpx.AsyncClient, count_queries: QueryCounter) -> None:
    sizes = []
    for first in (5, 20):
        count_queries.statements.clear()
        body = await gql(site, LIST, {"locale": "nn", "first": first})
        assert "errors" not in body, body
        nodes = [edge["node"] for edge in body["data"]["articles"]["edges"]]
        assert len(nodes) == first
        for node in nodes:
            assert node["canonicalUrl"] == url(node["locale"], node["slug"])
            assert {"locale": node["locale"], "url": node["canonicalUrl"]} in node["alternates"]
        sizes.append(len(count_queries.statements))
    assert sizes[0] == sizes[1], count_queries.statements


def test_the_default_is_unset() -> None:
    assert Settings().public_site_url is None
