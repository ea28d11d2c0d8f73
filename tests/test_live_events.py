"""Webhooks to a receiver on loopback, and the articlePublished subscription over a websocket,
against the app served by a real uvicorn server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contentapi.app import create_app
from contentapi.articles.models import ArticleTranslation
from contentapi.events.models import WebhookDelivery
from contentapi.events.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.conftest import bearer, free_port, make_settings, make_tokens, serve

SECRET = "test-secret"
CREATE = """mutation($t: String!) { createArticle(input: {locale: "nb", title: $t,
  body: "<p>Tekst</p>"}) { article { id } errors { code } } }"""
PUBLISH = """mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, locale: "nb", at: $at) {
  article { id } errors { code } } }"""


class Receiver:
    """A webhook receiver that fails its first ``failures`` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[tuple[int, dict[str, str], bytes]] = []

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        status = 500 if len(self.calls) < self.failures else 200
        self.calls.append((status, dict(request.headers), body))
        return JSONResponse({"ok": status == 200}, status_code=status)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.endpoint, methods=["POST"])])


async def wait_for(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[tuple[str, dict[str, str], Receiver, str]]:
    receiver = Receiver(failures=1)
    receiver_port, dead_port = free_port(), free_port()
    async with serve(receiver.app(), receiver_port):
        settings = (await make_settings(tmp_path)).with_changes(
            webhook_urls=(
                f"http://127.0.0.1:{receiver_port}/hook",
                f"http://127.0.0.1:{dead_port}/nobody-listens",
            ),
            webhook_secret=SECRET,
            webhook_retry_seconds=0.1,
            webhook_max_attempts=3,
            worker_interval_seconds=0.05,
        )
        async with serve(create_app(settings), free_port()) as host:
            tokens = await make_tokens()
            yield host, tokens, receiver, f"http://127.0.0.1:{dead_port}/nobody-listens"


async def post(host: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=f"http://{host}", timeout=10) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=bearer(token)
        )
        return dict(response.json())


async def test_webhooks_are_signed_retried_and_never_block(live: Any) -> None:
    host, tokens, receiver, dead_url = live
    created = await post(host, tokens["editor"], CREATE, {"t": "Varsla sak"})
    article_id = created["data"]["createArticle"]["article"]["id"]
    started = time.monotonic()
    published = await post(host, tokens["editor"], PUBLISH, {"id": article_id})
    assert published["data"]["publishArticle"]["errors"] == []
    assert time.monotonic() - started < 2  # neither receiver slowed the mutation down
    await wait_for(lambda: any(status == 200 for status, _, _ in receiver.calls))
    assert [status for status, _, _ in receiver.calls] == [500, 200]  # retried once
    _, headers, body = receiver.calls[-1]
    timestamp = headers[TIMESTAMP_HEADER.lower()]
    assert abs(int(timestamp) - time.time()) < 60
    assert headers[SIGNATURE_HEADER.lower()] == sign(SECRET, timestamp, body)
    assert headers["x-contentapi-event"] == "article.published"
    event = json.loads(body)
    assert event["event"] == "article.published" and event["locale"] == "nb"
    assert event["slug"] == "varsla-sak" and event["title"] == "Varsla sak"
    delivered = await WebhookDelivery.get(url__endswith="/hook")
    assert delivered.delivered_at is not None and delivered.attempts == 2
    dead = await WebhookDelivery.get(url=dead_url)
    assert dead.delivered_at is None and dead.attempts >= 1 and dead.last_error


async def test_subscribers_hear_of_publishing_including_scheduled(live: Any) -> None:
    host, tokens, receiver, _ = live
    async with websockets.connect(
        f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": 'subscription { articlePublished(locale: "nn") '
                        "{ title locale requestedLocale isFallback } }"
                    },
                }
            )
        )
        created = await post(host, tokens["editor"], CREATE, {"t": "Berre på bokmål"})
        article_id = created["data"]["createArticle"]["article"]["id"]
        await post(host, tokens["editor"], PUBLISH, {"id": article_id})
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["type"] == "next", message
        assert message["payload"]["data"]["articlePublished"] == {
            "title": "Berre på bokmål",
            "locale": "nb",
            "requestedLocale": "nn",
            "isFallback": True,
        }
        # a scheduled translation is announced at its time, by the background worker
        created = await post(host, tokens["editor"], CREATE, {"t": "Planlagd sak"})
        scheduled_id = created["data"]["createArticle"]["article"]["id"]
        at = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()
        result = await post(host, tokens["editor"], PUBLISH, {"id": scheduled_id, "at": at})
        assert result["data"]["publishArticle"]["errors"] == []
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["payload"]["data"]["articlePublished"]["title"] == "Planlagd sak"
        assert datetime.now(UTC) >= datetime.fromisoformat(at)
    await wait_for(
        lambda: any(
            json.loads(body)["title"] == "Planlagd sak"
            for status, _, body in receiver.calls
            if status == 200
        )
    )


async def test_websockets_carry_subscriptions_only(live: Any) -> None:
    host, tokens, _, _ = live
    async with websockets.connect(
        f"ws://{host}/graphql",
        subprotocols=["graphql-transport-ws"],
        additional_headers=bearer(tokens["editor"]),
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "w",
                    "type": "subscribe",
                    "payload": {
                        "query": 'mutation { createArticle(input: {locale: "nb", title: "Over ws", '
                        'body: "x"}) { errors { code } } }'
                    },
                }
            )
        )
        refused = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "subscriptions only" in refused["payload"][0]["extensions"]["detail"]
        await ws.send(
            json.dumps(
                {
                    "id": "l",
                    "type": "subscribe",
                    "payload": {
                        "query": 'subscription { articlePublished(locale: "xx") { title } }'
                    },
                }
            )
        )
        bad = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert bad["type"] == "next"
        assert bad["payload"]["errors"][0]["extensions"]["code"] == "UNKNOWN_LOCALE"
    async with httpx.AsyncClient(base_url=f"http://{host}") as client:
        body = (
            await client.post(
                "/graphql",
                json={"query": 'query { search(query: "Over ws", locale: "nb") { totalCount } }'},
            )
        ).json()
    assert await ArticleTranslation.filter(title="Over ws").count() == 0
    assert body["data"]["search"]["totalCount"] == 0
