"""What a write announces: webhook rows in its transaction, bus events after commit."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from tortoise.expressions import F

from contentapi import sql
from contentapi.events.bus import Event
from contentapi.events.models import ContentVersion, WebhookDelivery

CONTENT_VERSION_ROW = 1  # made by migration 0007


def payload(event: Event) -> bytes:
    """The JSON body a webhook receiver gets (and whose bytes are signed)."""
    return orjson.dumps({"event": event.name, **event.body()})


@dataclass
class Outbox:
    """Collects the events of one write; call :meth:`record` inside its transaction.

    Every event is kept twice: in the database with the change (webhook rows, and the
    content version that tells every process's cache), so a crash or a Redis outage loses
    none; and in :attr:`events`, for the bus once the write commits.
    """

    webhook_urls: tuple[str, ...]
    events: list[Event] = field(default_factory=list)

    async def record(self, event: Event) -> None:
        """Queue webhook deliveries with the write and move the content version on; the
        bus hears of it after commit."""
        self.events.append(event)
        await move_content_version()
        if not event.webhook:
            return
        body = payload(event).decode()
        now = event.occurred_at
        for url in self.webhook_urls:
            await WebhookDelivery.create(
                url=url, event=event.name, payload=body, next_attempt_at=now, created_at=now
            )

    def discard(self) -> None:
        """Forget the events of a write that did not commit."""
        self.events.clear()


async def move_content_version() -> None:
    """Tell every process's cache that content changed (in the caller's transaction).

    Writes through the domain services do it when they record an event; bulk loaders
    (the demo, the archive) call it once at the end.
    """
    await ContentVersion.filter(id=CONTENT_VERSION_ROW).update(version=F("version") + 1)


async def content_version() -> int:
    """The content version now (it moves with every recorded event, in any process)."""
    rows = await sql.fetch(
        'SELECT "version" AS "version" FROM "content_version" WHERE "id" = ?',
        [CONTENT_VERSION_ROW],
    )
    return int(rows[0]["version"]) if rows else 0
