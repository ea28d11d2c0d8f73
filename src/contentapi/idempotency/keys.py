"""The rule (Stripe's): a key, who sent it and the mutation name the first result.

A create that names an idempotency key stores it, in the write's own transaction, with a
SHA-256 of its input and the primary key of what it made. A retry with the same key
(from the same caller, for the same mutation) within 24 hours makes nothing and gets
that id back; the same key with other input is CONFLICT. Keys of failed writes are not
kept (nothing was made), so a corrected retry may use the key again. Two requests with
the same key at once: the unique index lets one commit; the other's write is rolled
back and it answers with the first one's result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from contentapi.errors import DomainError, ErrorCode
from contentapi.idempotency.models import IdempotencyKey

TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """One create's key: who sent it, for which mutation, and a hash of its input."""

    scope: str
    operation: str
    key: str
    input_hash: str


def fingerprint(*parts: object) -> str:
    """SHA-256 (hex) of JSON-able ``parts`` (dict keys sorted; bytes hashed first)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            digest.update(hashlib.sha256(part).digest())
        else:
            digest.update(orjson.dumps(part, option=orjson.OPT_SORT_KEYS, default=str))
        digest.update(b"\x00")
    return digest.hexdigest()


def _key_reused() -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        "This idempotency key was used for a request with other input",
        field="idempotencyKey",
    )


async def _earlier(claim: Claim, now: datetime) -> int | None:
    """The id an earlier request with this key made (within the TTL), or None."""
    row = await IdempotencyKey.get_or_none(
        scope=claim.scope, operation=claim.operation, key=claim.key, created_at__gte=now - TTL
    )
    if row is None:
        return None
    if row.input_hash != claim.input_hash:
        raise _key_reused()
    return row.result_id


async def once(
    claim: Claim | None, now: datetime, write: Callable[[], Awaitable[int]]
) -> tuple[int, bool]:
    """Run ``write`` (it returns the new row's id) unless ``claim``'s key made one already.

    Returns the id and whether it was replayed. Without a claim, ``write`` just runs.
    """
    if claim is None:
        return await write(), False
    found = await _earlier(claim, now)
    if found is not None:
        return found, True
    try:
        async with in_transaction():
            made = await write()
            # expired keys go here (this key's own old row among them): one indexed delete
            await IdempotencyKey.filter(created_at__lt=now - TTL).delete()
            await IdempotencyKey.create(
                scope=claim.scope,
                operation=claim.operation,
                key=claim.key,
                input_hash=claim.input_hash,
                result_id=made,
                created_at=now,
            )
    except IntegrityError:
        found = await _earlier(claim, now)  # the same key at once: the other one committed
        if found is None:
            raise
        return found, True
    return made, False
