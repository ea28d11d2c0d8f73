"""The app's event machinery: the bus, the webhook dispatcher and the scheduler loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

import httpx

from contentapi.articles.services import promote_due
from contentapi.events.bus import EventBus
from contentapi.events.outbox import Outbox
from contentapi.events.webhooks import Dispatcher

logger = logging.getLogger("contentapi.events")


class EventHub:
    """Owned by the app's lifespan: :meth:`start` begins the background loop."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        webhook_urls: tuple[str, ...],
        webhook_secret: str,
        *,
        interval_seconds: float = 1.0,
        max_attempts: int = 8,
        retry_base_seconds: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.clock = clock
        self.bus = EventBus()
        self.webhook_urls = webhook_urls
        self.interval = interval_seconds
        self.dispatcher = Dispatcher(
            webhook_secret,
            clock,
            max_attempts=max_attempts,
            retry_base_seconds=retry_base_seconds,
            transport=transport,
        )
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def outbox(self) -> Outbox:
        """A fresh outbox for one write."""
        return Outbox(self.webhook_urls)

    def delivered(self, outbox: Outbox) -> None:
        """After a write has committed: tell subscribers, and send its webhooks soon."""
        for event in outbox.events:
            self.bus.publish(event)
        if outbox.events:
            self._wake.set()

    async def tick(self) -> None:
        """One round: publish what is due, then send due webhook deliveries."""
        outbox = self.outbox()
        await promote_due(self.clock(), outbox)
        self.delivered(outbox)
        if self.webhook_urls:
            await self.dispatcher.run_once()

    async def start(self) -> None:
        """Begin the background loop (in the lifespan, after the database is up)."""
        self._task = asyncio.create_task(self._loop(), name="contentapi-events")

    async def stop(self) -> None:
        """End the loop and close the HTTP client."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.dispatcher.close()

    async def _loop(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:  # keep the loop alive; the next round retries
                logger.exception("event loop round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()
