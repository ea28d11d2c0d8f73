"""Bylines: who wrote an article (names, a role per locale) and the unit that publishes it.

The byline belongs to the article, not to one translation: the names are the same in
nb and nn, the roles and the unit's name are given per locale and picked through the
reader's fallback chain ("statssekretær" is one word in both; "juryleiar" is nn,
"juryleder" nb). Writes replace the whole byline in one transaction and move the content
version (through the outbox), so cached answers are dropped. Bylines have no revisions
of their own: revisions are per translation, and a byline is not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from contentapi import sql
from contentapi.articles.actor import Actor
from contentapi.articles.events import ArticleUpdated
from contentapi.articles.models import ArticleAuthor, ArticleAuthorRole, ArticleUnit
from contentapi.articles.validation import live_article
from contentapi.errors import DomainError, DomainErrors, ErrorCode
from contentapi.events.outbox import Outbox
from contentapi.text_rules import text_error

MAX_AUTHORS = 20
MAX_NAME_LENGTH = 200  # the column
MAX_ROLE_LENGTH = 200  # the column
MAX_UNIT_LENGTH = 300  # the column


@dataclass(frozen=True)
class AuthorDraft:
    """One person of a byline as an editor sends it: a name, a role by locale."""

    name: str
    roles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BylineDraft:
    """A whole byline: authors in display order, the unit's name by locale."""

    authors: Sequence[AuthorDraft] = ()
    unit: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Author:
    """A stored byline author."""

    name: str
    roles: dict[str, str]


@dataclass(frozen=True)
class Byline:
    """A stored byline (empty when the article has none)."""

    authors: list[Author]
    unit: dict[str, str]


def _too_long(field_name: str, limit: int) -> DomainError:
    return DomainError(
        ErrorCode.TOO_LONG,
        f"{field_name} is longer than {limit} characters",
        field=field_name,
        params={"max": limit},
    )


def _text(value: str, field_name: str, limit: int, errors: list[DomainError]) -> str:
    """``value`` stripped; REQUIRED when empty, TOO_LONG, INVALID_TEXT (added to ``errors``)."""
    if (problem := text_error(field_name, value, shown=True)) is not None:
        errors.append(problem)
        return value
    cleaned = " ".join(value.split())
    if not cleaned:
        errors.append(
            DomainError(ErrorCode.REQUIRED, f"{field_name} is required", field=field_name)
        )
    elif len(cleaned) > limit:
        errors.append(_too_long(field_name, limit))
    return cleaned


def clean_byline(draft: BylineDraft) -> Byline:
    """Validated, normalised byline (whitespace collapsed); every problem reported at once.

    Field names: ``byline.authors`` (too many), ``byline.authors.name``,
    ``byline.authors.role``, ``byline.unit``.
    """
    errors: list[DomainError] = []
    if len(draft.authors) > MAX_AUTHORS:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"A byline has at most {MAX_AUTHORS} authors",
            field="byline.authors",
            params={"max": MAX_AUTHORS},
        )
    authors = [
        Author(
            name=_text(author.name, "byline.authors.name", MAX_NAME_LENGTH, errors),
            roles={
                locale: _text(role, "byline.authors.role", MAX_ROLE_LENGTH, errors)
                for locale, role in author.roles.items()
            },
        )
        for author in draft.authors
    ]
    unit = {
        locale: _text(name, "byline.unit", MAX_UNIT_LENGTH, errors)
        for locale, name in draft.unit.items()
    }
    if errors:
        raise DomainErrors(errors)
    return Byline(authors, unit)


async def bylines(article_ids: Sequence[int]) -> dict[int, Byline]:
    """Each article's byline (two statements for any number of articles)."""
    ids = list(article_ids)
    if not ids:
        return {}
    rows = await sql.fetch(
        'SELECT a."id" AS "id", a."article_id" AS "article_id", a."name" AS "name", '
        'r."locale" AS "locale", r."role" AS "role" FROM "article_author" a '
        'LEFT JOIN "article_author_role" r ON r."author_id" = a."id" '
        f'WHERE a."article_id" IN ({sql.marks(len(ids))}) '
        'ORDER BY a."article_id", a."position", a."id"',
        ids,
    )
    authors: dict[int, dict[int, Author]] = defaultdict(dict)
    for row in rows:
        by_id = authors[int(row["article_id"])]
        author = by_id.get(int(row["id"]))
        if author is None:
            author = by_id[int(row["id"])] = Author(str(row["name"]), {})
        if row["locale"] is not None:
            author.roles[str(row["locale"])] = str(row["role"])
    units: dict[int, dict[str, str]] = defaultdict(dict)
    for unit in await ArticleUnit.filter(article_id__in=ids):
        units[unit.article_id][unit.locale] = unit.name
    return {
        article_id: Byline(list(authors[article_id].values()), units[article_id])
        for article_id in ids
        if article_id in authors or article_id in units
    }


async def write(article_id: int, byline: Byline) -> None:
    """Replace the article's byline rows (inside the caller's transaction)."""
    await ArticleAuthor.filter(article_id=article_id).delete()  # their roles go with them
    await ArticleUnit.filter(article_id=article_id).delete()
    for position, author in enumerate(byline.authors):
        row = await ArticleAuthor.create(article_id=article_id, position=position, name=author.name)
        if author.roles:
            await ArticleAuthorRole.bulk_create(
                [
                    ArticleAuthorRole(author_id=row.id, locale=locale, role=role)
                    for locale, role in author.roles.items()
                ]
            )
    if byline.unit:
        await ArticleUnit.bulk_create(
            [
                ArticleUnit(article_id=article_id, locale=locale, name=name)
                for locale, name in byline.unit.items()
            ]
        )


async def set_byline(article_id: int, draft: BylineDraft, actor: Actor, outbox: Outbox) -> bool:
    """Replace an article's byline; says whether that changed anything.

    A change readers may see moves the content version (``article.updated``), in the
    same transaction as the rows.
    """
    await live_article(article_id)
    byline = clean_byline(draft)
    current = (await bylines([article_id])).get(article_id, Byline([], {}))
    if current == byline:
        return False
    async with in_transaction():
        await write(article_id, byline)
        await outbox.record(ArticleUpdated(article_id, actor.now))
    return True
