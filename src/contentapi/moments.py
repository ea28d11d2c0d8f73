"""Moments in time: stored and compared in UTC, always with an offset."""

from __future__ import annotations

from datetime import UTC, datetime

from contentapi.errors import DomainError, ErrorCode

MIN_YEAR, MAX_YEAR = 1900, 9000  # what every supported database stores and compares


def utc(moment: datetime, field: str) -> datetime:
    """``moment`` in UTC; a moment without an offset is refused, never guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"'{field}' needs a time zone offset, e.g. 2026-06-08T10:00:00+02:00",
            field=field,
        )
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"'{field}' must lie between the years {MIN_YEAR} and {MAX_YEAR}",
            field=field,
        )
    return moment.astimezone(UTC)


def optional_utc(moment: datetime | None, field: str) -> datetime | None:
    """:func:`utc` for optional values."""
    return None if moment is None else utc(moment, field)
