"""The articles domain's rules for input: limits, clean values, and the errors it raises.

Every write (GraphQL, the PO import, the command line) goes through these.
"""

from __future__ import annotations

from dataclasses import dataclass

from contentapi.articles.html import clean_html, search_text
from contentapi.articles.models import Article, ArticleTranslation, Tag
from contentapi.articles.slugs import MAX_SLUG_LENGTH, is_valid_slug
from contentapi.errors import (
    DomainError,
    DomainErrors,
    ErrorCode,
    not_found,
)
from contentapi.text_rules import text_error

MAX_TITLE_LENGTH = 300
MAX_LEAD_LENGTH = 2000
MAX_BODY_LENGTH = 500_000
MAX_TAGS = 50
MAX_TAG_KEY_LENGTH = 100  # the column
CONTENT_FIELDS = ("title", "lead", "body")
REQUIRED_TO_PUBLISH = ("title", "body")


@dataclass(frozen=True)
class Draft:
    """Fields of a translation as an editor sends them; None means "leave as it is"."""

    title: str | None = None
    slug: str | None = None
    lead: str | None = None
    body: str | None = None


def clean(draft: Draft, *, creating: bool) -> dict[str, str | None]:
    """Validated, normalised field values; every problem reported at once."""
    # control and text-direction characters anywhere; a title must show something
    errors = [
        error
        for name in ("title", "slug", "lead", "body")
        if (error := text_error(name, getattr(draft, name), shown=name == "title")) is not None
    ]
    if errors:
        raise DomainErrors(errors)
    values: dict[str, str | None] = {}
    if draft.title is not None or creating:
        title = (draft.title or "").strip()
        if not title:
            errors.append(DomainError(ErrorCode.REQUIRED, "Title is required", field="title"))
        elif len(title) > MAX_TITLE_LENGTH:
            errors.append(too_long("title", MAX_TITLE_LENGTH))
        values["title"] = title
    if draft.slug is not None:
        slug = draft.slug.strip()
        if not is_valid_slug(slug):
            errors.append(
                DomainError(
                    ErrorCode.INVALID_SLUG,
                    "A slug is lowercase a-z, 0-9 and single hyphens",
                    field="slug",
                    params={"max": MAX_SLUG_LENGTH},
                )
            )
        values["slug"] = slug
    if draft.lead is not None:
        lead = draft.lead.strip()
        if len(lead) > MAX_LEAD_LENGTH:
            errors.append(too_long("lead", MAX_LEAD_LENGTH))
        values["lead"] = lead or None
    if draft.body is not None or creating:
        body = clean_html(draft.body or "").strip()
        if len(body) > MAX_BODY_LENGTH:
            errors.append(too_long("body", MAX_BODY_LENGTH))
        values["body"] = body
    if errors:
        raise DomainErrors(errors)
    return values


def searchable(values: dict[str, str | None]) -> str:
    """The text the search matches, from clean title, lead and body."""
    return search_text(str(values["title"]), values.get("lead"), str(values["body"]))


def too_long(field: str, limit: int) -> DomainError:
    """TOO_LONG for ``field`` over ``limit`` characters."""
    return DomainError(
        ErrorCode.TOO_LONG,
        f"{field.capitalize()} is longer than {limit} characters",
        field=field,
        params={"max": limit},
    )


def missing_content(missing: list[str], message: str) -> DomainError:
    """MISSING_CONTENT naming the empty fields a published translation needs."""
    return DomainError(
        ErrorCode.MISSING_CONTENT,
        f"{message} {' and '.join(missing)}",
        field=missing[0],
        params={"fields": missing},  # field names; the API layer names them in the locale
    )


def already_translated(locale: str) -> DomainError:
    """ALREADY_EXISTS: a new translation where one exists."""
    return DomainError(
        ErrorCode.ALREADY_EXISTS,
        f"The {locale} translation exists; send expectedVersion to replace it",
        field="expectedVersion",
        params={"locale": locale},
    )


def slug_taken(locale: str, slug: str = "") -> DomainError:
    """SLUG_TAKEN: another article of ``locale`` has the slug."""
    used = f"{slug!r} is" if slug else "is"
    return DomainError(
        ErrorCode.SLUG_TAKEN,
        f"The slug {used} already used in {locale}",
        field="slug",
        params={"slug": slug, "locale": locale},
    )


def conflict(current: int) -> DomainError:
    """CONFLICT: the caller's expectedVersion is not the current one."""
    return DomainError(
        ErrorCode.CONFLICT,
        f"The article was changed by someone else; the current version is {current}",
        field="expectedVersion",
        params={"version": current},
        extensions={"currentVersion": current},
    )


async def live_article(article_id: int) -> Article:
    """The article, unless it does not exist or is deleted (NOT_FOUND)."""
    article = await Article.get_or_none(id=article_id, deleted_at=None)
    if article is None:
        raise not_found("article")
    return article


async def translation(article_id: int, locale: str) -> ArticleTranslation:
    """The article's ``locale`` translation (NOT_FOUND on ``locale`` without one)."""
    row = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if row is None:
        raise not_found("translation", field="locale")
    return row


async def check_slug(locale: str, slug: str, article_id: int | None) -> None:
    """SLUG_TAKEN unless ``slug`` is free in ``locale`` (or already this article's)."""
    clash = ArticleTranslation.filter(locale=locale, slug=slug)
    if article_id is not None:
        clash = clash.exclude(article_id=article_id)
    if await clash.exists():
        raise slug_taken(locale, slug)


async def tag_rows(keys: list[str]) -> list[Tag]:
    """The tags named by ``keys``, in order (once each); NOT_FOUND naming unknown ones."""
    keys = list(dict.fromkeys(keys))  # the same tag twice is the same tag
    if len(keys) > MAX_TAGS:
        raise DomainError(
            ErrorCode.TOO_MANY_TAGS,
            f"At most {MAX_TAGS} tags",
            field="tags",
            params={"max": MAX_TAGS},
        )
    for key in keys:  # before the lookup: the ORM refuses over-long values with a crash
        if len(key) > MAX_TAG_KEY_LENGTH:
            raise DomainError(
                ErrorCode.TOO_LONG,
                f"A tag key is at most {MAX_TAG_KEY_LENGTH} characters",
                field="tags",
                params={"max": MAX_TAG_KEY_LENGTH},
            )
        if (error := text_error("tags", key)) is not None:
            raise error
    tags = {tag.key: tag for tag in await Tag.filter(key__in=keys)}
    missing = [key for key in keys if key not in tags]
    if missing:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Unknown tags: {', '.join(missing)}",
            field="tags",
            params={"what": ", ".join(missing)},
        )
    return [tags[key] for key in keys]


async def free_slug(locale: str, base: str, article_id: int | None) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free in ``locale``."""
    base = base or "artikkel"
    candidate, n = base, 1
    while True:
        clash = ArticleTranslation.filter(locale=locale, slug=candidate)
        if article_id is not None:
            clash = clash.exclude(article_id=article_id)
        if not await clash.exists():
            return candidate
        n += 1
        candidate = f"{base[: MAX_SLUG_LENGTH - len(str(n)) - 1]}-{n}"
