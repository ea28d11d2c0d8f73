"""The real Apollo Client 4 (npm ``@apollo/client``, ``InMemoryCache`` in its default
configuration) against a real ``contentapi serve --demo`` process: an article, the
article lists, their tags, images and videos in Bokmål and then in Nynorsk share one
normalised cache, and read back from it they are never mixed.

Before ids named their locale, every language version of an object had the same id and
Apollo kept one entry for both: after the nn query, the nb article read back from the
cache had the Nynorsk lead, and the nb front page had turned partly into nn.

``tests/js/locale_cache.mjs`` runs the client; when ``tests/js/node_modules`` is missing,
this test runs ``npm ci`` there itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from contentapi.demo.content import SEED
from contentapi.graphql.relay import parse_global_id
from tests.conftest import demo_server_process
from tests.test_apollo_persisted_queries import JS, NODE, ensure_node_modules, needs_node

pytestmark = [pytest.mark.server, needs_node]
LOCALES = ("nb", "nn")


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[str]:
    """A real ``contentapi serve --demo`` process on a free port (its own database)."""
    async with demo_server_process(tmp_path) as base:
        yield base


async def run_client(base: str) -> dict[str, Any]:
    """``node tests/js/locale_cache.mjs``: what the network gave and the cache read back."""
    assert NODE is not None
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(JS / "locale_cache.mjs"),
        base,
        SEED.slug["nb"],
        cwd=JS,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, f"locale_cache.mjs failed:\n{err.decode()}"
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    assert result["error"] is None, result["error"]
    return result


def localised(data: Any) -> list[dict[str, Any]]:
    """Every object with an id and a ``locale`` in a query's data."""
    found = []
    if isinstance(data, dict):
        if "id" in data and "locale" in data:
            found.append(data)
        for value in data.values():
            found += localised(value)
    elif isinstance(data, list):
        for value in data:
            found += localised(value)
    return found


async def test_apollo_cache_never_mixes_bokmal_and_nynorsk(server: str) -> None:
    ensure_node_modules()
    run = await run_client(server)
    network, cache = run["network"], run["cache"]

    # 1. read back from the cache after every query ran, each answer is what the
    #    network gave for it: nb stayed nb after nn was fetched, and the other way round
    assert set(cache) == set(network)
    for name, answer in network.items():
        assert cache[name]["read"] == answer, name
        assert cache[name]["cacheOnly"] == answer, name

    # 2. and what the network gave is the right language: the article ...
    for locale in LOCALES:
        article = network[f"article.{locale}"]["article"]
        assert article["lead"] == SEED.lead[locale]
        assert article["requestedLocale"] == locale
        assert all(o["locale"] == locale for o in localised(article)), article
        assert article["commentCountLabel"].endswith(
            "kommentarar" if locale == "nn" else "kommentarer"
        )
    nb, nn = network["article.nb"]["article"], network["article.nn"]["article"]
    names = {loc: {t["key"]: t["name"] for t in a["tags"]} for loc, a in (("nb", nb), ("nn", nn))}
    assert (names["nb"]["kommuner"], names["nn"]["kommuner"]) == ("Kommuner", "Kommunar")
    assert nb["leadImage"]["alt"] != nn["leadImage"]["alt"]
    assert "saman med" in nn["leadImage"]["alt"] and "sammen med" in nb["leadImage"]["alt"]
    assert [v["caption"] for v in nb["videos"]] != [v["caption"] for v in nn["videos"]]

    # ... and the lists: nn has Bokmål fallbacks, still cached apart from the nb entries
    for locale in LOCALES:
        nodes = [e["node"] for e in network[f"list.{locale}"]["articles"]["edges"]]
        assert len(nodes) == 20
        for found in nodes:
            assert parse_global_id(found["id"]).locale == locale
    nn_list = [e["node"] for e in network["list.nn"]["articles"]["edges"]]
    nb_list = [e["node"] for e in network["list.nb"]["articles"]["edges"]]
    assert any(n["isFallback"] for n in nn_list) and any(not n["isFallback"] for n in nn_list)
    assert not {n["id"] for n in nb_list} & {n["id"] for n in nn_list}
    # the same articles in both lists, in two languages (what a shared id used to mix)
    nb_by_pk = {parse_global_id(n["id"]).pk: n for n in nb_list}
    differ = [
        n
        for n in nn_list
        if (o := nb_by_pk.get(parse_global_id(n["id"]).pk)) and o != {**n, "id": o["id"]}
    ]
    assert len(differ) >= 10, differ

    # 3. node(id) gave back the very object the id came with, in its language
    for locale in LOCALES:
        article = network[f"article.{locale}"]["article"]
        again = network[f"node.article.{locale}"]["node"]
        assert (again["id"], again["lead"], again["locale"]) == (
            article["id"],
            article["lead"],
            locale,
        )
        tag = network[f"node.tag.{locale}"]["node"]
        assert (tag["id"], tag["name"]) == (article["tags"][0]["id"], article["tags"][0]["name"])
        image = network[f"node.image.{locale}"]["node"]
        assert (image["id"], image["alt"]) == (
            article["leadImage"]["id"],
            article["leadImage"]["alt"],
        )
