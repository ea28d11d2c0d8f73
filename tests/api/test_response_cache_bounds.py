"""The response cache's memory bound, and the cache turned off."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import make_settings, running_app


def hit(response: httpx.Response) -> bool:
    return response.headers.get("x-cache") == "HIT"


async def test_a_flood_of_distinct_queries_stays_within_the_bound(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    bound = 40_000
    settings = (await make_settings(tmp_path_factory.mktemp("flood"))).with_changes(
        cache_max_bytes=bound
    )
    async with running_app(settings, demo=True) as client:
        for n in range(300):  # each a different document
            response = await client.get(
                "/graphql", params={"query": f"{{ a{n}: articles(first: 3) {{ totalCount }} }}"}
            )
            assert response.status_code == 200
        metrics = (await client.get("/metrics")).text
    held = float(re.search(r"^contentapi_cache_bytes (\S+)$", metrics, re.MULTILINE)[1])  # type: ignore[index]
    evicted = float(
        re.search(r"^contentapi_cache_evictions_total (\S+)$", metrics, re.MULTILINE)[1]  # type: ignore[index]
    )
    assert 0 < held <= bound and evicted > 0


async def test_with_the_cache_off_nothing_is_kept_but_etags_hold(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = (await make_settings(tmp_path_factory.mktemp("off"))).with_changes(cache_max_bytes=0)
    async with running_app(settings, demo=True) as client:
        params = {"query": "{ locales { code } }"}
        first = await client.get("/graphql", params=params)
        second = await client.get(
            "/graphql", params=params, headers={"If-None-Match": first.headers["etag"]}
        )
        assert not hit(first) and second.status_code == 304 and not hit(second)
