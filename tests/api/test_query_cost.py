"""The query cost limit (before anything runs), the cost when asked, the response size cap."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from contentapi.demo.content import SEED
from tests.conftest import QueryCounter, bearer, error_codes, make_tokens

ROOT = Path(__file__).resolve().parents[2]
MAX_COST = 1000  # the default

ATTACK = (  # the issue's: 4.4 KB that answered 62.6 MB
    "{ "
    + " ".join(
        f"a{i}: articles(first: 100) {{ edges {{ node {{ title body "
        f"comments(first: 100) {{ edges {{ node {{ body authorName }} }} }} }} }} }}"
        for i in range(30)
    )
    + " }"
)


async def ask(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST a query asking for its cost."""
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}, "extensions": {"cost": True}},
        headers=headers or {},
    )
    body: dict[str, Any] = response.json()
    return body


async def test_a_query_over_the_limit_is_refused_before_any_sql(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    response = await demo_client.post("/graphql", json={"query": ATTACK})
    body = response.json()
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    extensions = body["errors"][0]["extensions"]
    assert extensions["maxCost"] == MAX_COST and extensions["cost"] > 100 * MAX_COST
    assert body.get("data") is None
    assert count_queries.statements == []  # nothing ran


async def test_page_sizes_from_variables_and_their_defaults_count(
    demo_client: httpx.AsyncClient,
) -> None:
    query = """query($n: Int = 100) { articles(first: $n) { edges { node {
      comments(first: $n) { edges { node { body } } } } } } }"""
    assert error_codes(await ask(demo_client, query)) == ["QUERY_TOO_COMPLEX"]  # the default
    assert error_codes(await ask(demo_client, query, {"n": 100})) == ["QUERY_TOO_COMPLEX"]
    small = await ask(demo_client, query, {"n": 3})
    assert "errors" not in small
    # articles: 1 + 3 x (edge 1 + node 1 + comments (1 + 3 x (edge 1 + node 1)))
    assert small["extensions"] == {"cost": 1 + 3 * (2 + 7), "maxCost": MAX_COST}
    # no page size given: the field's default (20)
    plain = await ask(demo_client, "{ articles { totalCount edges { node { title } } } }")
    assert plain["extensions"]["cost"] == 1 + 20 * 2


async def test_fragments_cost_what_they_hold(demo_client: httpx.AsyncClient) -> None:
    inline = "{ articles(first: 50) { edges { node { title leadImage { url } tags { name } } } } }"
    spread = """{ articles(first: 50) { ...Page } }
      fragment Page on ArticleConnection { edges { node { ...Card } } }
      fragment Card on Article { title leadImage { url } tags { name } }"""
    costs = [(await ask(demo_client, q))["extensions"]["cost"] for q in (inline, spread)]
    assert costs == [1 + 50 * 4, 1 + 50 * 4]
    heavy = spread.replace("first: 50", "first: 100").replace(
        "tags { name }", "comments(first: 100) { edges { node { body } } }"
    )
    assert error_codes(await ask(demo_client, heavy)) == ["QUERY_TOO_COMPLEX"]


def reader_page_queries() -> list[str]:
    """Every query the reference reader page sends (src/contentapi/static/reader.js)."""
    script = (ROOT / "src/contentapi/static/reader.js").read_text(encoding="utf-8")
    found = [m.group(1) for m in re.finditer(r"`(query\(.*?)`", script, re.DOTALL)]
    found += [
        m.group(1).replace('\\"', '"') for m in re.finditer(r'"(query\((?:[^"\\]|\\.)*)"', script)
    ]
    return found


def readme_queries() -> list[str]:
    """The README's example queries (mutations left out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", readme, re.DOTALL)
    return [b for b in blocks if "mutation" not in b and "subscription" not in b]


async def test_the_demo_pages_and_readme_examples_fit_with_room(
    demo_client: httpx.AsyncClient,
) -> None:
    queries = reader_page_queries()
    assert len(queries) >= 1  # a count label (the server renders the page itself)
    examples = readme_queries()
    assert len(examples) >= 3
    variables = {"slug": SEED.slug["nn"], "l": "nn", "c": 3}
    editor = bearer((await make_tokens())["editor"])  # some examples are editors' lists
    for query in queries + examples:
        body = await ask(demo_client, query, variables if "$" in query else None, editor)
        assert "errors" not in body, (query, body)
        assert body["extensions"]["cost"] <= MAX_COST // 2, query  # half the limit at most


async def test_the_cost_is_told_only_when_asked_and_never_kept(
    demo_client: httpx.AsyncClient,
) -> None:
    query = "{ articles(first: 5) { edges { node { title } } } }"
    plain = await demo_client.get("/graphql", params={"query": query})
    assert "extensions" not in plain.json()
    again = await demo_client.get("/graphql", params={"query": query})
    assert again.headers.get("x-cache") == "HIT"
    for _ in range(2):  # the same text with the cost: computed each time, not from the cache
        asked = await demo_client.get(
            "/graphql", params={"query": query, "extensions": json.dumps({"cost": True})}
        )
        assert asked.json()["extensions"] == {"cost": 11, "maxCost": MAX_COST}
        assert "x-cache" not in asked.headers
    posted = await ask(demo_client, query)
    assert posted["extensions"]["cost"] == 11
