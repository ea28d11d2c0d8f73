"""Babel formatting of dates and numbers in a locale and a time zone."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from babel.dates import (
    PATTERN_CHARS,
    TIMEDELTA_UNITS,
    format_date,
    format_datetime,
    format_timedelta,
)
from babel.numbers import format_decimal

MAX_PATTERN_LENGTH = 80
RELATIVE_THRESHOLD = 0.85  # Babel's default: "0.85 of a day" is already "1 day"


class DateStyle(StrEnum):
    """How a moment is written: CLDR styles, the house style, ISO 8601 or relative."""

    SHORT = "SHORT"
    MEDIUM = "MEDIUM"
    LONG = "LONG"
    FULL = "FULL"
    SITE = "SITE"
    ISO = "ISO"
    RELATIVE = "RELATIVE"


class BadPattern(ValueError):
    """A date pattern that is not a valid CLDR pattern."""


def babel_locale(code: str) -> str:
    """Babel's spelling of a BCP 47 code (``nb-NO`` -> ``nb_NO``)."""
    return code.replace("-", "_")


def check_pattern(pattern: str) -> None:
    """Refuse what Babel would print literally or half-read: unknown letters, open quotes."""
    if not pattern.strip():
        raise BadPattern("the date pattern is empty")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise BadPattern(f"the date pattern is longer than {MAX_PATTERN_LENGTH} characters")
    quoted = False
    fields = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            if i + 1 < len(pattern) and pattern[i + 1] == "'":
                i += 2
                continue
            quoted = not quoted
        elif not quoted and char.isascii() and char.isalpha():
            if char not in PATTERN_CHARS:
                raise BadPattern(f"{char!r} is not a CLDR date field; quote literal text")
            fields += 1
        i += 1
    if quoted:
        raise BadPattern("the date pattern has an unclosed quote")
    if not fields:
        raise BadPattern("the date pattern has no date field")


def format_moment(
    moment: datetime,
    style: DateStyle,
    locale: str,
    time_zone: str,
    site_pattern: str,
    pattern: str | None = None,
    now: datetime | None = None,
) -> str:
    """Write ``moment`` for a reader in ``locale``, in ``time_zone``.

    SHORT to FULL are CLDR's date styles (the date only: "8. juni 2018"); SITE is the
    house pattern from the locale files; ISO is ISO 8601 with the local offset;
    RELATIVE is "for 3 døgn sidan". A ``pattern`` overrides ``style``.
    """
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone)
    loc = babel_locale(locale)
    if pattern is not None:
        check_pattern(pattern)
        try:
            return format_datetime(local, pattern, tzinfo=zone, locale=loc)
        except (ValueError, KeyError) as exc:
            raise BadPattern(str(exc)) from exc
    if style is DateStyle.ISO:
        return local.isoformat()
    if style is DateStyle.RELATIVE:
        delta = moment - (now or datetime.now(UTC))
        return format_timedelta(delta, threshold=RELATIVE_THRESHOLD, add_direction=True, locale=loc)
    if style is DateStyle.SITE:
        return format_datetime(local, site_pattern, tzinfo=zone, locale=loc)
    return format_date(local.date(), style.value.lower(), locale=loc)


def format_count(count: int, locale: str) -> str:
    """A whole number with the locale's grouping ("1 234" in nb and nn)."""
    return format_decimal(count, locale=babel_locale(locale))


def relative_unchanged_for(offset_seconds: float) -> float:
    """How many seconds the RELATIVE text of a moment ``offset_seconds`` from now (negative:
    in the past) stays the same as time passes; a cached answer must expire by then.

    Babel writes the largest unit of which the offset is at least 0.85, rounded: the text
    changes when the rounded number does (at a half unit) or the unit does. The answer is
    never late; it may be early by a rounding tie.
    """
    offset = abs(offset_seconds)
    index = next(
        i
        for i, (unit, per_unit) in enumerate(TIMEDELTA_UNITS)
        if offset / per_unit >= RELATIVE_THRESHOLD or unit == "second"
    )
    unit, per_unit = TIMEDELTA_UNITS[index]
    value = offset / per_unit
    if offset_seconds <= 0:  # in the past: the offset grows
        change = (math.floor(value - 0.5) + 1.5) * per_unit
        if index > 0:  # the next larger unit takes over at 0.85 of it
            change = min(change, RELATIVE_THRESHOLD * TIMEDELTA_UNITS[index - 1][1])
        return max(0.0, change - offset)
    # in the future: the offset shrinks to nothing, then the text says "ago"
    change = (math.ceil(value - 0.5) - 0.5) * per_unit
    if unit != "second":  # the next smaller unit takes over below 0.85 of this one
        change = max(change, RELATIVE_THRESHOLD * per_unit)
    return max(0.0, offset - max(change, 0.0))
