"""Rate limits (the ``limits`` package): in memory, or in Redis across processes."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from contentapi.errors import DomainError, ErrorCode


class RateLimiter:
    """One rate (e.g. "5/minute") per key (a client hash)."""

    def __init__(self, rate: str, redis_url: str | None = None) -> None:
        self.item = parse(rate)
        storage: Storage = RedisStorage(f"async+{redis_url}") if redis_url else MemoryStorage()
        self.limiter = MovingWindowRateLimiter(storage)

    async def retry_after(self, namespace: str, key: str) -> int | None:
        """Count one attempt: None while under the rate, else the seconds until the next."""
        if await self.limiter.hit(self.item, namespace, key):
            return None
        stats = await self.limiter.get_window_stats(self.item, namespace, key)
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
