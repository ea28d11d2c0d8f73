"""The hand-written SQL layer: the same rows as the ORM, and never a wait on the event loop.

On SQLite the hot reads and the comment insert run on a connection of the event loop's
own thread. When another connection holds the write lock, a read still answers (WAL)
and an insert goes through the ORM's connection, which waits for the lock, so the
comment is stored once, after the lock is released, and the loop kept serving meanwhile.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from tortoise.exceptions import IntegrityError

from contentapi import sql
from contentapi.articles.models import ArticleTranslation
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo.archive import ArchiveShape, load_archive
from contentapi.graphql.relay import to_global_id
from tests.conftest import TEST_DATABASE_URL, gql, make_settings, running_app

POST = """mutation($id: ID!, $body: String!) { postComment(input: {articleId: $id,
  authorName: "Kari", email: "kari@example.no", body: $body}) {
  comment { id } errors { code } } }"""
LIST = """{ articles(locale: "nb", first: 3) { edges { node { title } } } }"""

needs_sqlite = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="the event-loop connection is SQLite's (this run is PostgreSQL)"
)


async def test_models_from_sql_equal_the_orms(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings):
        await load_archive(ArchiveShape(3, comments_per_article=2), settings.make_locales())
        by_orm = await ArticleTranslation.all().order_by("id")
        rows = await sql.fetch(
            f'SELECT {sql.columns(ArticleTranslation, "t")} FROM "article_translation" t '
            'ORDER BY t."id"'
        )
        by_sql = sql.as_models(ArticleTranslation, rows)
        fields = ArticleTranslation._meta.db_fields
        assert [[getattr(r, f) for f in fields] for r in by_sql] == [
            [getattr(r, f) for f in fields] for r in by_orm
        ]
        made = await sql.insert(
            Comment,
            {
                "article_id": by_orm[0].article_id,
                "locale": "nb",
                "author_name": "Kari",
                "email": "kari@example.no",
                "body": "Takk!",
                "status": CommentStatus.PENDING,
                "created_at": by_orm[0].updated_at,
            },
        )
        stored = await Comment.get(id=made.id)
        assert (stored.body, stored.status, stored.created_at) == (
            "Takk!",
            CommentStatus.PENDING,
            by_orm[0].updated_at,
        )
        with pytest.raises(IntegrityError):  # no such article: the foreign key holds
            await sql.insert(
                Comment,
                {
                    "article_id": 999_999,
                    "locale": "nb",
                    "author_name": "Kari",
                    "email": "kari@example.no",
                    "body": "Hei",
                    "status": CommentStatus.PENDING,
                    "created_at": by_orm[0].updated_at,
                },
            )


@needs_sqlite
async def test_a_held_write_lock_never_stalls_the_loop(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        await load_archive(ArchiveShape(3, comments_per_article=0), settings.make_locales())
        article = to_global_id("Article", 1)
        path = settings.database_url.removeprefix("sqlite://")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            posting = asyncio.create_task(gql(client, POST, {"id": article, "body": "Bra sak"}))
            await asyncio.sleep(0.3)
            assert not posting.done()  # the insert waits, on the ORM's connection...
            listed = await gql(client, LIST)  # ...while reads go on
            assert len(listed["data"]["articles"]["edges"]) == 3
        finally:
            other.execute("ROLLBACK")
            other.close()
        body = await asyncio.wait_for(posting, 10)
        assert body["data"]["postComment"]["errors"] == []
        assert await Comment.filter(body="Bra sak").count() == 1
