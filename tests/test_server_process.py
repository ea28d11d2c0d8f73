"""A real ``contentapi serve --demo`` process on a free port."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from contentapi.demo.content import SEED
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": await fresh_database_url(tmp_path),
        "CONTENTAPI_MEDIA_DIR": str(tmp_path / "media"),
    }
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "contentapi", "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=1) as probe:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"server exited early:\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"not ready in 60 s:\n{log_path.read_text()}")
                try:
                    if (await probe.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
