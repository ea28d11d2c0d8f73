"""The one event path: writes record events in an outbox, webhooks are rows written with
the change, the bus hears of it after commit, and a Redis outage loses nothing."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from contentapi.articles.events import PUBLISHED, ArticleEvent
from contentapi.comments.events import CommentEvent
from contentapi.demo.content import SEED
from contentapi.events.bus import RedisEventBus, decode, encode
from contentapi.events.models import WebhookDelivery
from tests.conftest import bearer, gql, make_settings, make_tokens, running_app

REDIS_URL = "redis://127.0.0.1:6379/0"
POST = """mutation($a: ID!) { postComment(input: {articleId: $a, authorName: "Kari",
  email: "kari@example.org", body: "Gratulerer til Træna!"}) { comment { id } errors { code } } }"""
APPROVE = """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
  comment { status } errors { code } } }"""
MOMENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_domain_events_cross_processes_as_they_were() -> None:
    article = ArticleEvent(PUBLISHED, 7, "nn", "ny-pris", "Ny pris", MOMENT, MOMENT)
    comment = CommentEvent("comment.approved", 3, 7, MOMENT)
    assert decode(encode(article)) == article
    assert decode(encode(comment)) == comment


async def test_an_approval_is_a_webhook_written_with_it(tmp_path: Path) -> None:
    settings = await make_settings(
        tmp_path, webhook_urls=("http://127.0.0.1:9/hooks",), webhook_secret="hemmeleg"
    )
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        found = await gql(
            client, "query($s: String!) { article(slug: $s) { id } }", {"s": SEED.slug["nb"]}
        )
        posted = await gql(client, POST, {"a": found["data"]["article"]["id"]})
        comment_id = posted["data"]["postComment"]["comment"]["id"]
        for _ in range(2):  # the second approval changes nothing and announces nothing
            approved = await gql(
                client, APPROVE, {"id": comment_id}, headers=bearer(tokens["moderator"])
            )
            assert approved["data"]["moderateComment"]["comment"]["status"] == "APPROVED"
        rows = await WebhookDelivery.filter(event="comment.approved")
        assert len(rows) == 1
        body = json.loads(rows[0].payload)
        assert body["event"] == "comment.approved" and body["commentId"] > 0


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


async def test_events_wait_while_redis_is_away(monkeypatch: pytest.MonkeyPatch) -> None:
    if not redis_answers():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    bus = RedisEventBus(REDIS_URL)
    await bus.start()
    try:
        async with bus.subscribe() as queue:
            await asyncio.sleep(0.2)  # subscribed on the Redis side
            assert bus._redis is not None
            working = bus._redis.publish
            failures = [1]

            async def flaky(channel: str, message: Any) -> int:
                if failures:
                    failures.pop()
                    raise redis.ConnectionError("Redis went away")
                return int(await working(channel, message))

            monkeypatch.setattr(bus._redis, "publish", flaky)
            first = ArticleEvent(PUBLISHED, 1, "nb", "forste", "Første", MOMENT, MOMENT)
            second = ArticleEvent(PUBLISHED, 2, "nn", "andre", "Andre", MOMENT, MOMENT)
            await bus.publish(first)  # Redis refuses: kept, not lost
            await bus.publish(second)  # Redis is back: both go, in order
            heard = [await asyncio.wait_for(queue.get(), 5) for _ in range(2)]
            assert heard == [first, second]
    finally:
        await bus.stop()
