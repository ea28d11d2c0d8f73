"""Issuing, finding and revoking API tokens. Only a SHA-256 hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from contentapi.auth.models import ApiToken
from contentapi.errors import DomainError, ErrorCode

MAX_NAME_LENGTH = 200
TOKEN_PREFIX = "cat_"  # "contentapi token": easy to spot in logs and secret scanners


class Role(StrEnum):
    """What a token may do; see :mod:`contentapi.auth.permissions`."""

    ADMIN = "admin"
    EDITOR = "editor"
    TRANSLATOR = "translator"
    MODERATOR = "moderator"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's name, role and locales (None: every locale)."""

    token_id: int
    name: str
    role: Role
    locales: frozenset[str] | None

    def may_write(self, locale: str) -> bool:
        """True unless the token is limited to other locales."""
        return self.locales is None or locale in self.locales


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, role: Role, locales: list[str] | None) -> tuple[ApiToken, str]:
    """Store a new token's hash; return the row and the token, which is never stored."""
    if not name.strip():
        raise DomainError(ErrorCode.BAD_REQUEST, "A token needs a name", field="name")
    if role is Role.TRANSLATOR and not locales:
        raise DomainError(
            ErrorCode.BAD_REQUEST, "A translator token needs --locales", field="locales"
        )
    if role is not Role.TRANSLATOR and locales:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            "Only translator tokens are limited to locales; leave out --locales",
            field="locales",
        )
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"A token name has at most {MAX_NAME_LENGTH} characters",
            field="name",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 32 random bytes
    row = await ApiToken.create(
        name=name.strip(),
        role=role.value,
        locales=",".join(locales) if locales else None,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
    )
    return row, token


async def find_principal(token: str) -> Principal | None:
    """The principal of a live token, or None for an unknown or revoked one."""
    row = await ApiToken.get_or_none(token_hash=hash_token(token), revoked_at=None)
    if row is None:
        return None
    locales = frozenset(row.locales.split(",")) if row.locales else None
    return Principal(row.id, row.name, Role(row.role), locales)


async def revoke_token(token_id: int) -> bool:
    """Revoke a token; False when there is no live token with that id."""
    updated = await ApiToken.filter(id=token_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC)
    )
    return bool(updated)


async def list_tokens() -> list[ApiToken]:
    """Every token, newest first (hashes only)."""
    return await ApiToken.all().order_by("-id")
