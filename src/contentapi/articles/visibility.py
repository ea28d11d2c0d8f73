"""What an anonymous reader may see: one rule, as an SQL predicate and its Python twin.

A translation is visible when it is PUBLISHED, or SCHEDULED and its time has come,
with a publication time not after now, and its article is not deleted. The three
functions below (ORM, SQL text, Python) say the same thing; tests hold them to it.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from contentapi.articles.models import ArticleTranslation, PublicationStatus

LIVE = (PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED)


def visible(now: datetime) -> Q:
    """Translations an anonymous reader may see at ``now`` (SQL)."""
    return Q(status__in=LIVE, published_at__lte=now, article__deleted_at__isnull=True)


def visible_sql(translation: str, article: str) -> str:
    """The same rule as SQL text over two table aliases; it takes one parameter, now."""
    live = ", ".join(f"'{status.value}'" for status in LIVE)
    return (
        f'{translation}."status" IN ({live}) AND {translation}."published_at" <= ? '
        f'AND {article}."deleted_at" IS NULL'
    )


def is_visible(row: ArticleTranslation, now: datetime) -> bool:
    """The same rule for a row in hand, whose article is not deleted."""
    return is_live(row) and row.published_at is not None and row.published_at <= now


def is_live(row: ArticleTranslation) -> bool:
    """Published, or scheduled to be: visible now or from ``published_at`` on."""
    return row.status in LIVE and row.published_at is not None
