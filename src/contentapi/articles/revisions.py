"""Revisions: every saved state of a translation, numbered 1, 2, 3 ... per locale.

The one place revisions are numbered and written; inside the write's transaction.
"""

from __future__ import annotations

from contentapi.articles.actor import Actor
from contentapi.articles.models import ArticleRevision, ArticleTranslation, PublicationStatus


async def record(
    row: ArticleTranslation,
    action: str,
    actor: Actor,
    minor: bool,
    proposed: dict[str, str | None] | None = None,
) -> int:
    """A revision of ``row`` as it now is; returns its number.

    With ``proposed``: a DRAFT revision of those field values over ``row``, which itself
    stays as it is (a change to a published translation that an editor reviews first and
    applies with ``revertArticle``).
    """
    last = (
        await ArticleRevision.filter(article_id=row.article_id, locale=row.locale)
        .order_by("-number")
        .first()
    )
    number = (last.number if last else 0) + 1
    changes = proposed or {}
    await ArticleRevision.create(
        article_id=row.article_id,
        locale=row.locale,
        number=number,
        version=row.version,
        title=changes.get("title", row.title),
        slug=row.slug,
        lead=changes.get("lead", row.lead),
        body=changes.get("body", row.body),
        status=PublicationStatus.DRAFT if proposed is not None else row.status,
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
