"""Webhook delivery: signed JSON POSTs from the outbox, retried with backoff.

A failing receiver never blocks a write: deliveries are rows written with the write and
sent afterwards by :class:`Dispatcher`. Every worker of every server runs one; due rows
are claimed in one statement (an ``UPDATE ... RETURNING`` of the rows it picked, with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so each attempt is made by one dispatcher,
once. A claim holds a row for :data:`CLAIM_SECONDS`: if its sender dies before it
records the outcome, the row is due again after that.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from tortoise.connection import connections

from contentapi import sql
from contentapi.events.models import WebhookDelivery
from contentapi.sqlite_client import GuardedSqliteClient

logger = logging.getLogger("contentapi.webhooks")
SIGNATURE_HEADER = "X-Contentapi-Signature"
TIMESTAMP_HEADER = "X-Contentapi-Timestamp"
CONCURRENT_SENDS = 10
CLAIM_SECONDS = 60  # a claimed row is retried by anyone after this if its sender died

# the due rows, oldest first, made ours in one statement: $1 the claim's end, $2 now,
# $3 how many. {lock} is PostgreSQL's: concurrent claims skip each other's rows. The
# rows are picked in a MATERIALIZED common table expression, evaluated once: a plain
# ``IN (SELECT ... SKIP LOCKED)`` may be evaluated again while the update waits for a
# row, picking more rows than asked and rows another claim took. The outer conditions
# again, for a row another claim changed since this statement's snapshot.
_DUE = '"delivered_at" IS NULL AND "failed_at" IS NULL AND "next_attempt_at" <= {now}'
_CLAIM = (
    'WITH "picked" AS MATERIALIZED (SELECT "id" FROM "webhook_delivery" WHERE {due} '
    'ORDER BY "next_attempt_at", "id" LIMIT $3{lock}) '
    'UPDATE "webhook_delivery" SET "attempts" = "attempts" + 1, "next_attempt_at" = $1 '
    'WHERE "id" IN (SELECT "id" FROM "picked") AND {due} RETURNING {columns}'
)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with the shared secret.

    The timestamp (Unix seconds, also sent as a header) is signed with the body, so a
    receiver can refuse old deliveries replayed later.
    """
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts: int, base: float) -> timedelta:
    """Wait before the next attempt: base, 2 x base, 4 x base ... at most an hour."""
    return timedelta(seconds=min(3600.0, base * 2 ** max(0, attempts - 1)))


class Dispatcher:
    """Sends due deliveries; call :meth:`run_once` from a background loop."""

    def __init__(
        self,
        secret: str,
        clock: Callable[[], datetime],
        *,
        max_attempts: int = 8,
        retry_base_seconds: float = 2.0,
        timeout_seconds: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.secret = secret
        self.clock = clock
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.client = httpx.AsyncClient(timeout=timeout_seconds, transport=transport)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    async def run_once(self, limit: int = 50) -> int:
        """Claim up to ``limit`` due deliveries and try each once; returns how many."""
        now = self.clock()
        claimed_rows = await claim(now, now + timedelta(seconds=CLAIM_SECONDS), limit)
        gate = asyncio.Semaphore(CONCURRENT_SENDS)  # one slow receiver does not hold up others

        async def send(row: WebhookDelivery) -> None:
            async with gate:
                await self._send(row, row.attempts)

        await asyncio.gather(*(send(row) for row in claimed_rows))
        return len(claimed_rows)

    async def _send(self, row: WebhookDelivery, attempt: int) -> None:
        body = row.payload.encode()
        timestamp = str(int(self.clock().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "contentapi-webhooks",
            "X-Contentapi-Event": row.event,
            "X-Contentapi-Delivery": str(row.id),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        error: str | None = None
        try:
            response = await self.client.post(row.url, content=body, headers=headers)
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        now = self.clock()
        if error is None:
            await WebhookDelivery.filter(id=row.id).update(delivered_at=now, last_error=None)
            return
        logger.warning("webhook %s to %s failed (attempt %d): %s", row.id, row.url, attempt, error)
        if attempt >= self.max_attempts:
            await WebhookDelivery.filter(id=row.id).update(failed_at=now, last_error=error)
        else:
            await WebhookDelivery.filter(id=row.id).update(
                next_attempt_at=now + backoff(attempt, self.retry_base_seconds), last_error=error
            )


async def claim(now: datetime, until: datetime, limit: int) -> list[WebhookDelivery]:
    """The deliveries due at ``now`` (at most ``limit``, oldest first), claimed until
    ``until`` with their attempt counted, in one statement: no two callers get a row."""
    # a read first, so an idle round takes no write lock (SQLite) and no row locks
    if not await sql.fetch(
        f'SELECT 1 AS "due" FROM "webhook_delivery" WHERE {_DUE.format(now="?")} LIMIT 1', [now]
    ):
        return []
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    statement = _CLAIM.format(
        due=_DUE.format(now="$2"),
        lock=" FOR UPDATE SKIP LOCKED" if postgres else "",
        columns=", ".join(f'"{name}"' for name in sorted(WebhookDelivery._meta.db_fields)),
    )
    if isinstance(client, GuardedSqliteClient):
        client.check_file()  # never a write into a database file that was removed
    if not postgres:  # SQLite numbers its parameters ?1, ?2 (one writer: no lock needed)
        statement = statement.replace("$", "?")
    rows = await client.execute_query_dict(statement, [until, now, limit])
    return sorted(sql.as_models(WebhookDelivery, rows), key=lambda row: row.id)
