"""Approved comments reach live subscribers: in one process, and across two server
processes through Redis pub/sub (both on the test database)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from contentapi.app import create_app
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from tests.conftest import bearer, free_port, fresh_database_url, make_settings, make_tokens, serve

REDIS_URL = os.environ.get("CONTENTAPI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POST = """mutation($a: ID!, $b: String!) { postComment(input: {articleId: $a, authorName: "Liv",
  email: "liv@example.org", body: $b}) { comment { id } errors { code } } }"""
APPROVE = """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
  errors { code } } }"""
ARTICLE_ID = "query($s: String!) { article(slug: $s) { id } }"


async def graphql(base: str, query: str, variables: dict[str, Any], **headers: str) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        return dict(response.json())


@pytest.fixture
async def subscriber_to() -> Any:
    """Open a commentApproved subscription on a server; returns an awaitable for the next."""
    sockets = []

    async def subscribe(host: str, article_id: str) -> Any:
        ws = await websockets.connect(f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"])
        sockets.append(ws)
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "c",
                    "type": "subscribe",
                    "payload": {
                        "query": "subscription($a: ID!) { commentApproved(articleId: $a) "
                        "{ authorName body locale } }",
                        "variables": {"a": article_id},
                    },
                }
            )
        )
        await asyncio.sleep(0.3)  # the subscription is registered on the server
        return ws

    yield subscribe
    for ws in sockets:
        await ws.close()


async def next_comment(ws: Any) -> dict:
    message = json.loads(await asyncio.wait_for(ws.recv(), 15))
    assert message["type"] == "next", message
    return dict(message["payload"]["data"]["commentApproved"])


async def test_approved_comment_reaches_a_subscriber_in_process(
    tmp_path: Path, subscriber_to: Any
) -> None:
    settings = await make_settings(tmp_path)
    async with serve(create_app(settings), free_port()) as host:
        await load_demo(settings)
        tokens = await make_tokens()
        base = f"http://{host}"
        article_id = (await graphql(base, ARTICLE_ID, {"s": SEED.slug["nb"]}))["data"]["article"][
            "id"
        ]
        ws = await subscriber_to(host, article_id)
        posted = await graphql(base, POST, {"a": article_id, "b": "Live i same prosess"})
        comment_id = posted["data"]["postComment"]["comment"]["id"]
        await graphql(base, APPROVE, {"id": comment_id}, **bearer(tokens["moderator"]))
        assert await next_comment(ws) == {
            "authorName": "Liv",
            "body": "Live i same prosess",
            "locale": "nb",
        }


def redis_answers() -> bool:
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


async def start_server(
    env: dict[str, str], port: int, log: Path, demo: bool
) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "contentapi",
                "serve",
                "--port",
                str(port),
                *(["--demo"] if demo else []),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    async with httpx.AsyncClient(timeout=1) as probe:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(log.read_text())
            try:
                if (await probe.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return process
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    process.kill()
    raise AssertionError(f"not ready:\n{log.read_text()}")


@pytest.fixture
async def two_servers(tmp_path: Path) -> AsyncIterator[tuple[str, str, dict[str, str]]]:
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": await fresh_database_url(tmp_path),
        "CONTENTAPI_MEDIA_DIR": str(tmp_path / "media"),
        "CONTENTAPI_REDIS_URL": REDIS_URL,
    }
    a_port, b_port = free_port(), free_port()
    a = await start_server(env, a_port, tmp_path / "a.log", demo=True)
    b = await start_server(env, b_port, tmp_path / "b.log", demo=False)
    try:
        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "contentapi",
                "token",
                "create",
                "--role",
                "moderator",
                "--name",
                "Moderator B",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        yield f"127.0.0.1:{a_port}", f"127.0.0.1:{b_port}", {"moderator": token}
    finally:
        for process in (a, b):
            process.terminate()
        for process in (a, b):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


async def test_approval_on_one_server_reaches_a_subscriber_on_the_other(
    two_servers: tuple[str, str, dict[str, str]], subscriber_to: Any
) -> None:
    host_a, host_b, tokens = two_servers
    article_id = (await graphql(f"http://{host_a}", ARTICLE_ID, {"s": SEED.slug["nb"]}))["data"][
        "article"
    ]["id"]
    ws = await subscriber_to(host_a, article_id)
    posted = await graphql(f"http://{host_b}", POST, {"a": article_id, "b": "Frå server B"})
    comment_id = posted["data"]["postComment"]["comment"]["id"]
    approved = await graphql(
        f"http://{host_b}", APPROVE, {"id": comment_id}, **bearer(tokens["moderator"])
    )
    assert approved["data"]["moderateComment"]["errors"] == []
    assert await next_comment(ws) == {"authorName": "Liv", "body": "Frå server B", "locale": "nb"}
