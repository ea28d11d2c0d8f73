"""Rate limits when their shared store (Redis) is down: still counted, in the process."""

from __future__ import annotations

import pytest

from contentapi.errors import DomainError, ErrorCode
from contentapi.limits import RateLimiter
from tests.conftest import free_port


async def test_a_dead_redis_neither_lifts_the_limit_nor_refuses_everyone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = RateLimiter("3/minute", f"redis://127.0.0.1:{free_port()}/0")  # nobody there
    for _ in range(3):
        await limiter.hit("comment", "client-a")  # under the rate: accepted, not UNAVAILABLE
    with pytest.raises(DomainError) as refused:
        await limiter.hit("comment", "client-a")
    assert refused.value.code is ErrorCode.RATE_LIMITED
    assert 1 <= int(str(refused.value.extensions["retryAfter"])) <= 60
    await limiter.hit("comment", "client-b")  # another client has its own count
    warnings = [r for r in caplog.records if "counted in this process" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once a request


async def test_redis_counts_across_limiters_when_it_is_up() -> None:
    url = "redis://127.0.0.1:6379/0"
    key = f"client-{free_port()}"
    first, second = RateLimiter("2/minute", url), RateLimiter("2/minute", url)
    await first.hit("comment", key)
    await second.hit("comment", key)
    with pytest.raises(DomainError):
        await first.hit("comment", key)  # the other process's attempt counted
    assert not first.outage
