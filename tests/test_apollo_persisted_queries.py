"""The real Apollo Client (npm ``@apollo/client``, its PersistedQueryLink with
``useGETForHashedQueries``) against a real ``contentapi serve --demo`` process: automatic
persisted queries as a frontend meets them, then the same HTTP rules checked with httpx.

``tests/js/apq.mjs`` runs the client and records every request it makes; when
``tests/js/node_modules`` is missing this test runs ``npm ci`` there itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import demo_server_process

pytestmark = pytest.mark.server

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed (the Apollo Client test needs node and npm)"
)
CACHEABLE = "public, max-age=10, stale-while-revalidate=30"
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> str:
    """The ``extensions`` of an APQ request naming ``text`` by its hash, as JSON."""
    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}})


def ensure_node_modules() -> None:
    """``npm ci`` in tests/js when any of its packages is not installed (a fresh clone)."""
    wanted = json.loads((JS / "package.json").read_text()).get("dependencies", {})
    if all((JS / "node_modules" / name / "package.json").exists() for name in wanted):
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("node is installed but npm is not: cannot install tests/js (npm ci)")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"npm ci in {JS} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[str]:
    """A real ``contentapi serve --demo`` process on a free port (its own database)."""
    async with demo_server_process(tmp_path) as base:
        yield base


async def run_apollo(base: str, clients: int) -> list[dict[str, Any]]:
    """``node tests/js/apq.mjs``: each client's data, error and recorded requests."""
    assert NODE is not None
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(JS / "apq.mjs"),
        base,
        str(clients),
        cwd=JS,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, f"apq.mjs failed ({process.returncode}):\n{err.decode()}"
    result: list[dict[str, Any]] = json.loads(out.decode().strip().splitlines()[-1])["clients"]
    return result


@needs_node
async def test_apollo_client_persisted_queries_against_a_real_server(server: str) -> None:
    ensure_node_modules()
    first, second, third = await run_apollo(server, 3)
    for client in (first, second, third):
        assert client["error"] is None, client

    # 1. A client that never sent the text asks by hash alone, over GET, and hears that
    #    the server does not know it yet; then it sends hash and text (Apollo: as POST).
    assert len(first["requests"]) == 2, first["requests"]
    asked, taught = first["requests"]
    digest = asked["hash"]
    assert (asked["method"], asked["hasQuery"], asked["status"]) == ("GET", False, 200)
    assert len(digest) == 64
    assert asked["errorCodes"] == ["PERSISTED_QUERY_NOT_FOUND"]
    assert asked["errorMessages"] == ["PersistedQueryNotFound"] and not asked["hasData"]
    assert asked["cacheControl"] == "no-store" and asked["etag"] is None

    assert (taught["method"], taught["hasQuery"], taught["status"]) == ("POST", True, 200)
    assert taught["hash"] == digest == sha256(taught["query"])  # the hash of the text sent
    assert taught["errorCodes"] == [] and taught["hasData"]
    assert taught["xCache"] is None  # computed, not kept: nobody had asked before
    assert taught["cacheControl"] == "no-store"  # a POST is never for shared caches

    # 2. The next clients send the hash alone, over GET, and get data at once: the server
    #    remembered the text, and answers from what it kept after the first client's POST.
    etags = set()
    for later in (second, third):
        assert len(later["requests"]) == 1, later["requests"]
        (only,) = later["requests"]
        assert (only["method"], only["hasQuery"], only["hash"]) == ("GET", False, digest)
        assert (only["status"], only["errorCodes"], only["hasData"]) == (200, [], True)
        assert only["xCache"] == "HIT"
        assert only["cacheControl"] == CACHEABLE
        assert only["etag"] and not only["etag"].startswith("W/")
        etags.add(only["etag"])
    assert len(etags) == 1

    # 3. Every client saw the same front page, in Nynorsk where there is one, and it is
    #    what the server gives a plain request for the same text.
    assert first["data"] == second["data"] == third["data"]
    nodes = [edge["node"] for edge in first["data"]["articles"]["edges"]]
    assert len(nodes) == 5
    assert all(n["locale"] == "nn" or n["isFallback"] for n in nodes), nodes
    nn_titles = {n["title"] for n in nodes if n["locale"] == "nn"}
    assert len(nn_titles) >= 3, nodes
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        plain = await client.post("/graphql", json={"query": taught["query"]})
        assert plain.status_code == 200 and plain.json() == {"data": first["data"]}
        nb = await client.post(
            "/graphql",
            json={"query": '{ articles(locale: "nb", first: 100) { edges { node { title } } } }'},
        )
        nb_titles = {e["node"]["title"] for e in nb.json()["data"]["articles"]["edges"]}
        assert nb_titles and not nn_titles & nb_titles  # Nynorsk titles, not Bokmål ones

        # 4. The GET the client made is revalidated with its ETag: 304, no body.
        url = second["requests"][0]["url"]
        again = await client.get(url, headers={"If-None-Match": etags.pop()})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == second["requests"][0]["etag"]


