"""What a write announces: webhook rows in its transaction, bus events after commit."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from contentapi.events.bus import Event
from contentapi.events.models import WebhookDelivery


def payload(event: Event) -> bytes:
    """The JSON body a webhook receiver gets (and whose bytes are signed)."""
    return orjson.dumps({"event": event.name, **event.body()})


@dataclass
class Outbox:
    """Collects the events of one write; call :meth:`record` inside its transaction.

    Every event is kept twice: as webhook rows written with the change (so a crash or a
    Redis outage loses none), and in :attr:`events` for the bus once the write commits.
    """

    webhook_urls: tuple[str, ...]
    events: list[Event] = field(default_factory=list)

    async def record(self, event: Event) -> None:
        """Queue webhook deliveries with the write; the bus hears of it after commit."""
        self.events.append(event)
        body = payload(event).decode()
        now = event.occurred_at
        for url in self.webhook_urls:
            await WebhookDelivery.create(
                url=url, event=event.name, payload=body, next_attempt_at=now, created_at=now
            )

    def discard(self) -> None:
        """Forget the events of a write that did not commit."""
        self.events.clear()
