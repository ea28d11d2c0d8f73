"""Limits of the GraphQL arguments that name or find things, checked before any query.

Ids, cursors, slugs, tag keys, locales, message keys, date patterns and search text
reach SQL or a parser: each kind has a length limit here, and none may hold a control
or text-direction character (:mod:`contentapi.text_rules`). A value over its limit is
``TOO_LONG``, a value with such a character ``INVALID_TEXT``: GraphQL errors with
``extensions.code`` (and ``field``, ``maxLength``), raised from the resolver before it
reads anything. Texts that are stored (titles, bodies, comments, alt texts) have their
limits in their domain, reported per field in a mutation's ``errors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from contentapi.errors import DomainError, ErrorCode
from contentapi.text_rules import has_forbidden

Kind = Literal[
    "id", "cursor", "locale", "slug", "tag", "key", "pattern", "search", "idempotency_key"
]

LIMITS: dict[Kind, int] = {
    "id": 100,  # a global id is base64 of "TypeName:2147483647" or "TypeName:2147483647:nn"
    "cursor": 300,  # base64 of a small JSON list
    "locale": 35,  # BCP 47 (the columns hold 35)
    "slug": 200,  # articles.slugs.MAX_SLUG_LENGTH
    "tag": 100,  # the tag key column
    "key": 200,  # UI message keys ("comments.count")
    "pattern": 100,  # CLDR date patterns
    "search": 200,  # the search query
    "idempotency_key": 100,  # a UUID is 36
}


def check(value: str | None, kind: Kind, field: str) -> str | None:
    """``value`` as it is, or TOO_LONG / INVALID_TEXT naming ``field``; None passes."""
    if value is None:
        return None
    limit = LIMITS[kind]
    if len(value) > limit:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"'{field}' is longer than {limit} characters",
            field=field,
            params={"max": limit},
            extensions={"maxLength": limit},
        )
    if has_forbidden(value):
        raise DomainError(
            ErrorCode.INVALID_TEXT,
            f"'{field}' has control or text-direction characters",
            field=field,
            params={"field": field},
        )
    return value


def check_all(values: Sequence[str] | None, kind: Kind, field: str) -> None:
    """:func:`check` for each of a list argument's values."""
    for value in values or ():
        check(value, kind, field)
