"""A real ``contentapi serve --demo`` process on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from contentapi.demo.content import SEED
from tests.conftest import demo_server_process

pytestmark = pytest.mark.server


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[str]:
    """A real ``contentapi serve --demo`` process on a free port (its own database)."""
    async with demo_server_process(tmp_path) as base:
        yield base


async def test_served_demo_article_in_nn(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        response = await client.post(
            "/graphql",
            json={
                "query": 'query($s: String!) { article(slug: $s, locale: "nn") '
                "{ title published updated commentCountLabel leadImage { url credit } } }",
                "variables": {"s": SEED.slug["nn"]},
            },
        )
        article = response.json()["data"]["article"]
        assert article["title"] == SEED.title["nn"]
        assert (article["published"], article["updated"]) == ("08. jun 2018", "04. mar 2019")
        assert article["commentCountLabel"].endswith("kommentarar")
        assert article["leadImage"]["credit"] == "Foto: Difi"
        image = await client.get(article["leadImage"]["url"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
