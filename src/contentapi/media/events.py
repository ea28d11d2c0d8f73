"""What the media domain announces (through the outbox of :mod:`contentapi.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contentapi.events.bus import event_type


@event_type
@dataclass(frozen=True)
class MediaChanged:
    """An image's or a video's texts, credit or focal point changed, or it was deleted."""

    kind: str  # "image" | "video"
    media_id: int
    occurred_at: datetime
    name: str = "media.changed"
    webhook = False

    def body(self) -> dict[str, object]:
        """The event's fields."""
        return {
            "kind": self.kind,
            "mediaId": self.media_id,
            "occurredAt": self.occurred_at.isoformat(),
        }
