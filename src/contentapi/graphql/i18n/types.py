"""Locale-related GraphQL types and the date-formatting helper every type uses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import strawberry

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check
from contentapi.i18n import BadPattern, DateStyle, format_moment, relative_unchanged_for

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

strawberry.enum(
    DateStyle,
    name="DateFormat",
    description=(
        "How a date is written. SHORT to FULL: CLDR date styles; SITE: the house style "
        "from the locale files (nb, nn: 'dd. LLL y'); ISO: ISO 8601 with offset; "
        "RELATIVE: 'for 3 døgn sidan'."
    ),
)

SITE_PATTERN_KEY = "format.date.site"


@strawberry.type(description="A configured locale.")
class LocaleInfo:
    """A locale as the API describes it."""

    code: str = strawberry.field(description="BCP 47 code, e.g. 'nn'.")
    name: str = strawberry.field(description="Name in the locale itself: 'norsk nynorsk'.")
    english_name: str = strawberry.field(description="Name in English.")
    is_default: bool = strawberry.field(description="The locale used when none is asked for.")
    fallbacks: list[str] = strawberry.field(description="Locales tried after this one.")


@strawberry.type(description="A UI string from the locale files.")
class UiMessage:
    """One interface label, in the locale it was found in."""

    key: str = strawberry.field(description="Message key, e.g. 'comments.heading'.")
    text: str = strawberry.field(description="The text, plural-resolved where a count was given.")
    locale: str = strawberry.field(description="Locale of the text returned.")
    is_fallback: bool = strawberry.field(description="The text came from a fallback locale.")


def zone(ctx: Context) -> ZoneInfo:
    """The configured time zone, in which moments are shown."""
    return ZoneInfo(ctx.settings.time_zone)  # ZoneInfo keeps one instance per key


def local_time(ctx: Context, moment: datetime) -> datetime:
    """A stored (UTC) moment in the configured time zone, for ISO output with offset."""
    return moment.astimezone(zone(ctx))


def format_date_field(
    ctx: Context,
    moment: datetime | None,
    locale: str,
    style: DateStyle | None,
    pattern: str | None,
) -> str | None:
    """Write ``moment`` for ``locale`` (SITE when no style); a bad pattern is BAD_REQUEST."""
    check(pattern, "pattern", "pattern")
    if moment is None:
        return None
    site = ctx.runtime.catalogs.lookup(SITE_PATTERN_KEY, ctx.chain(locale))
    if site is None:
        raise DomainError(ErrorCode.INTERNAL_ERROR, "No house date pattern in the locale files")
    if (
        style is DateStyle.RELATIVE and pattern is None
    ):  # true until the text would change: cached that long
        still = relative_unchanged_for((moment - ctx.now).total_seconds())
        ctx.hints.expires_by(ctx.now + timedelta(seconds=still))
    try:
        return format_moment(
            moment,
            style or DateStyle.SITE,
            locale,
            ctx.settings.time_zone,
            site.text,
            pattern,
            now=ctx.now,
        )
    except BadPattern as exc:
        raise DomainError(
            ErrorCode.BAD_REQUEST, f"Invalid date pattern: {exc}", field="pattern"
        ) from None