async def test_unknown_hash_is_not_found_until_the_text_comes(server: str) -> None:
    """The same protocol without Apollo, so a failure above can be told from a client one."""
    query = '{ messages(locale: "nn", keys: ["comments.heading"]) { key text } }'
    params = {"extensions": persisted(query)}
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        unknown = await client.get("/graphql", params=params)
        assert (unknown.status_code, unknown.json()) == (200, NOT_FOUND)
        assert unknown.headers["cache-control"] == "no-store"
        sent = await client.get("/graphql", params={**params, "query": query})
        assert sent.status_code == 200 and "errors" not in sent.json()
        known = await client.get("/graphql", params=params)
        assert known.status_code == 200 and known.json() == sent.json()


async def test_a_hash_that_does_not_match_the_text_is_refused(server: str) -> None:
    query = "{ locales { code isDefault } }"
    wrong = persisted("{ locales { code } }")
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        for response in (
            await client.post("/graphql", json={"query": query, "extensions": json.loads(wrong)}),
            await client.get("/graphql", params={"query": query, "extensions": wrong}),
        ):
            assert response.status_code == 400, response.text
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "BAD_REQUEST"
            assert error["message"] == "provided sha does not match query"
            assert response.headers["cache-control"] == "no-store"
        # nothing was remembered under the wrong hash
        after = await client.get("/graphql", params={"extensions": wrong})
        assert after.json() == NOT_FOUND


async def test_a_mismatching_hash_is_refused_even_when_its_answer_is_kept(server: str) -> None:
    """The hash of a document whose answer is kept, sent with other text: still 400, never
    the kept answer of the document the hash names (a bug this test found, fixed in
    cache/keys.lookup)."""
    kept = "{ locales { code } }"
    other = '{ messages(locale: "nn", keys: ["comments.heading"]) { key text } }'
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        first = await client.get("/graphql", params={"query": kept})
        again = await client.get("/graphql", params={"query": kept})
        assert first.status_code == 200 and again.headers.get("x-cache") == "HIT"
        wrong = await client.get("/graphql", params={"query": other, "extensions": persisted(kept)})
        assert wrong.status_code == 400, (wrong.headers.get("x-cache"), wrong.text)
        assert wrong.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_an_anonymous_get_is_revalidated_with_its_etag(server: str) -> None:
    query = '{ articles(locale: "nn", first: 2) { edges { node { slug } } } }'
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        first = await client.get("/graphql", params={"query": query})
        assert first.status_code == 200 and first.json()["data"]["articles"]["edges"]
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == CACHEABLE
        same = await client.get(
            "/graphql", params={"query": query}, headers={"If-None-Match": etag}
        )
        assert same.status_code == 304 and same.content == b""
        assert same.headers["etag"] == etag and same.headers["x-cache"] == "HIT"
        assert same.headers["cache-control"] == CACHEABLE
        stale = await client.get(
            "/graphql", params={"query": query}, headers={"If-None-Match": '"not-this-one"'}
        )
        assert stale.status_code == 200 and stale.json() == first.json()
