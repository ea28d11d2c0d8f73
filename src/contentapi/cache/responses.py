"""The anonymous response cache: answers by key, true until content changes or time moves
past what they show.

An answer is kept until the first of: an invalidation (any change readers can see, in
any process), the next scheduled publication, the moment a relative date in it would
read differently, and a safety limit of :data:`LONGEST` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from contentapi import db
from contentapi.cache.keys import Lookup
from contentapi.cache.store import Entry, ResponseStore, strong_etag
from contentapi.events.bus import Event
from contentapi.events.outbox import content_version

logger = logging.getLogger("contentapi.cache")
LONGEST = timedelta(minutes=10)
POLL_SECONDS = 0.05  # how often the content version is read without Redis
POLL_SECONDS_WITH_REDIS = 1.0  # with Redis, events arrive pushed; this is the safety net

# when the next scheduled translation goes live (None: none is scheduled)
NextChange = Callable[[datetime], Awaitable[datetime | None]]


class ResponseCache:
    """One per process; :meth:`start` follows the content version, :meth:`invalidate`
    is called for every event (see ``EventHub.listen``)."""

    def __init__(
        self,
        max_bytes: int,
        clock: Callable[[], datetime],
        next_change: NextChange,
        *,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.store = ResponseStore(max_bytes)
        self.clock = clock
        self.next_change = next_change
        self.poll_seconds = poll_seconds
        self._horizon: datetime | None = None
        self._horizon_generation = -1  # the store's generation it was read for
        self._reading: asyncio.Task[None] | None = None
        self._catching_up: set[asyncio.Task[None]] = set()
        self._seen_version: int | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        """Whether answers are kept at all (CONTENTAPI_CACHE_MAX_BYTES > 0)."""
        return self.store.enabled

    @property
    def generation(self) -> int:
        """Take this before computing an answer; :meth:`keep` refuses it if content
        changed meanwhile."""
        return self.store.generation

    def find(self, lookup: Lookup) -> tuple[str, Entry] | None:
        """The kept answer for a request, and its key."""
        now = self.clock()
        for key in (lookup.common, lookup.localized):
            entry = self.store.get(key, now)
            if entry is not None:
                self.store.stats.hits += 1
                return key, entry
        self.store.stats.misses += 1
        return None

    def keep(
        self,
        lookup: Lookup,
        generation: int,
        body: bytes,
        content_type: str,
        *,
        negotiated: bool,
        valid_until: datetime | None,
        now: datetime,
        content_language: str | None = None,
    ) -> tuple[Entry, str | None]:
        """Make the entry for an answer computed at ``now`` (and keep it, if content did
        not change meanwhile); ``valid_until`` is when something in it would read
        differently (a relative date). Also says under which key it was kept, if it was."""
        expires = now + LONGEST
        known = self._horizon_generation == self.store.generation and not (
            self._horizon is not None and self._horizon <= now
        )
        if not known:
            self._read_horizon_soon()  # entries kept meanwhile are settled when it is read
        for limit in (valid_until, self._horizon if known else None):
            if limit is not None and limit < expires:
                expires = limit
        entry = Entry(body, strong_etag(body), content_type, negotiated, expires, known)
        entry.content_language = content_language
        key = lookup.localized if negotiated else lookup.common
        if expires > now and self.store.put(key, entry, generation):
            return entry, key
        return entry, None

    def heard(self, event: Event) -> None:
        """Another process's event, from Redis: catch up as for a write of this one."""
        task = asyncio.create_task(self.written_here(), name="cache-version")
        self._catching_up.add(task)
        task.add_done_callback(self._catching_up.discard)

    def invalidate(self, event: Event | None = None) -> None:
        """Forget every answer: something readers can see changed."""
        self.store.invalidate()
        self._read_horizon_soon()

    def _read_horizon_soon(self) -> None:
        # off the request path: no answer waits for this query
        if self._reading is None or self._reading.done():
            with contextlib.suppress(RuntimeError):  # no event loop (not serving)
                self._reading = asyncio.create_task(self._read_horizon(), name="cache-horizon")

    async def _read_horizon(self) -> None:
        generation = self.store.generation
        try:
            horizon = await self.next_change(self.clock())
        except Exception:
            logger.exception("could not read the next scheduled publication")
            return
        self._horizon, self._horizon_generation = horizon, generation
        if generation == self.store.generation:
            self.store.settle(horizon)

    async def start(self) -> None:
        """Follow the content version, so writes in other processes reach this one."""
        self._seen_version = await content_version()
        await self._read_horizon()
        self._task = asyncio.create_task(self._follow(), name="cache-version")

    async def stop(self) -> None:
        """Stop following."""
        for task in (self._task, self._reading):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def check_version(self) -> None:
        """Invalidate if the content version moved since last seen."""
        version = await content_version()
        if version != self._seen_version:
            self._seen_version = version
            self.invalidate()

    async def written_here(self, events: object = None) -> None:
        """A change was committed (here, or elsewhere and heard through Redis): forget
        everything, and take the version read just before as seen, so the poll does not
        empty the cache again for it (a change committed after that read moves the
        version past it)."""
        try:
            version = await content_version()
        except Exception:  # the database is away: forget anyway; the poll catches up
            logger.exception("could not read the content version")
            self.invalidate()
            return
        self.invalidate()
        if self._seen_version is None or version > self._seen_version:
            self._seen_version = version

    async def _follow(self) -> None:
        away = False  # said once when the database goes, once when it is back (20 polls a s)
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.check_version()
            except Exception as exc:  # the database is away: keep nothing that may be stale
                if not away and db.unavailable(exc):
                    logger.warning("could not read the content version: the database is away")
                elif not away:
                    logger.exception("could not read the content version")
                away = True
                self.invalidate()
            else:
                if away:
                    logger.info("the content version can be read again")
                away = False
