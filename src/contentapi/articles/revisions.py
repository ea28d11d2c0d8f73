"""Revisions: every saved state of a translation, numbered 1, 2, 3 ... per locale.

The one place revisions are numbered and written; inside the write's transaction.
"""

from __future__ import annotations

from contentapi.articles.actor import Actor
from contentapi.articles.models import ArticleRevision, ArticleTranslation


async def record(
    row: ArticleTranslation,
    action: str,
    actor: Actor,
    minor: bool,
    pending: bool = False,
) -> int:
    """A revision of ``row`` as it now is (``pending``: as previewed, its pending changes
    over the live text); returns its number."""
    last = (
        await ArticleRevision.filter(article_id=row.article_id, locale=row.locale)
        .order_by("-number")
        .first()
    )
    number = (last.number if last else 0) + 1
    await ArticleRevision.create(
        article_id=row.article_id,
        locale=row.locale,
        number=number,
        version=row.version,
        title=row.title,
        slug=row.slug,
        lead=row.lead,
        body=row.body,
        status=row.status,
        pending=pending,
        published_at=row.published_at,
        minor_edit=minor,
        action=action,
        author=actor.name,
        created_at=actor.now,
    )
    return number


def is_outdated(row: ArticleTranslation, every: dict[str, ArticleTranslation]) -> bool:
    """The source changed after ``row`` was translated from it (``every``: the article's
    translations by locale)."""
    if row.source_locale is None or row.source_version is None:
        return False
    source = every.get(row.source_locale)
    return source is not None and source.version > row.source_version


async def find(article_id: int, locale: str, number: int) -> ArticleRevision | None:
    """Revision ``number`` of the article's ``locale`` translation, if there is one."""
    return await ArticleRevision.get_or_none(article_id=article_id, locale=locale, number=number)
