"""/metrics after known traffic: requests and latency by operation and route, error codes,
SQL per request, the response cache, the pool, the webhook queue; and two real server
processes sharing PROMETHEUS_MULTIPROC_DIR, each showing the sum of both."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from contentapi.events.models import WebhookDelivery
from contentapi.metrics import MAX_OPERATIONS
from tests.conftest import (
    TEST_DATABASE_URL,
    QueryCounter,
    configured_server_process,
    make_settings,
    postgres_database_url,
    running_app,
)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
FRONT = '{ articles(locale: "nb", first: 3) { edges { node { title } } } }'
SPECIAL = {"", "anonymous", "invalid", "unknown", "other"}


def parse(text: str) -> Samples:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def settled(client: httpx.AsyncClient, requests: float) -> Samples:
    """A scrape once it counts ``requests`` of the operation Shared (within 15 seconds)."""
    labels = {"route": "/graphql", "operation": "Shared", "status": "200"}
    deadline = time.monotonic() + 15
    while True:
        samples = await scrape(client)
        if value(samples, "contentapi_requests_total", **labels) >= requests:
            return samples
        assert time.monotonic() < deadline, "the other process's counts never arrived"
        await asyncio.sleep(0.2)


def label_values(samples: Samples, label: str) -> set[str]:
    return {dict(labels)[label] for _, labels in samples if label in dict(labels)}


@pytest.fixture
async def app_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh demo app of this test's own (its counters start at nothing)."""
    async with running_app(await make_settings(tmp_path), demo=True) as client:
        yield client


async def test_requests_count_by_operation_and_route_template(
    app_client: httpx.AsyncClient,
) -> None:
    client = app_client
    before = await scrape(client)
    named = f"query FrontPage {FRONT}"
    answers = [  # computed once, then kept answers from the fast path
        *[await client.post("/graphql", json={"query": named}) for _ in range(3)],
        *[await client.get("/graphql", params={"query": FRONT}) for _ in range(2)],  # no name
    ]
    assert all(answer.status_code == 200 for answer in answers)
    kept = sum(answer.headers.get("x-cache") == "HIT" for answer in answers)
    assert kept >= 1
    for path, status in [
        ("/", 200),
        ("/", 200),
        ("/healthz", 200),
        ("/media/nope-a1b2.jpg", 404),
        ("/media/w320/nope-a1b2.jpg", 404),
        ("/nowhere/c3d4", 404),
    ]:
        assert (await client.get(path)).status_code == status, path
    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "contentapi_requests_total"
    assert delta(requests, route="/graphql", operation="FrontPage", status="200") == 3
    assert delta(requests, route="/graphql", operation="anonymous", status="200") == 2
    assert delta(requests, route="/", operation="", status="200") == 2
    assert delta(requests, route="/healthz", operation="", status="200") == 1
    assert delta(requests, route="/media", operation="", status="404") == 1
    assert delta(requests, route="/media/w{width:int}/{file:path}", operation="", status="404") == 1
    assert delta(requests, route="unmatched", operation="", status="404") == 1
    assert delta(requests, route="/metrics", operation="", status="200") == 1  # the first scrape
    duration = "contentapi_request_duration_seconds"
    assert delta(f"{duration}_count", route="/graphql", operation="FrontPage") == 3
    assert delta(f"{duration}_bucket", route="/graphql", operation="FrontPage", le="+Inf") == 3
    assert delta(f"{duration}_sum", route="/graphql", operation="FrontPage") > 0
    # (mostly one computation per shape of request; more if a change emptied the cache)
    assert delta("contentapi_cache_hits_total") == kept
    assert delta("contentapi_cache_misses_total") == 5 - kept
    assert delta("contentapi_cache_stores_total") >= 2
    assert delta("contentapi_errors_total", code="NOT_FOUND") == 3
    routes = label_values(after, "route")
    assert not any("nope" in r or "nowhere" in r for r in routes), routes  # templates only


async def test_operation_names_are_bounded(app_client: httpx.AsyncClient) -> None:
    client = app_client
    extra = 10
    for n in range(MAX_OPERATIONS + extra):
        query = f"query Bounded{n} {{ __typename }}"
        assert (await client.post("/graphql", json={"query": query})).status_code == 200
    long_name = "L" * 200  # a GraphQL name, but no client names an operation so
    await client.post("/graphql", json={"query": f"query {long_name} {{ __typename }}"})
    await client.get(  # an operationName the document does not have, and not a name
        "/graphql", params={"query": "query A { __typename }", "operationName": "<b>x@y.no"}
    )
    samples = await scrape(client)
    operations = label_values(samples, "operation") - SPECIAL
    assert len(operations) == MAX_OPERATIONS and all(o.startswith("Bounded") for o in operations)
    requests = "contentapi_requests_total"
    assert value(samples, requests, route="/graphql", operation="other", status="200") == extra
    assert value(samples, requests, route="/graphql", operation="invalid", status="200") == 1
    assert value(samples, requests, route="/graphql", operation="invalid", status="400") == 1


