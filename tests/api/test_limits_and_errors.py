"""Query limits, error codes, masking, and the HTTP side of /graphql."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from contentapi.articles import queries
from contentapi.demo.content import SEED
from tests.conftest import error_codes, gql


async def test_more_than_thirty_aliases(demo_client: httpx.AsyncClient) -> None:
    ok = "{ " + " ".join(f"a{i}: locales {{ code }}" for i in range(30)) + " }"
    assert "errors" not in await gql(demo_client, ok)
    too_many = "{ " + " ".join(f"a{i}: locales {{ code }}" for i in range(31)) + " }"
    body = await gql(demo_client, too_many)
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body.get("data") is None


async def test_more_than_5000_tokens(demo_client: httpx.AsyncClient) -> None:
    query = "{ locales { " + "c " * 5200 + "} }"  # short tokens: under the 16 KB text limit
    body = await gql(demo_client, query)
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_syntax_and_validation_errors_are_bad_requests(
    demo_client: httpx.AsyncClient,
) -> None:
    response = await demo_client.post("/graphql", json={"query": "{ articles { "})
    assert error_codes(response.json()) == ["BAD_REQUEST"]
    response = await demo_client.post("/graphql", json={"query": "{ nosuchfield }"})
    assert error_codes(response.json()) == ["BAD_REQUEST"]


async def test_unexpected_errors_are_masked_and_logged(
    demo_client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(queries, "article_id_by_slug", broken)
    with caplog.at_level(logging.ERROR, logger="contentapi.errors"):
        response = await demo_client.post(
            "/graphql", json={"query": '{ article(slug: "x") { id } }'}
        )
    text = response.text
    assert error_codes(response.json()) == ["INTERNAL_ERROR"]
    assert "secret" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert "secret database detail" in caplog.text  # logged in full on the server


async def test_queries_over_get_and_graphiql(demo_client: httpx.AsyncClient) -> None:
    response = await demo_client.get(
        "/graphql",
        params={
            "query": 'query($s: String!) { article(slug: $s, locale: "nn") { title } }',
            "variables": json.dumps({"s": SEED.slug["nn"]}),
        },
    )
    assert response.status_code == 200
    assert response.json()["data"]["article"]["title"] == SEED.title["nn"]
    page = await demo_client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_health_and_readiness(demo_client: httpx.AsyncClient) -> None:
    assert (await demo_client.get("/healthz")).json() == {"status": "ok"}
    ready = await demo_client.get("/readyz")
    assert ready.status_code == 200


async def test_malformed_http_requests_get_a_code(demo_client: httpx.AsyncClient) -> None:
    cases = [
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        {"json": {}},
        {"json": {"query": 5}},
        {"json": {"query": "{ locales { code } }", "variables": "nope"}},
        {"content": b"query", "headers": {"content-type": "text/plain"}},
    ]
    for case in cases:
        response = await demo_client.post("/graphql", **case)
        assert response.status_code == 400, case
        assert error_codes(response.json()) == ["BAD_REQUEST"], case


async def test_several_operations_need_an_operation_name(demo_client: httpx.AsyncClient) -> None:
    document = "query A { locales { code } } query B { locales { name } }"
    response = await demo_client.post("/graphql", json={"query": document})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]
    named = await demo_client.post("/graphql", json={"query": document, "operationName": "B"})
    assert named.json()["data"]["locales"][1] == {"name": "norsk nynorsk"}
