"""Media files and renditions, UI messages, and the demo loader."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from contentapi.articles.models import Article, ArticleTranslation
from contentapi.comments.models import Comment
from contentapi.demo import load_demo
from contentapi.demo.content import SEED, generated_articles
from contentapi.media.models import Image as ImageRow
from contentapi.settings import Settings
from tests.conftest import error_codes, gql

LEAD = """query($slug: String!, $width: Int) { article(slug: $slug, locale: "nb") {
  leadImage { url(width: $width) width height } } }"""


async def lead_image_url(client: httpx.AsyncClient, width: int | None) -> str:
    body = await gql(client, LEAD, {"slug": SEED.slug["nb"], "width": width})
    assert "errors" not in body, body
    return str(body["data"]["article"]["leadImage"]["url"])


async def test_original_is_served_with_long_cache(demo_client: httpx.AsyncClient) -> None:
    url = await lead_image_url(demo_client, None)
    response = await demo_client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert "max-age=31536000" in response.headers["cache-control"]
    assert Image.open(io.BytesIO(response.content)).size == (1600, 900)


async def test_widths_round_up_to_a_fixed_rendition(demo_client: httpx.AsyncClient) -> None:
    url = await lead_image_url(demo_client, 500)
    assert "/media/w640/" in url
    response = await demo_client.get(url)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (640, 360)
    # wider than the original: the original itself
    assert "/media/w" not in await lead_image_url(demo_client, 1700)


async def test_bad_widths_and_paths(demo_client: httpx.AsyncClient) -> None:
    for width in (0, -1, 100_000):
        body = await gql(demo_client, LEAD, {"slug": SEED.slug["nb"], "width": width})
        assert error_codes(body) == ["BAD_REQUEST"], width
    assert (await demo_client.get("/media/w500/aa/x.jpg")).status_code == 404
    # encoded dots reach the server as they are (plain ../ is removed by the client)
    for path in (
        "/media/w640/%2e%2e/%2e%2e/etc/passwd",
        "/media/%2e%2e/pyproject.toml",
        "/media/w640/..%2f..%2fpyproject.toml",
    ):
        response = await demo_client.get(path)
        assert response.status_code == 404, path
        assert b"[project]" not in response.content


async def test_messages_in_both_standards(demo_client: httpx.AsyncClient) -> None:
    body = await gql(
        demo_client,
        """{ nn: messages(locale: "nn", keys: ["article.updated", "comments.heading", "nope"]) {
               key text locale isFallback }
             nb: messages(locale: "nb-NO") { key text }
             one: message(key: "comments.count", locale: "nn", count: 3) { text }
             single: message(key: "comments.count", locale: "nn", count: 1) { text }
             many: message(key: "comments.count", locale: "nb", count: 1234) { text }
             missing: message(key: "nope") { text } }""",
    )
    data = body["data"]
    assert data["nn"] == [
        {"key": "article.updated", "text": "Sist endra", "locale": "nn", "isFallback": False},
        {"key": "comments.heading", "text": "Kommentarar", "locale": "nn", "isFallback": False},
    ]
    nb = {m["key"]: m["text"] for m in data["nb"]}
    assert nb["article.updated"] == "Sist endret" and nb["page.share"] == "Del dette"
    assert data["one"]["text"] == "3 kommentarar"
    assert data["single"]["text"] == "1 kommentar"
    assert data["many"]["text"] == "1\xa0234 kommentarer"
    assert data["missing"] is None


async def test_messages_follow_accept_language(demo_client: httpx.AsyncClient) -> None:
    body = await gql(
        demo_client,
        '{ message(key: "article.updated") { text locale } }',
        headers={"Accept-Language": "nn-NO, nb;q=0.5"},
    )
    assert body["data"]["message"] == {"text": "Sist endra", "locale": "nn"}
    body = await gql(demo_client, '{ message(key: "article.updated", locale: "xx") { text } }')
    assert error_codes(body) == ["UNKNOWN_LOCALE"]


async def test_demo_loads_once(demo_client: httpx.AsyncClient, tmp_path: Path) -> None:
    counts = (
        await Article.all().count(),
        await ArticleTranslation.all().count(),
        await ImageRow.all().count(),
        await Comment.all().count(),
    )
    assert counts[0] == 1 + len(generated_articles())
    added = await load_demo(Settings(media_dir=tmp_path / "media"))
    assert added == 0
    again = (
        await Article.all().count(),
        await ArticleTranslation.all().count(),
        await ImageRow.all().count(),
        await Comment.all().count(),
    )
    assert again == counts


async def test_plural_messages_need_a_count(demo_client: httpx.AsyncClient) -> None:
    body = await gql(demo_client, '{ message(key: "comments.count", locale: "nn") { text } }')
    assert error_codes(body) == ["BAD_REQUEST"]
    assert "count" in body["errors"][0]["extensions"]["detail"]
    body = await gql(demo_client, '{ messages(locale: "nn", keys: ["comments.count"]) { text } }')
    assert body["data"]["messages"] == [{"text": "%(count)s kommentarar"}]  # the "other" form
