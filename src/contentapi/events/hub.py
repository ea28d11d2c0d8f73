"""The app's event machinery: the bus, the webhook dispatcher and the background loop.

The one way events leave a write: :meth:`EventHub.recording` hands the write an outbox,
and sends what it recorded once the write has returned (committed). Domain jobs (such
as scheduled publishing) are handed in at construction; this package knows no domain.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

import httpx

from contentapi import db
from contentapi.events.bus import Event, EventBus, RedisEventBus
from contentapi.events.outbox import Outbox
from contentapi.events.webhooks import Dispatcher

logger = logging.getLogger("contentapi.events")

# a background job: runs every interval with the time and an outbox for what it announces
Job = Callable[[datetime, Outbox], Awaitable[object]]


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
        redis_url: str | None = None,
        jobs: Sequence[Job] = (),
    ) -> None:
        self.clock = clock
        self.jobs = tuple(jobs)
        self.bus: EventBus = RedisEventBus(redis_url) if redis_url else EventBus()
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
        self._tasks: list[asyncio.Task[None]] = []
        self._committed: list[Callable[[list[Event]], Awaitable[None]]] = []
        self._remote: list[Callable[[Event], None]] = []
        self.bus.on_remote = self._heard

    def listen(
        self,
        committed: Callable[[list[Event]], Awaitable[None]],
        remote: Callable[[Event], None],
    ) -> None:
        """Hear of changes: ``committed`` with the events of each write of this process
        once it has committed (awaited before the write's answer is sent), ``remote``
        with each event of another process as it arrives (through Redis)."""
        self._committed.append(committed)
        self._remote.append(remote)

    def _heard(self, event: Event) -> None:
        for listener in self._remote:
            listener(event)

    @asynccontextmanager
    async def recording(self) -> AsyncIterator[Outbox]:
        """An outbox for one write. When the block ends normally, what it recorded goes
        to subscribers and the webhooks are woken; when it raises, nothing is sent."""
        outbox = Outbox(self.webhook_urls)
        yield outbox
        if outbox.events:
            for listener in self._committed:
                await listener(outbox.events)
        for event in outbox.events:
            await self.bus.publish(event)
        if outbox.events:
            self._wake.set()

    async def run_jobs(self) -> None:
        """One round of every job, each announcing through its own outbox; a failing job
        is logged and retried next round, and does not stop the others. Events the bus
        could not send before are retried first."""
        await self.bus.retry()
        for job in self.jobs:
            try:
                async with self.recording() as outbox:
                    await job(self.clock(), outbox)
            except Exception as exc:
                name = getattr(job, "__name__", job)
                if _database_fault(exc):  # one line a round, not a traceback
                    logger.warning("background job %s: the database is not available", name)
                else:
                    logger.exception("background job %s failed", name)

    @asynccontextmanager
    async def connected(self) -> AsyncIterator[None]:
        """The bus, without the background loops: for a command's writes to reach running
        servers at once (through Redis) rather than at their next version check."""
        await self.bus.start()
        try:
            yield
        finally:
            await self.bus.stop()

    async def start(self) -> None:
        """Begin the background loops (in the lifespan, after the database is up).

        Scheduling and delivery run apart, so a slow receiver never delays publishing.
        """
        await self.bus.start()
        self._tasks = [asyncio.create_task(self._every_interval(self.run_jobs), name="jobs")]
        if self.webhook_urls:
            self._tasks.append(
                asyncio.create_task(self._on_wake(self.dispatcher.run_once), name="webhooks")
            )

    async def stop(self) -> None:
        """End the loops and close the HTTP client."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.dispatcher.close()
        await self.bus.stop()

    async def _every_interval(self, work: Callable[[], Awaitable[object]]) -> None:
        while True:
            await self._round(work)
            await asyncio.sleep(self.interval)

    async def _on_wake(self, work: Callable[[], Awaitable[object]]) -> None:
        while True:
            await self._round(work)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()

    async def _round(self, work: Callable[[], Awaitable[object]]) -> None:
        try:
            await work()
        except Exception as exc:  # keep the loop alive; the next round retries
            if _database_fault(exc):  # one line a round, not a traceback
                logger.warning("background round: the database is not available")
            else:
                logger.exception("background round failed")


def _database_fault(exc: Exception) -> bool:
    """The database is locked, gone or does not answer (a connect that timed out)."""
    return db.unavailable(exc) or isinstance(exc, TimeoutError)
