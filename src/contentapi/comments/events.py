"""What the comments domain announces (through the outbox of :mod:`contentapi.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contentapi.events.bus import event_type

APPROVED = "comment.approved"
HIDDEN = "comment.hidden"  # an approved comment was rejected or marked as spam


@event_type
@dataclass(frozen=True)
class CommentEvent:
    """A comment became visible (``comment.approved``)."""

    name: str
    comment_id: int
    article_id: int
    occurred_at: datetime

    @property
    def webhook(self) -> bool:
        """Receivers hear of approvals."""
        return self.name == APPROVED

    def body(self) -> dict[str, object]:
        """The webhook body (after ``event``)."""
        return {
            "commentId": self.comment_id,
            "articleId": self.article_id,
            "occurredAt": self.occurred_at.isoformat(),
        }
