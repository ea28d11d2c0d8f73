"""The read rate limit: requests to ``/graphql`` per client, before anything else runs.

Clients are known by the same salted hash the comment limit counts (never the address).
Loopback clients (tests, benchmarks, a local proxy) are not counted unless asked for.
A rate store that fails or is slow (Redis down) lets the request through: the limit
protects the server, it must not become the thing that stops it.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache

from starlette.types import Scope, Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import send_error
from contentapi.limits import RateLimiter

logger = logging.getLogger("contentapi.read_limits")
NAMESPACE = "read"
PATH = "/graphql"

ClientKey = Callable[[str | None], Awaitable[str]]


@lru_cache(maxsize=4096)
def is_loopback_client(address: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1)."""
    if address is None:
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class ReadRateLimit:
    """The rule: a client over its limit is answered ``429 RATE_LIMITED`` with
    ``Retry-After`` (the edge asks before anything else runs, kept answers included)."""

    def __init__(
        self,
        limiter: RateLimiter,
        client_key: ClientKey,
        limit_loopback: bool = False,
    ) -> None:
        self.limiter = limiter
        self.client_key = client_key
        self.limit_loopback = limit_loopback

    async def retry_after(self, scope: Scope) -> int | None:
        """Seconds until this request's client may read again; None: it may now."""
        if scope["path"] != PATH:
            return None
        client = scope.get("client")
        address = client[0] if client else None
        if not self.limit_loopback and is_loopback_client(address):
            return None
        # (a Redis outage is the limiter's: it counts in this process meanwhile)
        try:
            return await self.limiter.retry_after(NAMESPACE, await self.client_key(address))
        except Exception as exc:  # no client key (the database is down): serve, say so
            logger.warning("read rate limit not counted: %s", type(exc).__name__)
            return None


async def refuse(send: Send, retry_after: int) -> None:
    """The ``429`` of a client over its read limit."""
    await send_error(
        send,
        429,
        ErrorCode.RATE_LIMITED,
        f"Too many requests; try again in {retry_after} seconds",
        headers={"Retry-After": str(retry_after)},
        extensions={"retryAfter": retry_after},
    )
