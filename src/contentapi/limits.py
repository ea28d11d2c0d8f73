"""Rate limits (the ``limits`` package): in memory, or in Redis across processes.

When Redis fails or is slow, a limiter counts in this process's memory until Redis answers
again (a warning says so once per outage): a Redis outage neither lifts the limits nor
stops readers from posting.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from contentapi.errors import DomainError, ErrorCode

logger = logging.getLogger("contentapi.limits")
STORE_TIMEOUT_SECONDS = 0.5  # a shared store slower than this is treated as down


class RateLimiter:
    """One rate (e.g. "5/minute") per key (a client hash)."""

    def __init__(self, rate: str, redis_url: str | None = None) -> None:
        self.item = parse(rate)
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared = (
            MovingWindowRateLimiter(RedisStorage(f"async+{redis_url}")) if redis_url else None
        )
        self.outage = False  # the shared store failed; counting locally meanwhile

    async def retry_after(self, namespace: str, key: str) -> int | None:
        """Count one attempt: None while under the rate, else the seconds until the next."""
        if self.shared is not None:
            try:
                async with asyncio.timeout(STORE_TIMEOUT_SECONDS):
                    found = await self._count(self.shared, namespace, key)
            except Exception as exc:  # Redis down or slow: count here meanwhile
                if not self.outage:
                    logger.warning("rate limits counted in this process: %s", type(exc).__name__)
                self.outage = True
            else:
                self.outage = False
                return found
        return await self._count(self.local, namespace, key)

    async def _count(
        self, limiter: MovingWindowRateLimiter, namespace: str, key: str
    ) -> int | None:
        if await limiter.hit(self.item, namespace, key):
            return None
        stats = await limiter.get_window_stats(self.item, namespace, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def hit(self, namespace: str, key: str) -> None:
        """Count one attempt; RATE_LIMITED (with ``retryAfter`` seconds) when over the rate."""
        retry_after = await self.retry_after(namespace, key)
        if retry_after is None:
            return
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            f"Too many attempts; try again in {retry_after} seconds",
            extensions={"retryAfter": retry_after},
            params={"seconds": retry_after},
        )
