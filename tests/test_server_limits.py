"""``contentapi serve``'s connection limits, against a real server process over raw sockets:
idle and slowloris connections are closed, over-long headers and lying Content-Lengths get
coded answers, a kept-alive connection still works, and an open bind needs a public URL."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
from PIL import Image

from contentapi.app import create_app
from tests.conftest import (
    bearer,
    demo_server_process,
    free_port,
    make_settings,
    make_tokens,
    serve,
)

pytestmark = pytest.mark.server
READ_TIMEOUT = 1.0
KEEP_ALIVE = 3
GIVE_UP = 20.0  # seconds: far beyond every limit here, so a loaded machine does not flake


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[str, int]]:
    """A real ``contentapi serve --demo`` with short read and keep-alive limits."""
    env = {
        "CONTENTAPI_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT),
        "CONTENTAPI_KEEP_ALIVE_SECONDS": str(KEEP_ALIVE),
        "CONTENTAPI_MAX_CONNECTIONS": "50",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the helper hands its environment on to the process
    try:
        async with demo_server_process(tmp_path_factory.mktemp("limits")) as base:
            host, _, port = base.removeprefix("http://").partition(":")
            yield host, int(port)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


async def connect(server: tuple[str, int]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(*server)


async def read_until_closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (fails after GIVE_UP)."""
    return await asyncio.wait_for(reader.read(), GIVE_UP)


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One response on a kept-alive connection: its head and its (Content-Length) body."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), GIVE_UP)
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    return head, await asyncio.wait_for(reader.readexactly(length), GIVE_UP)


def coded(answer: bytes) -> tuple[int, str]:
    """The status and ``extensions.code`` of a whole raw answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert b"content-type: application/json" in head.lower(), head
    assert b"x-content-type-options: nosniff" in head.lower(), head
    return status, orjson.loads(body)["errors"][0]["extensions"]["code"]


GET = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def test_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    reader, writer = await connect(server)
    started = time.monotonic()
    assert await read_until_closed(reader) == b""  # closed without a word: nothing was asked
    assert time.monotonic() - started >= READ_TIMEOUT * 0.8  # not before its time
    writer.close()


async def test_slowloris_headers_are_cut_off(server: tuple[str, int]) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    started = time.monotonic()
    answer = b""
    while time.monotonic() - started < GIVE_UP:
        writer.write(b"X")  # one more byte of a header that never ends
        try:
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 0.3)
        except TimeoutError:
            continue
        except ConnectionError:
            break
        break
    assert time.monotonic() - started < GIVE_UP, "the connection was held"
    assert coded(answer) == (408, "TIMEOUT")
    writer.close()


async def test_kept_alive_connection_serves_again_then_closes(server: tuple[str, int]) -> None:
    reader, writer = await connect(server)
    writer.write(GET)
    head, body = await read_response(reader)
    assert head.startswith(b"HTTP/1.1 200") and orjson.loads(body) == {"status": "ok"}
    # idle longer than the header deadline but within keep-alive: the deadline starts
    # with the next request's first byte, not when the last answer went out
    await asyncio.sleep(READ_TIMEOUT * 1.5)
    writer.write(GET)
    head, body = await read_response(reader)
    assert head.startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    assert await read_until_closed(reader) == b""  # then keep-alive ends it
    assert time.monotonic() - started >= KEEP_ALIVE * 0.8
    writer.close()


async def test_headers_over_16_kb_are_refused(server: tuple[str, int]) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    writer.write(b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(20)))
    await writer.drain()
    assert coded(await read_until_closed(reader)) == (431, "BAD_REQUEST")
    writer.close()


async def test_a_lying_content_length_is_timeout(server: tuple[str, int]) -> None:
    reader, writer = await connect(server)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 900000\r\n\r\n" + b'{"query": "' + b" " * 1000
    )
    await writer.drain()
    answer = await read_until_closed(reader)  # answered, then closed
    assert coded(answer) == (408, "TIMEOUT")
    writer.close()


async def test_busy_server_answers_coded_503(tmp_path: Path) -> None:
    os.environ["CONTENTAPI_MAX_CONNECTIONS"] = "2"
    try:
        async with demo_server_process(tmp_path) as base:
            host, _, port = base.removeprefix("http://").partition(":")
            idle = [await connect((host, int(port))) for _ in range(2)]
            reader, writer = await connect((host, int(port)))
            writer.write(GET)
            assert coded(await read_until_closed(reader)) == (503, "UNAVAILABLE")
            for _, other in [*idle, (reader, writer)]:
                other.close()
    finally:
        del os.environ["CONTENTAPI_MAX_CONNECTIONS"]


def test_an_open_bind_needs_a_public_url(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CONTENTAPI_PUBLIC_URL", "CONTENTAPI_ALLOWED_HOSTS")
    }
    env["CONTENTAPI_DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    command = [sys.executable, "-m", "contentapi", "serve", "--host", "0.0.0.0", "--port", "9"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "CONTENTAPI_PUBLIC_URL" in refused.stderr and "0.0.0.0" in refused.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was done


def temporary_files() -> int:
    """How many files this process has open in the temporary directory."""
    folder = tempfile.gettempdir()
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(folder)
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
async def test_a_stalled_upload_releases_its_temporary_file(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, read_timeout_seconds=READ_TIMEOUT)
    async with serve(create_app(settings), free_port()) as host:
        token = (await make_tokens())["editor"]
        picture = io.BytesIO()
        Image.effect_noise((1200, 1200), 60).convert("RGB").save(picture, "PNG")
        big = picture.getvalue()[:2_000_000]  # over the 1 MB kept in memory: spooled to disk
        assert len(big) > 1_100_000
        head = (
            b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
            b'{"query": "mutation($f: Upload!) { uploadImage(file: $f, input: {}) { errors '
            b'{ code } } }", "variables": {"f": null}}\r\n'
            b'--b\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.f"]}\r\n'
            b'--b\r\nContent-Disposition: form-data; name="0"; filename="a.png"\r\n'
            b"Content-Type: image/png\r\n\r\n"
        )
        before = temporary_files()
        address, _, port = host.partition(":")
        reader, writer = await connect((address, int(port)))
        headers = bearer(token, **{"X-Contentapi-Upload": "1"})
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 15000000\r\n"
            + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
            + b"\r\n"
            + head
            + big
        )
        await writer.drain()
        deadline = time.monotonic() + GIVE_UP
        while temporary_files() <= before and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # the part is being spooled to a temporary file
        assert temporary_files() > before
        answer = await read_until_closed(reader)
        assert coded(answer) == (408, "TIMEOUT")
        assert temporary_files() == before  # released, not held for ever
        writer.close()
        async with httpx.AsyncClient(base_url=f"http://{host}") as client:  # still serving
            assert (await client.get("/healthz")).status_code == 200
