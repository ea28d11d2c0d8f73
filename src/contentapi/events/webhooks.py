"""Webhook delivery: signed JSON POSTs from the outbox, retried with backoff.

A failing receiver never blocks a write: deliveries are rows written with the write and
sent afterwards by :class:`Dispatcher`. Several processes may run dispatchers; a row is
claimed with a conditional update, so each attempt is made once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx

from contentapi.events.models import WebhookDelivery

logger = logging.getLogger("contentapi.webhooks")
SIGNATURE_HEADER = "X-Contentapi-Signature"
TIMESTAMP_HEADER = "X-Contentapi-Timestamp"
CONCURRENT_SENDS = 10
CLAIM_SECONDS = 60  # a claimed row is retried by anyone after this if its sender died


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
        """Try every due delivery once; returns how many were attempted."""
        now = self.clock()
        due = (
            await WebhookDelivery.filter(
                delivered_at=None, failed_at=None, next_attempt_at__lte=now
            )
            .order_by("next_attempt_at", "id")
            .limit(limit)
        )
        claimed_rows = []
        for row in due:
            claimed = await WebhookDelivery.filter(
                id=row.id, attempts=row.attempts, delivered_at=None, failed_at=None
            ).update(
                attempts=row.attempts + 1, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)
            )
            if claimed:
                claimed_rows.append(row)
        gate = asyncio.Semaphore(CONCURRENT_SENDS)  # one slow receiver does not hold up others

        async def send(row: WebhookDelivery) -> None:
            async with gate:
                await self._send(row, row.attempts + 1)

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
