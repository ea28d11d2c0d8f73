"""The hot queries are answered from indexes at archive size, on SQLite and PostgreSQL.

10,000 generated articles (nb, 70 % also nn, photos, a clip and comments each) are loaded
and analysed; then the article page, the front page, a page after a cursor, a tag-filtered
list and a comment page go through the real app, and every statement they send on the
content tables is explained by the database: no full scan of a content table and no
sort in a temporary B-tree (SQLite), no sequential scan (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tortoise.connection import connections

from contentapi.demo.archive import ArchiveShape, load_archive
from tests.conftest import QueryCounter, gql, make_settings, running_app

ARTICLES = 10_000
CONTENT_TABLES = ("article_listing", "article_translation", "article", "comment", "article_tag")

ARTICLE_PAGE = """query($slug: String!) { article(slug: $slug, locale: "nn") {
  title lead body publishedAt updatedAt images { url alt caption credit } videos { url title }
  comments(first: 20) { edges { cursor node { authorName body createdAt } } } commentCount } }"""
FRONT_PAGE = """query($after: String, $tag: String) {
  articles(locale: "nb", first: 20, after: $after, filter: {tag: $tag}) {
    edges { cursor node { title slug lead publishedAt leadImage { url alt } commentCount } } } }"""
# an nn front page without Bokmål fallbacks (includeFallbacks: false), in both orders
OWN_LOCALE_PAGE = """query($after: String, $order: ArticleOrder) {
  articles(locale: "nn", first: 20, after: $after, orderBy: $order, includeFallbacks: false) {
    edges { cursor node { title slug locale publishedAt leadImage { url } } } } }"""
OWN_LOCALE_COUNT = (
    """{ articles(locale: "nn", first: 0, includeFallbacks: false) { totalCount } }"""
)
COMMENT_PAGE = """query($slug: String!, $after: String) { article(slug: $slug, locale: "nb") {
  comments(first: 2, after: $after) { edges { node { authorName } } } } }"""


@pytest.fixture(scope="module")
async def archive(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    settings = await make_settings(tmp_path_factory.mktemp("plans"))
    async with running_app(settings) as client:
        await load_archive(ArchiveShape(ARTICLES, comments_per_article=3), settings.make_locales())
        db = connections.get("default")
        await db.execute_script("ANALYZE")
        yield client


def _touches_content(sql: str) -> bool:
    return any(f'"{table}"' in sql for table in CONTENT_TABLES)


async def _plan(sql: str, values: list[Any]) -> str:
    db = connections.get("default")
    if db.capabilities.dialect == "sqlite":
        _, rows = await db.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
        return "\n".join(str(row["detail"]) for row in rows)
    _, rows = await db.execute_query(f"EXPLAIN {sql}", values)
    return "\n".join(str(row["QUERY PLAN"]) for row in rows)


async def assert_indexed(statements: QueryCounter) -> int:
    """Explain every content statement sent; fail on a scan or an in-memory sort."""
    checked = 0
    for sql, values in statements.sent:
        if not sql.lstrip().upper().startswith("SELECT") or not _touches_content(sql):
            continue
        plan = await _plan(sql, values)
        for line in plan.splitlines():
            words = line.replace('"', "").split()
            scanned = len(words) > 1 and words[0] == "SCAN" and words[1].startswith(CONTENT_TABLES)
            assert not scanned, f"full scan:\n{sql}\n{plan}"
        assert "TEMP B-TREE FOR ORDER BY" not in plan, f"sort in memory:\n{sql}\n{plan}"
        assert "Seq Scan" not in plan, f"sequential scan:\n{sql}\n{plan}"
        checked += 1
    statements.sent.clear()
    return checked


async def read(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, query, variables)
    assert "errors" not in body, body
    return dict(body["data"])


async def test_article_page_by_slug(
    archive: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    front = await read(archive, FRONT_PAGE)
    count_queries.sent.clear()
    for edge in front["articles"]["edges"][:3]:
        data = await read(archive, ARTICLE_PAGE, slug=edge["node"]["slug"])
        assert data["article"]["title"]
        assert len(data["article"]["images"]) == 3
    assert await assert_indexed(count_queries) >= 3


async def test_front_page_and_the_page_after_a_cursor(
    archive: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    after = None
    seen: list[str] = []
    for _ in range(5):
        data = await read(archive, FRONT_PAGE, after=after)
        edges = data["articles"]["edges"]
        assert len(edges) == 20
        seen += [edge["node"]["slug"] for edge in edges]
        after = edges[-1]["cursor"]
    assert len(set(seen)) == 100  # five pages, no article twice
    assert await assert_indexed(count_queries) >= 10


async def test_tag_filtered_list(archive: httpx.AsyncClient, count_queries: QueryCounter) -> None:
    data = await read(archive, FRONT_PAGE, tag="klima")
    assert len(data["articles"]["edges"]) == 20
    assert await assert_indexed(count_queries) >= 2


@pytest.mark.parametrize("order", ["PUBLISHED_DESC", "UPDATED_DESC"])
async def test_own_locale_list_without_fallbacks(
    archive: httpx.AsyncClient, count_queries: QueryCounter, order: str
) -> None:
    after = None
    seen: list[str] = []
    for _ in range(3):
        data = await read(archive, OWN_LOCALE_PAGE, after=after, order=order)
        edges = data["articles"]["edges"]
        assert len(edges) == 20 and {edge["node"]["locale"] for edge in edges} == {"nn"}
        seen += [edge["node"]["slug"] for edge in edges]
        after = edges[-1]["cursor"]
    assert len(set(seen)) == 60
    assert await assert_indexed(count_queries) >= 3  # one statement a page


async def test_own_locale_count_reads_only_the_index(
    archive: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    data = await read(archive, OWN_LOCALE_COUNT)
    assert 0 < data["articles"]["totalCount"] < ARTICLES  # 70 % of the archive is in nn
    db = connections.get("default")
    if db.capabilities.dialect != "sqlite":
        # PostgreSQL counts most of a locale's listing with a sequential scan, with
        # fallbacks or without (its right choice for half a table): not a plan to forbid
        return
    counts = [(q, v) for q, v in count_queries.sent if q.lstrip().startswith("SELECT COUNT")]
    assert len(counts) == 1
    plan = await _plan(*counts[0])
    assert "USING COVERING INDEX" in plan and "SCAN" not in plan.split(), plan


async def test_comment_list_and_count(
    archive: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    front = await read(archive, FRONT_PAGE)
    slug = front["articles"]["edges"][0]["node"]["slug"]
    count_queries.sent.clear()
    first = await read(archive, COMMENT_PAGE, slug=slug)
    edges = first["article"]["comments"]["edges"]
    assert len(edges) == 2
    page = await read(archive, ARTICLE_PAGE, slug=slug)
    cursor = page["article"]["comments"]["edges"][0]["cursor"]
    await read(archive, COMMENT_PAGE, slug=slug, after=cursor)
    assert await assert_indexed(count_queries) >= 4
