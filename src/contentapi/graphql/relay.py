"""Relay plumbing: opaque global ids, cursors, page-size checks, PageInfo."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
import strawberry

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PK = 2**31 - 1  # primary keys are 32-bit on PostgreSQL
_PK = re.compile(r"[1-9][0-9]{0,9}")  # fullmatch only: "12\n" is not a spelling of 12
_LOCALE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # a configured code, as we write it


@strawberry.interface(description="An object with a global, opaque id.")
class Node:
    """Relay's Node interface; each type gives its own ``id``."""

    @strawberry.field(description="Global, opaque id.")
    def id(self) -> strawberry.ID:
        raise NotImplementedError


@strawberry.type(description="Relay page information.")
class PageInfo:
    """Where a page stands in its list."""

    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def to_global_id(type_name: str, pk: int, locale: str | None = None) -> strawberry.ID:
    """``Article``, 12 and ``nn`` -> an opaque id (``Article:12:nn``, base64url).

    Objects whose fields depend on the locale they were resolved for (articles, media,
    tags, comments) name that locale, so a client's normalised cache keeps one entry per
    language; without ``locale`` the plain id (``Article:12``) names the object itself.
    """
    if locale is None:
        return strawberry.ID(_b64(f"{type_name}:{pk}".encode()))
    return strawberry.ID(_b64(f"{type_name}:{pk}:{locale}".encode()))


@dataclass(frozen=True)
class GlobalId:
    """What a global id names: a type, a primary key and, for a localised id, a locale."""

    type_name: str
    pk: int
    locale: str | None  # as written in the id; not yet checked against the configuration


def parse_global_id(global_id: str, field: str = "id") -> GlobalId:
    """A plain (``Article:12``) or localised (``Article:12:nn``) id; BAD_REQUEST otherwise."""
    check(global_id, "id", field)
    try:
        type_name, _, rest = _unb64(global_id).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        type_name, rest = "", ""
    pk, colon, locale = rest.partition(":")
    number = parse_pk(pk)
    if not type_name.isidentifier() or number is None or (colon and not _LOCALE.fullmatch(locale)):
        raise DomainError(ErrorCode.BAD_REQUEST, f"Malformed id {global_id[:60]!r}", field=field)
    return GlobalId(type_name, number, locale if colon else None)


def from_global_id(global_id: str, field: str = "id") -> tuple[str, int]:
    """The type name and primary key of a global id, plain or localised; BAD_REQUEST when
    it is not one."""
    found = parse_global_id(global_id, field)
    return found.type_name, found.pk


def parse_pk(text: object) -> int | None:
    """A primary key from its one canonical spelling ("12"), or None."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not _PK.fullmatch(text) or int(text) > MAX_PK:
        return None
    return int(text)


def expect_global_id(global_id: str, type_name: str, field: str = "id") -> int:
    """The primary key of a global id (plain or localised) that must name ``type_name``."""
    return expect_localised_id(global_id, type_name, field)[0]


def expect_localised_id(
    global_id: str, type_name: str, field: str = "id"
) -> tuple[int, str | None]:
    """The primary key and the locale (None for a plain id) of an id of ``type_name``."""
    found = parse_global_id(global_id, field)
    if found.type_name != type_name:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"The id names a {found.type_name}, not a {type_name}",
            field=field,
        )
    return found.pk, found.locale


def encode_cursor(kind: str, values: list[object]) -> str:
    """An opaque cursor; ``kind`` ties it to one list and ordering."""
    return _b64(orjson.dumps([kind, *values]))


def decode_cursor(cursor: str, kind: str, field: str) -> list[object]:
    """The values inside a cursor made by :func:`encode_cursor` for ``kind``."""
    check(cursor, "cursor", field)
    try:
        data = orjson.loads(_unb64(cursor))
    except (binascii.Error, orjson.JSONDecodeError, ValueError):
        data = None
    if not isinstance(data, list) or not data or data[0] != kind:
        raise DomainError(ErrorCode.BAD_REQUEST, f"Invalid cursor in {field!r}", field=field)
    return list(data[1:])


@dataclass(frozen=True)
class PageArgs:
    """Checked pagination arguments: a direction and a size."""

    forward: bool
    size: int


def check_page_args(first: int | None, last: int | None) -> PageArgs:
    """Relay's first/last: neither gives the first 20; both, negative or over 100 is an error."""
    if first is not None and last is not None:
        raise DomainError(ErrorCode.BAD_REQUEST, "Give 'first' or 'last', not both", field="first")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise DomainError(
                ErrorCode.BAD_REQUEST,
                f"'{name}' must be between 0 and {MAX_PAGE_SIZE}, got {value}",
                field=name,
            )
    if last is not None:
        return PageArgs(forward=False, size=last)
    return PageArgs(forward=True, size=DEFAULT_PAGE_SIZE if first is None else first)


def moment_and_pk(values: list[object]) -> tuple[datetime, int] | None:
    """The (UTC moment, primary key) inside a keyset cursor, or None if it is not one."""
    if len(values) != 2 or not isinstance(values[0], str):
        return None
    pk = parse_pk(values[1])
    try:
        moment = datetime.fromisoformat(values[0])
    except ValueError:
        return None
    if pk is None or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC), pk


def keyset(cursor: str, kind: str, field: str) -> tuple[datetime, int]:
    """The (UTC moment, primary key) of a keyset cursor for ``kind``; BAD_REQUEST otherwise."""
    key = moment_and_pk(decode_cursor(cursor, kind, field))
    if key is None:
        raise DomainError(ErrorCode.BAD_REQUEST, f"Invalid cursor in {field!r}", field=field)
    return key
