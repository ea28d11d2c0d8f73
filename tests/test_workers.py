"""Several workers, and several servers, on one PostgreSQL (real ``contentapi serve``
processes, on either suite: :func:`postgres_database_url`).

- ``serve --workers N``: every worker runs the background loops, and still each webhook
  is delivered once and each scheduled translation is announced once.
- Two servers on one PostgreSQL and one Redis: comments posted through both are stored
  once each, and an approval on one reaches a subscriber on the other.
- What ``serve`` refuses, in one line: several workers on SQLite, a database that does
  not answer.

The helpers here (a counting webhook receiver, a private Redis, two servers) are used by
``test_db_outage.py`` and ``test_redis_outage.py`` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import websockets

from contentapi.articles import publishing
from contentapi.articles.models import ArticleTranslation, PublicationStatus
from contentapi.articles.publishing import promote_due
from contentapi.events.models import WebhookDelivery
from contentapi.events.outbox import Outbox
from contentapi.events.webhooks import claim
from contentapi.graphql.relay import from_global_id
from tests.conftest import (
    bearer,
    cli_token,
    configured_server_process,
    free_port,
    gql,
    make_settings,
    make_tokens,
    postgres_database_url,
    running_app,
)

pytestmark = pytest.mark.server

SECRET = "workers-secret"
INTERVAL = "0.2"  # CONTENTAPI_WORKER_INTERVAL_SECONDS: rounds often, so workers contend
CREATE = """mutation($t: String!) { createArticle(input: {locale: "nb", title: $t,
  body: "<p>Tekst</p>"}) { article { id } errors { code message } } }"""
PUBLISH = """mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, locale: "nb", at: $at) {
  article { id } errors { code message } } }"""
UNPUBLISH = """mutation($id: ID!) { unpublishArticle(id: $id, locale: "nb") {
  article { id } errors { code message } } }"""
STATUS = """query($id: ID!) { article(id: $id, locale: "nb", preview: true) {
  translations { locale status } } }"""
POST = """mutation($a: ID!, $b: String!) { postComment(input: {articleId: $a, authorName: "Liv",
  email: "liv@example.org", body: $b}) { comment { id } errors { code message } } }"""
APPROVE = """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
  errors { code message } } }"""
PENDING = """query($a: ID!) { pendingComments(articleId: $a, first: 1) { totalCount } }"""
APPROVED = """subscription($a: ID!) { commentApproved(articleId: $a) { id body } }"""


# --- a webhook receiver that counts --------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One webhook POST as it arrived."""

    delivery: str  # X-Contentapi-Delivery: the row's id
    event: str  # X-Contentapi-Event
    body: dict[str, Any]
    signed: bool  # the signature matched the body and timestamp


class Backlogged(ThreadingHTTPServer):
    """Keeps more waiting connections than the default 5 (bursts from several workers)."""

    request_queue_size = 256


