"""The shared objects of a process, built in one place for the app and the command line.

Settings, locales, catalogs, the clock, media storage, the event hub (with the domain's
background jobs handed to it), the comment rate limiter and client keys. Per-request
state lives in ``graphql.context``; nothing here reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from contentapi.articles import publishing
from contentapi.articles.actor import Actor
from contentapi.comments.clients import ClientKeys
from contentapi.events.hub import EventHub
from contentapi.i18n import Catalogs, Locales
from contentapi.limits import RateLimiter
from contentapi.media.storage import LocalStorage, Storage
from contentapi.settings import Settings


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Runtime:
    """What every request and command shares."""

    settings: Settings
    locales: Locales
    catalogs: Catalogs
    clock: Callable[[], datetime]
    events: EventHub
    comment_limiter: RateLimiter
    clients: ClientKeys
    storage: Storage

    def actor(self, name: str) -> Actor:
        """``name`` writing now, for the configured locales."""
        return Actor(name, self.clock(), self.locales)


def build_runtime(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Runtime:
    """Everything shared, checked now: a missing catalog stops the start."""
    events = EventHub(
        clock,
        settings.webhook_urls,
        settings.webhook_secret,
        interval_seconds=settings.worker_interval_seconds,
        max_attempts=settings.webhook_max_attempts,
        retry_base_seconds=settings.webhook_retry_seconds,
        redis_url=settings.redis_url,
        jobs=(publishing.promote_due,),
    )
    return Runtime(
        settings=settings,
        locales=settings.make_locales(),
        catalogs=Catalogs.load(settings.locale_dir, settings.locales),
        clock=clock,
        events=events,
        comment_limiter=RateLimiter(settings.comment_rate_limit, settings.redis_url),
        clients=ClientKeys(),
        storage=LocalStorage(settings.media_dir),
    )