async def test_errors_are_counted_by_code(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, read_rate_limit="2/minute")
    async with running_app(settings, demo=True) as local:
        transport = local._transport
        assert isinstance(transport, httpx.ASGITransport)

        def client_for(host: str = "testserver", address: str = "127.0.0.1") -> httpx.AsyncClient:
            return httpx.AsyncClient(
                transport=httpx.ASGITransport(app=transport.app, client=(address, 4000)),
                base_url=f"http://{host}",
            )

        before = await scrape(local)
        invalid = await local.post("/graphql", json={"query": "{ noSuchField }"})
        assert invalid.status_code == 200 and invalid.json()["errors"]
        two = await local.post("/graphql", json={"query": "{ a: noSuchField b: nor }"})
        assert len(two.json()["errors"]) == 2
        unknown = '{"persistedQuery": {"version": 1, "sha256Hash": "%s"}}' % ("ab" * 32)
        persisted = await local.get("/graphql", params={"extensions": unknown})
        assert persisted.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        async with client_for(host="evil.example") as evil:
            assert (await evil.get("/graphql", params={"query": FRONT})).status_code == 400
        async with client_for(address="192.0.2.7") as remote:
            statuses = [
                (await remote.get("/graphql", params={"query": FRONT})).status_code
                for _ in range(3)
            ]
        assert statuses == [200, 200, 429]
        after = await scrape(local)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("contentapi_errors_total", code="BAD_REQUEST") == 1 + 2 + 1  # GraphQL, Host
    assert delta("contentapi_errors_total", code="PERSISTED_QUERY_NOT_FOUND") == 1
    assert delta("contentapi_errors_total", code="RATE_LIMITED") == 1
    requests = "contentapi_requests_total"
    assert delta(requests, route="/graphql", operation="unknown", status="400") == 1  # the Host
    assert delta(requests, route="/graphql", operation="unknown", status="429") == 1


async def test_sql_statements_and_time_per_request(
    app_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    client = app_client
    query = 'query SqlCount { articles(locale: "nb", first: 5) { edges { node { title } } } }'
    before = await scrape(client)
    sent = len(count_queries.statements)
    first = await client.post("/graphql", json={"query": query})
    computed = len(count_queries.statements) - sent
    second = await client.post("/graphql", json={"query": query})
    total = len(count_queries.statements) - sent
    after = await scrape(client)
    assert first.status_code == second.status_code == 200
    kept = second.headers.get("x-cache") == "HIT"  # (unless a change emptied the cache)
    assert computed > 0 and (total == computed) == kept  # a kept answer sends no SQL

    def delta(name: str) -> float:
        labels = {"route": "/graphql", "operation": "SqlCount"}
        return value(after, name, **labels) - value(before, name, **labels)

    labels = {"route": "/graphql", "operation": "SqlCount"}
    assert value(after, "contentapi_requests_total", **labels, status="200") == 2
    statements = "contentapi_request_sql_statements"
    assert delta(f"{statements}_count") == (1 if kept else 2)  # requests that sent SQL
    assert delta(f"{statements}_sum") == total  # the same statements the tests count
    sql_time = "contentapi_request_sql_duration_seconds"
    assert delta(f"{sql_time}_count") == (1 if kept else 2) and delta(f"{sql_time}_sum") > 0


async def test_webhook_queue_depth_and_pool_are_read_when_scraped(
    app_client: httpx.AsyncClient,
) -> None:
    now = datetime.now(UTC)
    later = now + timedelta(days=1)  # not due: the delivery round leaves them alone

    async def delivery(**fields: Any) -> WebhookDelivery:
        return await WebhookDelivery.create(
            url="http://192.0.2.1/hook",
            event="article.published",
            payload="{}",
            next_attempt_at=later,
            created_at=now,
            **fields,
        )

    pending = [await delivery() for _ in range(3)]
    await delivery(delivered_at=now)
    await delivery(failed_at=now, attempts=8)
    samples = await scrape(app_client)
    assert value(samples, "contentapi_webhook_queue_depth") == 3
    pending[0].delivered_at = now
    await pending[0].save()
    samples = await scrape(app_client)
    assert value(samples, "contentapi_webhook_queue_depth") == 2

    size = value(samples, "contentapi_db_pool_size")
    in_use = value(samples, "contentapi_db_pool_in_use")
    most = value(samples, "contentapi_db_pool_max")
    if TEST_DATABASE_URL:  # asyncpg's pool
        assert 1 <= size <= most and 0 <= in_use <= size
    else:  # SQLite: one connection, free between requests
        assert (size, in_use, most) == (1, 0, 1)
    assert value(samples, "contentapi_cache_max_bytes") > 0


async def test_two_processes_sharing_a_multiprocess_dir_show_the_sum(tmp_path: Path) -> None:
    url = await postgres_database_url()
    shared = tmp_path / "prometheus"
    for folder in (shared, tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
    env = {"CONTENTAPI_DATABASE_URL": url, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    query = {"query": f"query Shared {FRONT}"}
    async with configured_server_process(tmp_path / "a", **env) as (a, _):
        async with (
            configured_server_process(tmp_path / "b", demo=False, **env) as (b, _),
            httpx.AsyncClient(base_url=a) as first,
            httpx.AsyncClient(base_url=b) as second,
        ):
            for client, times in ((first, 3), (second, 2)):
                for _ in range(times):
                    assert (await client.post("/graphql", json=query)).status_code == 200
            # each process writes its numbers to the files within a second of a request
            seen_by = [await settled(first, 5), await settled(second, 5)]
        # the second process has stopped: its counts stay, its pool is no longer counted
        async with httpx.AsyncClient(base_url=a) as first:
            alone = await scrape(first)
    shared_op = {"route": "/graphql", "operation": "Shared", "status": "200"}
    for samples in seen_by:
        assert value(samples, "contentapi_requests_total", **shared_op) == 5
        duration = "contentapi_request_duration_seconds_count"
        assert value(samples, duration, route="/graphql", operation="Shared") == 5
        cache = ("contentapi_cache_misses_total", "contentapi_cache_hits_total")
        assert sum(value(samples, name) for name in cache) == 5  # each one or the other
    one_pool = value(alone, "contentapi_db_pool_max")
    assert one_pool >= 1
    assert value(seen_by[0], "contentapi_db_pool_max") == 2 * one_pool  # both pools, summed
    assert value(alone, "contentapi_requests_total", **shared_op) == 5
