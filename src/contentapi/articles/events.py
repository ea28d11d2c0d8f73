"""What the articles domain announces (through the outbox of :mod:`contentapi.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contentapi.articles.models import ArticleTranslation
from contentapi.events.bus import event_type

PUBLISHED = "article.published"
UNPUBLISHED = "article.unpublished"
SCHEDULED = "article.scheduled"  # what readers see changes at published_at
CHANGED = "article.changed"  # a live translation's text or slug was edited
WEBHOOK_EVENTS = (PUBLISHED, UNPUBLISHED)


@event_type
@dataclass(frozen=True)
class ArticleEvent:
    """A translation became visible (``article.published``) or stopped being so."""

    name: str  # PUBLISHED | UNPUBLISHED | SCHEDULED | CHANGED
    article_id: int
    locale: str
    slug: str
    title: str
    published_at: datetime | None
    occurred_at: datetime

    @classmethod
    def of(cls, name: str, row: ArticleTranslation, now: datetime) -> ArticleEvent:
        """The event ``name`` for a translation row at ``now``."""
        return cls(name, row.article_id, row.locale, row.slug, row.title, row.published_at, now)

    @property
    def webhook(self) -> bool:
        """Receivers hear of publishing and unpublishing."""
        return self.name in WEBHOOK_EVENTS

    def body(self) -> dict[str, object]:
        """The webhook body (after ``event``)."""
        return {
            "articleId": self.article_id,
            "locale": self.locale,
            "slug": self.slug,
            "title": self.title,
            "publishedAt": self.published_at.isoformat() if self.published_at else None,
            "occurredAt": self.occurred_at.isoformat(),
        }


@event_type
@dataclass(frozen=True)
class ArticleUpdated:
    """Something of the article itself changed: comments opened or closed, media used."""

    article_id: int
    occurred_at: datetime
    name: str = "article.updated"
    webhook = False

    def body(self) -> dict[str, object]:
        """The event's fields."""
        return {"articleId": self.article_id, "occurredAt": self.occurred_at.isoformat()}


@event_type
@dataclass(frozen=True)
class TagRenamed:
    """A tag's name changed in a locale."""

    tag_id: int
    locale: str
    occurred_at: datetime
    name: str = "tag.renamed"
    webhook = False

    def body(self) -> dict[str, object]:
        """The event's fields."""
        return {
            "tagId": self.tag_id,
            "locale": self.locale,
            "occurredAt": self.occurred_at.isoformat(),
        }
