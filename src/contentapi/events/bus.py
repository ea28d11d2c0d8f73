"""Publish/subscribe for events: in process, or across processes through Redis."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import datetime

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

logger = logging.getLogger("contentapi.events")

QUEUE_SIZE = 1000


@dataclass(frozen=True)
class ArticleEvent:
    """A translation became visible (``article.published``) or stopped being so."""

    name: str  # "article.published" | "article.unpublished"
    article_id: int
    locale: str
    slug: str
    title: str
    published_at: datetime | None
    occurred_at: datetime


@dataclass(frozen=True)
class CommentEvent:
    """A comment became visible (``comment.approved``)."""

    name: str
    comment_id: int
    article_id: int
    occurred_at: datetime


Event = ArticleEvent | CommentEvent


class EventBus:
    """In-process fan-out to every subscriber; a slow subscriber loses events, never blocks."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Event]] = set()

    async def start(self) -> None:
        """Connect to whatever carries events between processes (nothing, here)."""

    async def stop(self) -> None:
        """Disconnect."""

    async def publish(self, event: Event) -> None:
        """Send ``event`` to every subscriber."""
        self._fan_out(event)

    def _fan_out(self, event: Event) -> None:
        for queue in list(self._queues):
            if queue.full():
                continue
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Event]]:
        """A queue that receives every event published while the block runs."""
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)


CHANNEL = "contentapi:events"


def encode(event: Event) -> bytes:
    """An event as JSON, for Redis."""
    data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(event).items()}
    return orjson.dumps({"type": type(event).__name__, **data})


def decode(raw: bytes | str) -> Event:
    """The event :func:`encode` wrote."""
    data = orjson.loads(raw)
    kind = data.pop("type")
    for key in ("published_at", "occurred_at"):
        if data.get(key):
            data[key] = datetime.fromisoformat(data[key])
    return ArticleEvent(**data) if kind == "ArticleEvent" else CommentEvent(**data)


class RedisEventBus(EventBus):
    """Events through Redis pub/sub, so subscribers of every process hear every event."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._redis: Redis | None = None
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._redis = Redis.from_url(self.url)
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        self._listener = asyncio.create_task(self._listen(pubsub), name="redis-events")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()

    async def publish(self, event: Event) -> None:
        # every process, this one included, hears it back from Redis: delivered once each
        assert self._redis is not None, "start() first"
        try:
            await self._redis.publish(CHANNEL, encode(event))
        except Exception:
            # the write itself has committed; live subscribers miss this one event, and the
            # webhook outbox (in the database) still delivers it
            logger.exception("could not publish %s to redis", type(event).__name__)

    async def _listen(self, pubsub: PubSub) -> None:
        while True:
            try:
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._fan_out(decode(message["data"]))
            except asyncio.CancelledError:
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                raise
            except Exception:  # a dropped connection: reconnect, however long it takes
                logger.exception("redis event listener failed; reconnecting")
                await self._resubscribe(pubsub)

    async def _resubscribe(self, pubsub: PubSub) -> None:
        delay = 0.5
        while True:
            await asyncio.sleep(delay)
            try:
                await pubsub.subscribe(CHANNEL)
                return
            except Exception:
                delay = min(delay * 2, 30.0)
                logger.warning("redis still unreachable; next try in %.0f s", delay)
