"""The caller of a request, from its ``Authorization`` header."""

from __future__ import annotations

from contentapi.auth.tokens import Principal, find_principal
from contentapi.errors import DomainError, ErrorCode

MAX_TOKEN_LENGTH = 200


async def principal_from_header(header: str | None) -> Principal | None:
    """None without a header; the principal for a live token; UNAUTHENTICATED otherwise."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH or " " in token:
        raise DomainError(
            ErrorCode.UNAUTHENTICATED, "Malformed Authorization header; send 'Bearer <token>'"
        )
    principal = await find_principal(token)
    if principal is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Unknown or revoked token")
    return principal
