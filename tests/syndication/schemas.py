"""Reading sitemap answers, checked against the sitemaps.org XML Schema (lxml)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from contentapi.articles.models import ArticleTranslation
from contentapi.articles.visibility import visible
from contentapi.syndication import sitemap

DATA = Path(__file__).resolve().parents[1] / "data"
# sitemap.xsd takes other namespaces strictly: it is checked together with a declaration
# of xhtml:link (see the comments in tests/data)
URLSET = etree.XMLSchema(etree.parse(str(DATA / "sitemap-with-xhtml.xsd")))
INDEX = etree.XMLSchema(etree.parse(str(DATA / "siteindex.xsd")))
NS = {"s": sitemap.SITEMAP_NS, "x": sitemap.XHTML_NS}


def urlset(response: httpx.Response) -> list[dict[str, Any]]:
    """The ``<url>``s of a urlset answer, checked against the schema (which wants at least
    one: with nothing published the answer is an empty urlset, only checked to be one)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    doc = etree.fromstring(response.content)
    assert doc.tag == f"{{{sitemap.SITEMAP_NS}}}urlset"
    if len(doc):
        URLSET.assertValid(doc)
    return [
        {
            "loc": url.findtext("s:loc", namespaces=NS),
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": [
                (link.get("hreflang"), link.get("href"))
                for link in url.findall("x:link", namespaces=NS)
            ],
        }
        for url in doc.findall("s:url", namespaces=NS)
    ]


def index_locs(response: httpx.Response) -> list[str]:
    """The files a sitemap index names, checked against the schema."""
    assert response.status_code == 200, response.text
    doc = etree.fromstring(response.content)
    INDEX.assertValid(doc)
    return [str(loc) for loc in doc.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)]


async def expected_locs(now: datetime) -> set[str]:
    rows = await ArticleTranslation.filter(visible(now)).values_list("locale", "slug")
    return {f"https://example.no/{locale}/{slug}" for locale, slug in rows}