@dataclass
class Receiver:
    """A webhook receiver on a free port (a thread): keeps every delivery, answers 200."""

    port: int = field(default_factory=free_port)
    calls: list[Delivery] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        calls, lock = self.calls, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-Contentapi-Timestamp"]
                expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + raw, hashlib.sha256)
                signed = self.headers["X-Contentapi-Signature"] == f"sha256={expected.hexdigest()}"
                with lock:
                    calls.append(
                        Delivery(
                            self.headers["X-Contentapi-Delivery"],
                            self.headers["X-Contentapi-Event"],
                            json.loads(raw),
                            signed,
                        )
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        return Handler

    @contextlib.contextmanager
    def running(self) -> Iterator[Receiver]:
        server = Backlogged(("127.0.0.1", self.port), self.handler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()

    def by_event_and_article(self) -> Counter[tuple[str, int]]:
        return Counter((call.event, int(call.body["articleId"])) for call in self.calls)


def webhook_env(receiver: Receiver) -> dict[str, str]:
    return {
        "CONTENTAPI_WEBHOOK_URLS": receiver.url,
        "CONTENTAPI_WEBHOOK_SECRET": SECRET,
        "CONTENTAPI_WEBHOOK_RETRY_SECONDS": "0.2",
        "CONTENTAPI_WORKER_INTERVAL_SECONDS": INTERVAL,
    }


async def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


# --- servers, calls -----------------------------------------------------------------


@asynccontextmanager
async def server(
    folder: Path, database_url: str, workers: int = 1, **env: str
) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """``contentapi serve --workers N`` on ``database_url`` (not wiped), no demo; yields once
    every worker has started."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = {"CONTENTAPI_DATABASE_URL": database_url, "CONTENTAPI_REDIS_URL": "", **env}
    args = ("--workers", str(workers))
    async with configured_server_process(folder, demo=False, args=args, **settings) as started:
        log = folder / "server.log"
        await wait_until(
            lambda: log.read_text().count("Application startup complete") >= workers,
            60,
            f"{workers} workers to start:\n{log.read_text()}",
        )
        yield started


async def call(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    token: str | None = None,
) -> dict[str, Any]:
    """A GraphQL request that must succeed: HTTP 200, no errors, a payload without errors;
    returns ``data``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    for payload in body["data"].values():
        if isinstance(payload, dict) and "errors" in payload:
            assert payload["errors"] == [], payload
    data: dict[str, Any] = body["data"]
    return data


async def new_article(client: httpx.AsyncClient, editor: str, title: str) -> str:
    created = await call(client, CREATE, {"t": title}, editor)
    article_id: str = created["createArticle"]["article"]["id"]
    return article_id


def database_id(global_id: str) -> int:
    return int(from_global_id(global_id)[1])


async def pg(database_url: str, statement: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows: list[asyncpg.Record] = await conn.fetch(statement)
        return rows
    finally:
        await conn.close()


# --- Redis of our own (killed and restarted by the outage tests) ----------------------


REDIS_OPTIONS = ("--bind", "127.0.0.1", "--save", "", "--appendonly", "no")


@dataclass
class PrivateRedis:
    """``redis-server`` on a free port, without persistence; :meth:`stop` and
    :meth:`start` again on the same port."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                raise AssertionError("CI needs redis-server (.ci/run installs it)")
            pytest.skip("redis-server is not installed")
        with (self.folder / "redis.log").open("a") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), *REDIS_OPTIONS, "--dir", str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert self.process.poll() is None, (self.folder / "redis.log").read_text()
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def private_redis(folder: Path) -> Iterator[PrivateRedis]:
    folder.mkdir(parents=True, exist_ok=True)
    redis = PrivateRedis(folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@dataclass
class Pair:
    """Two servers (A and B) on one PostgreSQL and one Redis, with an article open for
    comments and tokens."""

    a: httpx.AsyncClient
    b: httpx.AsyncClient
    host_b: str
    database_url: str
    editor: str
    moderator: str
    article_id: str


@asynccontextmanager
async def two_servers(folder: Path, redis_url: str, **env: str) -> AsyncIterator[Pair]:
    database_url = await postgres_database_url()
    settings = {
        "CONTENTAPI_REDIS_URL": redis_url,
        "CONTENTAPI_COMMENT_RATE_LIMIT": "100000/minute",
        **env,
    }
    async with (
        server(folder / "a", database_url, **settings) as (base_a, env_a),
        server(folder / "b", database_url, **settings) as (base_b, _),
        httpx.AsyncClient(base_url=base_a, timeout=30) as a,
        httpx.AsyncClient(base_url=base_b, timeout=30) as b,
    ):
        editor, moderator = cli_token(env_a, "editor"), cli_token(env_a, "moderator")
        article_id = await new_article(a, editor, "Kommentarar frå to tenarar")
        await call(a, PUBLISH, {"id": article_id}, editor)
        yield Pair(
            a, b, base_b.removeprefix("http://"), database_url, editor, moderator, article_id
        )


@asynccontextmanager
async def approvals(host: str, article_id: str) -> AsyncIterator[Any]:
    """A ``commentApproved`` subscription on ``host`` (graphql-transport-ws)."""
    async with websockets.connect(
        f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        subscribe = {"query": APPROVED, "variables": {"a": article_id}}
        await ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": subscribe}))
        await asyncio.sleep(0.3)  # registered on the server
        yield ws


async def next_approved(ws: Any, seconds: float = 15) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), seconds))
    assert message["type"] == "next", message
    approved: dict[str, Any] = message["payload"]["data"]["commentApproved"]
    return approved


async def post_comments(pair: Pair, bodies: list[str], parallel: int = 20) -> list[str]:
    """Post each body once, alternately through A and B; the ids of the comments."""
    gate = asyncio.Semaphore(parallel)

    async def post(index: int, body: str) -> str:
        async with gate:
            client = pair.a if index % 2 == 0 else pair.b
            data = await call(client, POST, {"a": pair.article_id, "b": body})
            comment_id: str = data["postComment"]["comment"]["id"]
            return comment_id

    return list(await asyncio.gather(*(post(i, body) for i, body in enumerate(bodies))))


async def stored_comments(pair: Pair) -> Counter[str]:
    """How often each body is stored for the pair's article."""
    rows = await pg(
        pair.database_url,
        f'SELECT "body" FROM "comment" WHERE "article_id" = {database_id(pair.article_id)}',
    )
    return Counter(str(row["body"]) for row in rows)


# --- several workers: background work once --------------------------------------------


@pytest.mark.parametrize("workers", [2, 4])
async def test_every_event_is_delivered_once_by_several_workers(
    tmp_path: Path, workers: int, capsys: pytest.CaptureFixture[str]
) -> None:
    database_url = await postgres_database_url()
    with Receiver().running() as receiver:
        async with (
            server(tmp_path, database_url, workers, **webhook_env(receiver)) as (base, env),
            httpx.AsyncClient(base_url=base, timeout=30) as client,
        ):
            editor = cli_token(env, "editor")
            titles = [f"Sak {i} med {workers} arbeidarar" for i in range(30)]
            ids = list(await asyncio.gather(*(new_article(client, editor, t) for t in titles)))
            now_ids, later_ids = ids[:20], ids[20:]
            # ten translations scheduled for one moment: every worker's job finds them due
            at = (datetime.now(UTC) + timedelta(seconds=4)).isoformat()
            for article_id in later_ids:
                await call(client, PUBLISH, {"id": article_id, "at": at}, editor)
            for article_id in later_ids:
                shown = await call(client, STATUS, {"id": article_id}, editor)
                assert shown["article"]["translations"] == [{"locale": "nb", "status": "SCHEDULED"}]
            await asyncio.gather(*(call(client, PUBLISH, {"id": i}, editor) for i in now_ids))
            unpublished = now_ids[:5]
            await asyncio.gather(*(call(client, UNPUBLISH, {"id": i}, editor) for i in unpublished))
            expected = Counter(
                [("article.published", database_id(i)) for i in ids]
                + [("article.unpublished", database_id(i)) for i in unpublished]
            )
            started = time.monotonic()
            await wait_until(lambda: len(receiver.calls) >= expected.total(), 60, "every delivery")
            seconds = time.monotonic() - started
            await asyncio.sleep(2)  # ten rounds more: time for any second delivery to come
            for article_id in later_ids:
                shown = await call(client, STATUS, {"id": article_id}, editor)
                assert shown["article"]["translations"] == [{"locale": "nb", "status": "PUBLISHED"}]
        rows = await pg(
            database_url,
            'SELECT "id", "attempts", "delivered_at" FROM "webhook_delivery" ORDER BY "id"',
        )
    assert receiver.by_event_and_article() == expected  # each event once, each article's
    delivery_ids = Counter(call.delivery for call in receiver.calls)
    assert [d for d, n in delivery_ids.items() if n > 1] == []
    assert all(call.signed for call in receiver.calls)
    assert len(rows) == expected.total()
    assert {str(row["id"]) for row in rows} == set(delivery_ids)
    assert all(row["delivered_at"] is not None and row["attempts"] == 1 for row in rows)
    with capsys.disabled():
        print(
            f"\n{workers} workers: {expected.total()} events ({len(later_ids)} scheduled), "
            f"{len(receiver.calls)} deliveries, {len(delivery_ids)} distinct, all within "
            f"{seconds:.1f} s of the last write"
        )


async def test_several_workers_on_sqlite_are_refused_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "one-writer.sqlite3"
    done = serve_command(tmp_path, f"sqlite://{database}", "--workers", "2")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "--workers 2 needs PostgreSQL" in done.stderr
    assert "SQLite has one writer" in done.stderr
    assert not database.exists()  # refused before anything was made


def serve_command(folder: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": database_url,
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
    }
    command = [sys.executable, "-m", "contentapi", "serve", "--port", str(free_port()), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A port that takes connections and never says a word (a hung database)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize("fault", ["nobody listens", "nobody answers"])
async def test_a_database_that_does_not_answer_stops_serve_in_one_line(
    tmp_path: Path, fault: str
) -> None:
    with contextlib.ExitStack() as stack:
        port = free_port() if fault == "nobody listens" else stack.enter_context(silent_listener())
        url = f"postgres://editor:hemmeleg@127.0.0.1:{port}/contentapi"
        done = serve_command(tmp_path, url, "--workers", "2")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0, done.stderr
    assert f"cannot reach the database at postgres://127.0.0.1:{port}/contentapi" in done.stderr
    assert "hemmeleg" not in done.stderr  # no password in the message


# --- two servers, one PostgreSQL, one Redis ---------------------------------------------


async def test_comments_through_two_servers_are_stored_once_and_approvals_cross(
    tmp_path: Path,
) -> None:
    with private_redis(tmp_path / "redis") as redis:
        async with two_servers(tmp_path, redis.url) as pair:
            bodies = [f"Kommentar nr. {i} frå lesarane" for i in range(500)]
            ids = await post_comments(pair, bodies)
            assert len(set(ids)) == 500
            pending = await call(pair.a, PENDING, {"a": pair.article_id}, pair.moderator)
            assert pending["pendingComments"]["totalCount"] == 500
            assert await stored_comments(pair) == Counter(bodies)
            async with approvals(pair.host_b, pair.article_id) as ws:
                await call(pair.a, APPROVE, {"id": ids[7]}, pair.moderator)
                assert await next_approved(ws) == {"id": ids[7], "body": bodies[7]}


# --- the claims themselves, many at once ------------------------------------------------


async def test_claims_made_at_the_same_moment_share_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many claims at once on PostgreSQL (each on its own connection): every due webhook
    row and every due scheduled translation goes to exactly one of them."""
    monkeypatch.setattr(publishing, "PROMOTE_BATCH", 10)  # many small claims, at once
    settings = (await make_settings(tmp_path)).with_changes(
        database_url=await postgres_database_url()
    )
    async with running_app(settings) as client:
        editor = (await make_tokens())["editor"]
        at = datetime.now(UTC) + timedelta(hours=1)
        for i in range(60):
            created = await gql(client, CREATE, {"t": f"Planlagd sak {i}"}, bearer(editor))
            article_id = created["data"]["createArticle"]["article"]["id"]
            published = await gql(
                client, PUBLISH, {"id": article_id, "at": at.isoformat()}, bearer(editor)
            )
            assert published["data"]["publishArticle"]["errors"] == []
        due = at + timedelta(minutes=1)
        outboxes = [Outbox(()) for _ in range(8)]
        promoted = await asyncio.gather(*(promote_due(due, outbox) for outbox in outboxes))
        announced = [event for outbox in outboxes for event in outbox.events]
        assert len(announced) == sum(len(rows) for rows in promoted) == 60
        assert len({event.article_id for event in announced}) == 60
        statuses = await ArticleTranslation.all().values_list("status", flat=True)
        assert set(statuses) == {PublicationStatus.PUBLISHED}

        now = datetime.now(UTC)
        await WebhookDelivery.bulk_create(
            WebhookDelivery(
                url="http://127.0.0.1:9/hook",
                event="article.published",
                payload="{}",
                next_attempt_at=now - timedelta(seconds=i),
                created_at=now,
            )
            for i in range(400)
        )
        until = now + timedelta(seconds=60)
        claims = await asyncio.gather(*(claim(now, until, 50) for _ in range(12)))
        ids = [row.id for rows in claims for row in rows]
        assert len(ids) == len(set(ids)) == 400
        assert sorted(len(rows) for rows in claims)[-1] <= 50
        assert all(row.attempts == 1 for rows in claims for row in rows)
        assert await WebhookDelivery.filter(attempts=1, next_attempt_at=until).count() == 400


# --- forwarded headers ----------------------------------------------------------------


@pytest.mark.parametrize("trusted", [True, False])
async def test_forwarded_for_is_believed_only_from_the_listed_proxies(
    tmp_path: Path, trusted: bool
) -> None:
    """Behind a trusted proxy (by default one on 127.0.0.1), the client is the one
    X-Forwarded-For names (and the read limit counts it); with
    CONTENTAPI_FORWARDED_ALLOW_IPS empty the header is ignored, and the client stays the
    loopback proxy (not counted)."""
    env = {"CONTENTAPI_READ_RATE_LIMIT": "3/minute"}
    if not trusted:
        env["CONTENTAPI_FORWARDED_ALLOW_IPS"] = ""
    async with (
        configured_server_process(tmp_path, demo=False, **env) as (base, _),
        httpx.AsyncClient(base_url=base, timeout=10) as client,
    ):
        forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        codes = [
            (await client.get("/graphql?query={__typename}", headers=forwarded)).status_code
            for _ in range(5)
        ]
    assert codes == ([200, 200, 200, 429, 429] if trusted else [200] * 5)
