"""In-process publish/subscribe for article events (subscriptions listen here)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

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


class EventBus:
    """Fan-out to every current subscriber; a slow subscriber loses events, never blocks."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[ArticleEvent]] = set()

    def publish(self, event: ArticleEvent) -> None:
        """Hand ``event`` to every subscriber."""
        for queue in list(self._queues):
            if queue.full():
                continue
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[ArticleEvent]]:
        """A queue that receives every event published while the block runs."""
        queue: asyncio.Queue[ArticleEvent] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)
