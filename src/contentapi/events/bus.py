"""Publish/subscribe for events: in process, or across processes through Redis.

The bus knows no domain: event classes live with their domain and register here.
Through Redis, a process that loses its connection (or starts without one) subscribes
again by itself, and sends what waited once Redis answers; events published while its
subscription was down are not replayed (pub/sub keeps nothing), but what they changed
is in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import datetime
from typing import Any, Protocol, TypeVar

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

logger = logging.getLogger("contentapi.events")

QUEUE_SIZE = 1000


class Event(Protocol):
    """What a domain announces: a frozen dataclass registered with :func:`event_type`.

    ``name`` is what receivers see (``article.published``); :meth:`body` is the JSON
    object a webhook receiver gets.
    """

    @property
    def name(self) -> str:
        """What receivers see, such as ``article.published``."""
        ...

    @property
    def occurred_at(self) -> datetime:
        """When it happened (UTC)."""
        ...

    @property
    def webhook(self) -> bool:
        """Whether webhook receivers are sent it (the others only reach caches and
        subscribers)."""
        ...

    def body(self) -> dict[str, object]:
        """The webhook body's fields."""
        ...


_TYPES: dict[str, type[Any]] = {}
E = TypeVar("E")


def event_type(cls: type[E]) -> type[E]:
    """Register a domain's event class, so events of it can cross processes."""
    _TYPES[cls.__name__] = cls
    return cls


class EventBus:
    """In-process fan-out to every subscriber; a slow subscriber loses events, never blocks."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Event]] = set()
        # called with events that arrive from other processes (see RedisEventBus)
        self.on_remote: Callable[[Event], None] | None = None

    async def start(self) -> None:
        """Connect to whatever carries events between processes (nothing, here)."""

    async def stop(self) -> None:
        """Disconnect."""

    async def retry(self) -> None:
        """Send what could not be sent before (nothing waits, here)."""

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
SEND_SECONDS = 5.0  # a publish that takes longer (a half-open connection) is retried later
RECONNECT_SECONDS = 5.0  # the longest wait between tries to subscribe again


def encode(event: Event) -> bytes:
    """An event as JSON, for Redis (datetimes as ISO 8601)."""
    return orjson.dumps({"type": type(event).__name__, "data": event})  # dataclasses, natively


def decode(raw: bytes | str) -> Event:
    """The event :func:`encode` wrote."""
    message = orjson.loads(raw)
    cls = _TYPES[message.pop("type")]
    data = message.get("data", message)  # the fields were at the top before (rolling deploys)
    for item in fields(cls):
        if "datetime" in str(item.type) and data.get(item.name):
            data[item.name] = datetime.fromisoformat(data[item.name])
    event: Event = cls(**data)
    return event


class RedisEventBus(EventBus):
    """Events through Redis pub/sub, so subscribers of every process hear every event."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._redis: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._unsent: deque[bytes] = deque(maxlen=QUEUE_SIZE)  # kept while Redis is away
        self._sending = asyncio.Lock()

    async def start(self) -> None:
        """Subscribe to the channel; if Redis does not answer, the listener keeps trying
        (the server starts without it: nothing it holds is not also in the database)."""
        self._redis = Redis.from_url(self.url)
        pubsub = self._redis.pubsub()
        subscribed = True
        try:
            await asyncio.wait_for(pubsub.subscribe(CHANNEL), SEND_SECONDS)
        except Exception as exc:
            logger.warning("redis events: cannot subscribe yet (%s); retrying", _why(exc))
            subscribed = False
        self._listener = asyncio.create_task(self._listen(pubsub, subscribed), name="redis-events")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()

    async def publish(self, event: Event) -> None:
        # every process, this one included, hears it back from Redis: delivered once each
        self._unsent.append(encode(event))
        await self.retry()

    async def retry(self) -> None:
        """Send what waits, oldest first. On failure it waits for the next event or the
        next background round (the write has committed, and its webhooks are rows in the
        database); past QUEUE_SIZE waiting events the oldest are dropped. Before
        :meth:`start` (a command-line write) nothing is sent."""
        if self._redis is None:
            return
        async with self._sending:  # one sender at a time: each event goes once, in order
            while self._unsent:
                message = self._unsent[0]
                try:
                    await asyncio.wait_for(self._redis.publish(CHANNEL, message), SEND_SECONDS)
                except Exception as exc:
                    waiting = len(self._unsent)
                    logger.warning("could not publish to redis (%s); %d wait", _why(exc), waiting)
                    return
                if self._unsent and self._unsent[0] is message:  # not pushed out meanwhile
                    self._unsent.popleft()

    async def _listen(self, pubsub: PubSub, subscribed: bool) -> None:
        try:
            if not subscribed:
                await self._resubscribe(pubsub)
            while True:
                try:
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            event = decode(message["data"])
                            if self.on_remote is not None:
                                self.on_remote(event)
                            self._fan_out(event)
                except Exception as exc:  # a dropped connection: reconnect, however long
                    logger.warning("redis event listener lost its connection: %s", _why(exc))
                    await self._resubscribe(pubsub)
        finally:
            with contextlib.suppress(Exception):  # Redis may be gone: nothing to close then
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _resubscribe(self, pubsub: PubSub) -> None:
        """Subscribe again, trying every :data:`RECONNECT_SECONDS` at most; events sent
        while no subscription was open are not heard (pub/sub keeps nothing), but what
        they changed is in the database, and caches follow the content version."""
        delay = 0.5
        while True:
            await asyncio.sleep(delay)
            try:
                await asyncio.wait_for(pubsub.subscribe(CHANNEL), SEND_SECONDS)
            except Exception as exc:
                delay = min(delay * 2, RECONNECT_SECONDS)
                logger.warning("redis still unreachable (%s); next try in %.0f s", _why(exc), delay)
            else:
                logger.info("redis events: subscribed again")
                return


def _why(exc: BaseException) -> str:
    """One line on a Redis failure (no traceback: an outage is not a bug)."""
    return f"{type(exc).__name__}: {exc}"[:300] if str(exc) else type(exc).__name__
