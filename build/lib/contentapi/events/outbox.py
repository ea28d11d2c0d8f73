"""What a write announces: webhook rows in its transaction, bus events after commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import orjson

from contentapi.events.bus import ArticleEvent
from contentapi.events.models import WebhookDelivery


def payload(event: ArticleEvent) -> bytes:
    """The JSON body a webhook receiver gets (and whose bytes are signed)."""
    return orjson.dumps(
        {
            "event": event.name,
            "articleId": event.article_id,
            "locale": event.locale,
            "slug": event.slug,
            "title": event.title,
            "publishedAt": event.published_at.isoformat() if event.published_at else None,
            "occurredAt": event.occurred_at.isoformat(),
        }
    )


@dataclass
class Outbox:
    """Collects the events of one write; call :meth:`announce` inside its transaction."""

    webhook_urls: tuple[str, ...]
    events: list[ArticleEvent] = field(default_factory=list)

    async def announce(self, event: ArticleEvent, now: datetime) -> None:
        """Queue webhook deliveries with the write; the bus hears of it after commit."""
        self.events.append(event)
        body = payload(event).decode()
        for url in self.webhook_urls:
            await WebhookDelivery.create(
                url=url, event=event.name, payload=body, next_attempt_at=now, created_at=now
            )
