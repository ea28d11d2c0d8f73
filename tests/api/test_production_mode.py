"""Production mode: introspection, suggestions and GraphiQL for anonymous callers, and
persisted-only queries from an Apollo manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from contentapi.errors import ConfigError
from tests.conftest import bearer, error_codes, make_settings, make_tokens, running_app

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Article") { name } }'
TYPO = "{ locales { cod } }"
LOCALES = "query Locales { locales { code } }"
FIRST = "query First { articles(first: 1) { edges { node { slug } } } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def manifest(folder: Path, *bodies: str) -> Path:
    """An Apollo persisted-query manifest with ``bodies``."""
    path = folder / "persisted-query-manifest.json"
    operations = [{"id": sha(b), "name": b.split()[1], "type": "query", "body": b} for b in bodies]
    path.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    return path


async def post(client: httpx.AsyncClient, payload: dict[str, Any], **headers: str) -> Any:
    return (await client.post("/graphql", json=payload, headers=headers)).json()


async def test_anonymous_callers_get_no_introspection_or_hints(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, env="production")
    async with running_app(settings) as client:
        tokens = await make_tokens()
        token = bearer(tokens["translator"])
        for _ in range(2):  # the validation cache keeps the two kinds of caller apart
            for query in (INTROSPECTION, TYPE):
                anonymous = await post(client, {"query": query})
                assert error_codes(anonymous) == ["FORBIDDEN"] and anonymous.get("data") is None
                known = await post(client, {"query": query}, **token)
                assert "errors" not in known, known
        typename = await post(client, {"query": "{ __typename locales { code } }"})
        assert typename["data"]["__typename"] == "Query"
        hint = (await post(client, {"query": TYPO}))["errors"][0]
        assert hint["extensions"]["code"] == "BAD_REQUEST"
        detail = hint["extensions"]["detail"]
        assert "Did you mean" not in detail and "cod" in detail
        enum = await post(
            client,
            {
                "query": "query($o: ArticleOrder) { articles(orderBy: $o) { totalCount } }",
                "variables": {"o": "PUBLISHED_DES"},
            },
        )
        assert error_codes(enum) == ["BAD_REQUEST"]
        assert "Did you mean" not in enum["errors"][0]["extensions"]["detail"]
        helped = (await post(client, {"query": TYPO}, **token))["errors"][0]
        # token holders keep the hints
        assert "Did you mean 'code'?" in helped["extensions"]["detail"]
        bad = await post(client, {"query": INTROSPECTION}, **bearer("cat_nope"))
        assert error_codes(bad) == ["UNAUTHENTICATED"]
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 404 and error_codes(page.json()) == ["NOT_FOUND"]
        assert page.headers["content-type"].startswith("application/json")


async def test_development_keeps_introspection_hints_and_graphiql(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        assert "errors" not in await post(client, {"query": INTROSPECTION})
        hint = (await post(client, {"query": TYPO}))["errors"][0]["extensions"]["detail"]
        assert "Did you mean 'code'?" in hint
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_graphiql_can_be_turned_on_in_production(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, env="production", graphiql=True)
    async with running_app(settings) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_persisted_only_runs_the_manifest_for_anonymous_callers(tmp_path: Path) -> None:
    path = manifest(tmp_path, LOCALES, FIRST)
    settings = await make_settings(tmp_path, persisted_queries_file=path, persisted_only=True)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(LOCALES)}}}
        assert (await post(client, by_hash))["data"]["locales"][0]["code"] == "nb"
        got = await client.get("/graphql", params={"extensions": json.dumps(by_hash["extensions"])})
        assert got.json()["data"]["locales"]
        assert (await post(client, {"query": FIRST}))["data"]["articles"]["edges"]  # same text
        other = "{ locales { name } }"
        refused = await client.post("/graphql", json={"query": other})
        assert refused.status_code == 400
        assert error_codes(refused.json()) == ["PERSISTED_QUERY_REQUIRED"]
        register = {  # an automatic persisted query may not be registered either
            "query": other,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(other)}},
        }
        assert error_codes(await post(client, register)) == ["PERSISTED_QUERY_REQUIRED"]
        unknown = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(other)}}}
        assert error_codes(await post(client, unknown)) == ["PERSISTED_QUERY_REQUIRED"]
        editor = bearer(tokens["editor"])
        assert (await post(client, {"query": other}, **editor))["data"]["locales"]
        assert error_codes(await post(client, {"query": other}, **bearer("cat_x"))) == [
            "UNAUTHENTICATED"
        ]


async def test_manifest_queries_may_be_longer_than_the_anonymous_limit(tmp_path: Path) -> None:
    long = "query Long { locales { code } }\n#" + "x" * 20_000
    path = manifest(tmp_path, long)
    settings = await make_settings(tmp_path, persisted_queries_file=path)
    async with running_app(settings) as client:
        assert (await post(client, {"query": long}))["data"]["locales"]
        by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(long)}}}
        assert (await post(client, by_hash))["data"]["locales"]
        other = long.replace("Long", "Other")
        assert error_codes(await post(client, {"query": other})) == ["QUERY_TOO_COMPLEX"]


async def test_a_broken_manifest_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha("x"), "body": LOCALES}],
            }
        )
    )
    settings = await make_settings(tmp_path, persisted_queries_file=path)
    with pytest.raises(ConfigError, match="SHA-256"):
        async with running_app(settings):
            pass
    path.write_text("[]")
    with pytest.raises(ConfigError, match="apollo-persisted-query-manifest"):
        async with running_app(settings):
            pass
