"""The shared objects of a process, built in one place for the app and the command line.

Settings, locales, catalogs, the clock, media storage, the event hub (with the domain's
background jobs handed to it), the comment rate limiter, client keys, the response cache
and persisted queries. Per-request
state lives in ``graphql.context``; nothing here reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from contentapi.articles import pending, publishing
from contentapi.articles.actor import Actor
from contentapi.articles.queries import next_scheduled
from contentapi.cache.persisted import PersistedQueries
from contentapi.cache.responses import POLL_SECONDS, POLL_SECONDS_WITH_REDIS, ResponseCache
from contentapi.comments.clients import ClientKeys
from contentapi.events.hub import EventHub
from contentapi.events.outbox import Outbox
from contentapi.i18n import Catalogs, Locales
from contentapi.limits import RateLimiter
from contentapi.media.storage import LocalStorage, Storage
from contentapi.settings import Settings
from contentapi.site_urls import SiteUrls


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


SCHEDULER = "scheduler"  # the author of what background jobs write


@dataclass(frozen=True)
class Runtime:
    """What every request and command shares.

    Each part is built when first used, so a command that only needs locales (``migrate``,
    the PO import) neither reads the UI catalogs nor opens a webhook client; the app asks
    for everything at start (:func:`build_runtime` with ``serving``).
    """

    settings: Settings
    clock: Callable[[], datetime] = utc_now

    @cached_property
    def locales(self) -> Locales:
        """The configured locales and their fallback chains."""
        return self.settings.make_locales()

    @cached_property
    def site_urls(self) -> SiteUrls | None:
        """The public site's URL rule (None: no ``CONTENTAPI_PUBLIC_SITE_URL``)."""
        return self.settings.make_site_urls()

    @cached_property
    def catalogs(self) -> Catalogs:
        """The UI catalogs (a missing one is a ConfigError)."""
        return Catalogs.load(self.settings.locale_dir, self.settings.locales)

    @cached_property
    def events(self) -> EventHub:
        """The event hub, with the domain's background jobs handed to it."""
        settings = self.settings
        return EventHub(
            self.clock,
            settings.webhook_urls,
            settings.webhook_secret,
            interval_seconds=settings.worker_interval_seconds,
            max_attempts=settings.webhook_max_attempts,
            retry_base_seconds=settings.webhook_retry_seconds,
            redis_url=settings.redis_url,
            jobs=(publishing.promote_due, self.publish_due_pending),
        )

    @cached_property
    def comment_limiter(self) -> RateLimiter:
        """Comments per client."""
        return RateLimiter(self.settings.comment_rate_limit, self.settings.redis_url)

    @cached_property
    def clients(self) -> ClientKeys:
        """Salted client hashes."""
        return ClientKeys()

    @cached_property
    def storage(self) -> Storage:
        """Where media files are kept."""
        return LocalStorage(self.settings.media_dir)

    @cached_property
    def cache(self) -> ResponseCache:
        """The anonymous response cache; it hears of every change (see :func:`build_runtime`)."""
        settings = self.settings
        cache = ResponseCache(
            settings.cache_max_bytes,
            self.clock,
            lambda now: next_scheduled(now, self.locales.codes),
            poll_seconds=POLL_SECONDS_WITH_REDIS if settings.redis_url else POLL_SECONDS,
        )
        self.events.listen(committed=cache.written_here, remote=cache.heard)
        return cache

    @cached_property
    def persisted(self) -> PersistedQueries:
        """Persisted queries known to this process: the manifest's, then automatic ones."""
        queries = PersistedQueries()
        if self.settings.persisted_queries_file is not None:
            queries.load_manifest(self.settings.persisted_queries_file)
        return queries

    async def publish_due_pending(self, now: datetime, outbox: Outbox) -> int:
        """The job that applies pending changes scheduled for now or before."""
        return await pending.apply_due(Actor(SCHEDULER, now, self.locales), outbox)

    def actor(self, name: str) -> Actor:
        """``name`` writing now, for the configured locales."""
        return Actor(name, self.clock(), self.locales)


def build_runtime(
    settings: Settings, clock: Callable[[], datetime] = utc_now, *, serving: bool = False
) -> Runtime:
    """The shared objects; with ``serving`` all are built now, so a missing catalog or a
    bad setting stops the server's start rather than its first request."""
    runtime = Runtime(settings, clock)
    if serving:
        parts = (
            "locales",
            "catalogs",
            "events",
            "comment_limiter",
            "clients",
            "storage",
            "cache",
            "persisted",  # the persisted-query manifest
        )
        for part in parts:
            getattr(runtime, part)
    return runtime
