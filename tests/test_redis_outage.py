"""Redis going away and coming back under two ``contentapi serve`` processes on one
PostgreSQL: a private ``redis-server`` is stopped, then started again on the same port.

While it is away, readers still post (each comment stored once), moderators approve and
editors publish, and webhooks are still delivered (they are rows in the database). Once
it is back, an approval on server A reaches a subscriber on server B again, on the same
websocket: B's event listener subscribes again by itself. Events sent while no
subscription was open are not replayed (pub/sub keeps nothing); what they changed is in
the database.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.test_workers import (
    APPROVE,
    PUBLISH,
    Pair,
    Receiver,
    approvals,
    call,
    database_id,
    new_article,
    next_approved,
    pg,
    post_comments,
    private_redis,
    stored_comments,
    two_servers,
    wait_until,
    webhook_env,
)

pytestmark = pytest.mark.server

RESUME_SECONDS = 30  # B subscribes again within seconds (at most 5 s between its tries)


async def approve_until_heard(pair: Pair, ws: Any) -> tuple[str, list[str]]:
    """Post and approve a new comment on A until B's subscriber hears one made now; the
    body heard, and every body heard meanwhile (approvals from the outage may come too)."""
    heard: list[str] = []
    deadline = time.monotonic() + RESUME_SECONDS
    attempt = 0
    while True:
        body = f"Etter at Redis kom att, nr. {attempt}"
        (comment_id,) = await post_comments(pair, [body])
        await call(pair.a, APPROVE, {"id": comment_id}, pair.moderator)
        try:
            while True:
                approved = await next_approved(ws, 2)
                heard.append(approved["body"])
                if approved["body"].startswith("Etter at Redis kom att"):
                    return approved["body"], heard
        except TimeoutError:
            assert time.monotonic() < deadline, f"B heard nothing after Redis came back: {heard}"
            attempt += 1


async def all_delivered(pair: Pair, receiver: Receiver) -> list[Any]:
    """The webhook rows, once every one is delivered and the receiver has as many calls."""
    deadline = time.monotonic() + 30
    while True:
        rows = await pg(pair.database_url, 'SELECT "id", "delivered_at" FROM "webhook_delivery"')
        if all(row["delivered_at"] for row in rows) and len(receiver.calls) >= len(rows):
            return rows
        assert time.monotonic() < deadline, f"{len(receiver.calls)} calls for {len(rows)} rows"
        await asyncio.sleep(0.1)


async def test_events_resume_after_redis_comes_back_and_nothing_committed_is_lost(
    tmp_path: Path,
) -> None:
    with Receiver().running() as receiver, private_redis(tmp_path / "redis") as redis:
        async with two_servers(tmp_path, redis.url, **webhook_env(receiver)) as pair:
            async with approvals(pair.host_b, pair.article_id) as ws:
                (first,) = await post_comments(pair, ["Før Redis fall"])
                await call(pair.a, APPROVE, {"id": first}, pair.moderator)
                assert (await next_approved(ws))["body"] == "Før Redis fall"

                redis.stop()
                during = [f"Skriven medan Redis var borte, nr. {i}" for i in range(40)]
                during_ids = await post_comments(pair, during)  # every one answered
                await call(pair.a, APPROVE, {"id": during_ids[0]}, pair.moderator)
                article_id = await new_article(pair.a, pair.editor, "Publisert utan Redis")
                await call(pair.a, PUBLISH, {"id": article_id}, pair.editor)
                published = ("article.published", database_id(article_id))
                await wait_until(
                    lambda: published in receiver.by_event_and_article(), 30, "the webhook"
                )
                await asyncio.sleep(3)  # a longer outage: the listeners try again and again

                redis.start()
                body, heard = await approve_until_heard(pair, ws)
                assert body in heard and len(heard) == len(set(heard)), heard
            stored = await stored_comments(pair)
            assert {text: stored[text] for text in during} == dict.fromkeys(during, 1)
            rows = await all_delivered(pair, receiver)
            await asyncio.sleep(1)  # five rounds more: time for any second delivery
    assert all(row["delivered_at"] is not None for row in rows), rows
    assert sorted(call.delivery for call in receiver.calls) == sorted(str(r["id"]) for r in rows)
    events = Counter(call.event for call in receiver.calls)
    assert events["article.published"] == 2  # the pair's article, and the one without Redis
    assert receiver.by_event_and_article()[published] == 1
