"""Database faults end in coded answers, and nothing acknowledged is lost.

Another process holding SQLite's write lock, a database file removed under a running
server, a read-only file, a stopped PostgreSQL, and a server started on a missing or
empty database: each must answer ``UNAVAILABLE`` (or refuse to start), never hang every
request, never answer ``INTERNAL_ERROR``, never write where nobody will read.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from tortoise.connection import connections
from tortoise.context import TortoiseContext

from contentapi import db
from contentapi.errors import ConfigError
from contentapi.settings import Settings
from tests.conftest import (
    TEST_DATABASE_URL,
    bearer,
    error_codes,
    make_settings,
    make_tokens,
    running_app,
)

sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="a SQLite file's faults")
postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL's faults")

CREATE = """mutation($title: String!) {
  createArticle(input: {locale: "nb", title: $title, body: "<p>Tekst.</p>"}) {
    article { id } errors { code }
  }
}"""
ANONYMOUS_READ = '{ articles(locale: "nb", first: 2) { edges { node { title } } } }'
TOKEN_READ = "{ pendingComments(first: 2) { edges { node { body } } } }"


def _file(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite://"))


async def _create(client: httpx.AsyncClient, token: str, title: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": CREATE, "variables": {"title": title}}, headers=bearer(token)
    )


def _unavailable(response: httpx.Response) -> None:
    body = response.json()
    assert error_codes(body) == ["UNAVAILABLE"], body
    error = body["errors"][0]
    # the GraphQL layer says it in the reader's language and keeps the English as the detail
    assert db.UNAVAILABLE_MESSAGE in (error["message"], error["extensions"].get("detail"))
    assert error["extensions"]["retryAfter"] > 0


def _titles(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT title FROM article_translation")}


@sqlite_only
async def test_a_write_lock_held_elsewhere_is_unavailable_and_reads_go_on(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        other = sqlite3.connect(_file(settings), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's writer, e.g. a backup or a CLI
        try:
            writes = [
                asyncio.create_task(_create(client, tokens["editor"], f"Låst {n}"))
                for n in range(3)
            ]
            await asyncio.sleep(0.3)  # the writes are waiting for the lock now
            read = await client.post("/graphql", json={"query": ANONYMOUS_READ})
            token_read = await client.post(
                "/graphql", json={"query": TOKEN_READ}, headers=bearer(tokens["moderator"])
            )
            reason = await db.readiness()
            waiting = [not w.done() for w in writes]
            answers = await asyncio.gather(*writes)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # reads (the ORM's too) and the readiness check were answered while writes waited
        assert read.status_code == 200 and "errors" not in read.json()
        assert token_read.status_code == 200 and "errors" not in token_read.json()
        assert reason is not None and "locked" in reason
        assert all(waiting)
        for answer in answers:
            _unavailable(answer)
        assert await db.readiness() is None
        # nothing half-written; the same write goes through once the lock is free
        assert not any(t.startswith("Låst") for t in _titles(_file(settings)))
        retried = (await _create(client, tokens["editor"], "Låst 0")).json()
        assert retried["data"]["createArticle"]["errors"] == []
        assert "Låst 0" in _titles(_file(settings))


@sqlite_only
async def test_readyz_goes_503_while_the_write_lock_is_held_elsewhere(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        assert (await client.get("/readyz")).status_code == 200
        other = sqlite3.connect(_file(settings), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            response = await client.get("/readyz")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert "locked" in response.json()["reason"]
        assert (await client.get("/readyz")).status_code == 200


@sqlite_only
@pytest.mark.parametrize("how", ["removed", "replaced"])
async def test_a_removed_database_file_takes_no_more_writes(tmp_path: Path, how: str) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        before = (await _create(client, tokens["editor"], "Før")).json()
        assert before["data"]["createArticle"]["errors"] == []
        path = _file(settings)
        kept = tmp_path / "moved.sqlite3"
        os.replace(path, kept)  # an operator's mistake, or a restore over the live file
        if how == "replaced":
            path.write_bytes(b"")  # a new, empty database at the path
        answer = await _create(client, tokens["editor"], "Etter")
        _unavailable(answer)
        reason = await db.readiness()
        assert reason is not None and "removed" in reason
        # a reader's comment (the hand-written insert path) is refused as well
        comment = await client.post(
            "/graphql",
            json={
                "query": """mutation { postComment(input: {articleId: "QXJ0aWNsZTox",
                  locale: "nb", authorName: "Kari", email: "kari@example.org",
                  body: "Hei"}) { comment { id } errors { code } } }"""
            },
        )
        assert error_codes(comment.json()) == ["UNAVAILABLE"], comment.text
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and "removed" in ready.json()["reason"]
    if how == "removed":
        assert not path.exists()  # no empty database was made at the old path
    # what was acknowledged is in the file that was moved away (with its WAL, which
    # SQLite does not fold into a moved file), and nothing else is
    for suffix in ("-wal", "-shm"):
        wal = path.with_name(path.name + suffix)
        if wal.exists():
            os.replace(wal, kept.with_name(kept.name + suffix))
    titles = _titles(kept)
    assert "Før" in titles and "Etter" not in titles


@sqlite_only
async def test_a_read_only_database_answers_unavailable_for_writes_and_serves_reads(
    tmp_path: Path,
) -> None:
    # SQLite's own read-only state (SQLITE_READONLY, what a file the server may not write
    # gives); chmod does not bind root, and on a read-only mount SQLite cannot read a WAL
    # database either (that answers UNAVAILABLE too, see the report in the notes)
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        await connections.get("default").execute_script("PRAGMA query_only = 1")
        _unavailable(await _create(client, tokens["editor"], "Skrivebeskytta"))
        read = await client.post(
            "/graphql", json={"query": TOKEN_READ}, headers=bearer(tokens["moderator"])
        )
        assert read.status_code == 200 and "errors" not in read.json(), read.text
        anonymous = await client.post("/graphql", json={"query": ANONYMOUS_READ})
        assert anonymous.json()["data"]["articles"]["edges"], anonymous.text


@sqlite_only
async def test_require_existing_db_refuses_a_missing_file(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, require_existing_db=True)
    with pytest.raises(ConfigError, match=r"does not exist.*contentapi migrate"):
        async with running_app(settings):
            pass
    assert not _file(settings).exists()  # nothing was created
    async with running_app(settings.with_changes(require_existing_db=False)) as client:
        assert (await client.get("/healthz")).status_code == 200
    async with running_app(settings) as client:  # now it exists, with its schema
        assert (await client.get("/healthz")).status_code == 200


async def test_require_existing_db_refuses_an_empty_database(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, require_existing_db=True)
    if not TEST_DATABASE_URL:
        sqlite3.connect(_file(settings)).close()  # an empty file
    with pytest.raises(ConfigError, match="empty"):
        async with db.database(settings, global_fallback=False):
            pass
    # `contentapi migrate` may make it
    async with db.database(settings, global_fallback=False, create=True):
        pass
    async with db.database(settings, global_fallback=False):
        assert await db.readiness() is None


def test_migrate_command_creates_a_database_when_one_is_required(tmp_path: Path) -> None:
    env: dict[str, Any] = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{tmp_path / 'new.sqlite3'}",
        "CONTENTAPI_REQUIRE_EXISTING_DB": "true",
    }
    cli = [sys.executable, "-c", "import sys; from contentapi.cli import main; sys.exit(main())"]
    refused = subprocess.run([*cli, "token", "list"], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "CONTENTAPI_REQUIRE_EXISTING_DB" in refused.stderr + refused.stdout
    made = subprocess.run([*cli, "migrate"], env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "new.sqlite3").is_file()


@postgres_only
async def test_a_row_lock_held_elsewhere_is_unavailable_on_postgres(tmp_path: Path) -> None:
    import asyncpg

    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        other = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://"))
        try:
            transaction = other.transaction()
            await transaction.start()
            await other.execute('LOCK TABLE "article" IN ACCESS EXCLUSIVE MODE')
            answer = await _create(client, tokens["editor"], "Låst")
            await transaction.rollback()
        finally:
            await other.close()
        _unavailable(answer)
        assert await db.readiness() is None


@postgres_only
async def test_a_stopped_postgres_is_unavailable_and_not_ready() -> None:
    settings = Settings(database_url="postgres://postgres@127.0.0.1:9/nowhere")
    async with TortoiseContext() as ctx:
        await ctx.init(config=db.tortoise_config(settings))
        reason = await db.readiness()
        assert reason is not None
        try:
            await ctx.connections.get("default").execute_query("SELECT 1")
        except Exception as exc:
            assert db.unavailable(exc), repr(exc)
        else:
            raise AssertionError("a closed port answered")
