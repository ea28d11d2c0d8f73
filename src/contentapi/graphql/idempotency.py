"""The ``idempotencyKey`` of the create mutations: checked, and tied to its caller."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import strawberry

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check
from contentapi.idempotency import Claim, fingerprint

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

KEY_DESCRIPTION = (
    "Optional, e.g. a UUID (at most 100 characters). A retry with the same key within "
    "24 hours creates nothing and returns what the first request created; the same key "
    "with other input is CONFLICT."
)


def key_field() -> Any:
    """The ``idempotencyKey`` input field, the same on every create input."""
    return strawberry.field(default=None, description=KEY_DESCRIPTION)


async def claim(
    ctx: Context, operation: str, key: str | None, input: object, *extra: object
) -> Claim | None:
    """The claim of a create with ``key`` (None without one): who sent it, for which
    mutation, and a hash of the input (``extra``: e.g. an upload's bytes) without the key.

    Editors are known by their token, anonymous readers by their salted client hash.
    """
    if key is None:
        return None
    check(key, "idempotency_key", "idempotencyKey")
    if not key.strip():
        raise DomainError(ErrorCode.BAD_REQUEST, "idempotencyKey is empty", field="idempotencyKey")
    principal = await ctx.principal()
    scope = f"token:{principal.token_id}" if principal else f"client:{await ctx.client_key()}"
    values = dataclasses.asdict(input) if dataclasses.is_dataclass(input) else {}  # type: ignore[arg-type]
    values.pop("idempotency_key", None)
    return Claim(scope, operation, key, fingerprint(values, *extra))
