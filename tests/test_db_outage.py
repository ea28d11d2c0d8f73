"""PostgreSQL going away and coming back under a running ``contentapi serve --workers 2``.

A TCP proxy in the test stands between the server and PostgreSQL. "Away": it cuts every
connection and refuses new ones; "back": it forwards again. While away, ``/readyz`` is
503 and reads answer ``UNAVAILABLE``; once back, ``/readyz`` is 200 and reads answer with
data, without a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.conftest import cli_token, free_port, postgres_database_url
from tests.test_workers import CREATE, PUBLISH, call, server

pytestmark = pytest.mark.server

READ = """query($id: ID!) { article(id: $id, locale: "nb", preview: true) { title } }"""
PROBES = 8  # answers in a row (on new connections, so on either worker) that must agree


class Proxy:
    """Forwards a free local port to ``target`` (on an event loop in its own thread, so the
    test's blocking calls never stall it); see the module for away and back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def back(self) -> None:
        """Take connections again, on the same port."""
        self._run(self._back())

    def away(self) -> None:
        """Cut every connection and stop listening (new ones are refused)."""
        self._run(self._away())

    def close(self) -> None:
        if self.server is not None:
            self.away()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(work, self.loop).result(10)

    async def _back(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)

    async def _away(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()
        await self.server.wait_closed()
        self.server = None

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.links |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self.links.discard(writer)


@contextlib.contextmanager
def proxied(database_url: str) -> Iterator[tuple[Proxy, str]]:
    """A proxy to the database and the database URL through it."""
    parts = urlsplit(database_url)
    proxy = Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.back()
    user = f"{parts.username}@" if parts.username else ""
    netloc = f"{user}127.0.0.1:{proxy.port}"
    try:
        yield proxy, urlunsplit(parts._replace(netloc=netloc))
    finally:
        proxy.close()


async def probes(base: str) -> list[int]:
    """``/readyz`` status codes, each on a new connection."""
    codes = []
    for _ in range(PROBES):
        async with httpx.AsyncClient(base_url=base, timeout=10) as probe:
            codes.append((await probe.get("/readyz")).status_code)
    return codes


async def read_title(base: str, token: str, article_id: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        return await client.post(
            "/graphql",
            json={"query": READ, "variables": {"id": article_id}},
            headers={"Authorization": f"Bearer {token}"},
        )


async def test_readyz_follows_postgresql_away_and_back_without_a_restart(tmp_path: Path) -> None:
    with proxied(await postgres_database_url()) as (proxy, url):
        async with server(tmp_path, url, workers=2) as (base, env):
            await through_the_outage(proxy, base, cli_token(env, "editor"))


async def through_the_outage(proxy: Proxy, base: str, editor: str) -> None:
    """The test's steps, with the server up on the proxied database."""
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        created = await call(client, CREATE, {"t": "Før brotet"}, editor)
        article_id = created["createArticle"]["article"]["id"]
        await call(client, PUBLISH, {"id": article_id}, editor)
    assert await probes(base) == [200] * PROBES

    proxy.away()
    assert await probes(base) == [503] * PROBES
    async with httpx.AsyncClient(base_url=base, timeout=10) as probe:
        answer = (await probe.get("/readyz")).json()
    assert answer["status"] == "unavailable" and answer["reason"]
    refused = await read_title(base, editor, article_id)
    assert refused.status_code != 500, refused.text
    codes = [e["extensions"]["code"] for e in refused.json()["errors"]]
    assert codes and set(codes) == {"UNAVAILABLE"}, refused.text

    proxy.back()
    seen: list[list[int]] = []

    async def all_ready() -> bool:
        seen.append(await probes(base))
        return seen[-1] == [200] * PROBES

    deadline = asyncio.get_running_loop().time() + 30
    while not await all_ready():
        assert asyncio.get_running_loop().time() < deadline, seen[-3:]
        await asyncio.sleep(0.2)
    for _ in range(PROBES):  # each answer on a new connection: both workers read again
        answer = await read_title(base, editor, article_id)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"data": {"article": {"title": "Før brotet"}}}
