"""Migration 0009 on a database that has articles: the search finds them after it.

A translation stored by the code before (search_text of one line per field, the body's
paragraphs run together) gets its search_text written anew, and the index is filled:
PostgreSQL's generated column at once, SQLite's FTS5 table at the app's start.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

from contentapi import db
from contentapi.articles.models import Article, ArticleTranslation, PublicationStatus
from tests.conftest import gql, make_settings, running_app

SEARCH = """query($q: String!) { search(query: $q, locale: "nb") {
  totalCount edges { snippet node { title } } } }"""


async def test_an_existing_database_is_searchable_after_the_migration(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with TortoiseContext():
        await run_migrations(
            config=db.tortoise_config(settings, guarded=False), target="contentapi.0008_idempotency"
        )
    async with TortoiseContext() as ctx:
        await ctx.init(config=db.tortoise_config(settings))
        article = await Article.create(original_locale="nb")
        await ArticleTranslation.create(
            article=article,
            locale="nb",
            title="Gamle saker",
            slug="gamle-saker",
            body="<p>Fjordhestane</p><p>beiter i lia.</p>",
            search_text="gamle saker\n\nfjordhestanebeiter i lia.",  # as it was stored
            status=PublicationStatus.PUBLISHED,
            published_at=datetime(2019, 5, 1, tzinfo=UTC),
            updated_at=datetime(2019, 5, 1, tzinfo=UTC),
        )
    async with running_app(settings) as client:  # migrates; the start fills the index
        row = await ArticleTranslation.get(slug="gamle-saker")
        assert row.search_text == "gamle saker\n\nfjordhestane beiter i lia."
        for q in ("beiter", "fjordhest*", "fjordhesten"):
            body = await gql(client, SEARCH, {"q": q})
            found = body["data"]["search"]
            assert [e["node"]["title"] for e in found["edges"]] == ["Gamle saker"], q
        assert "<mark>Fjordhestane</mark> beiter" in found["edges"][0]["snippet"]
