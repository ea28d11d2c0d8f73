"""Shared fixtures: a fresh database per app, the real ASGI app over httpx, query counting.

Set CONTENTAPI_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run
the whole suite on PostgreSQL; by default every app gets its own SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager

from contentapi.app import create_app
from contentapi.auth.tokens import Role, create_token
from contentapi.demo import load_demo
from contentapi.settings import Settings

TEST_DATABASE_URL = os.environ.get("CONTENTAPI_TEST_DATABASE_URL", "")
STARTUP_TIMEOUT = 60  # seconds for an app's lifespan start (migrations of a fresh database)


async def fresh_database_url(folder: Path) -> str:
    """An empty database: a new SQLite file, or the PostgreSQL test database wiped clean."""
    if not TEST_DATABASE_URL:
        return f"sqlite://{folder / 'test.sqlite3'}"
    dsn = TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    return TEST_DATABASE_URL


# PostgreSQL for tests that need it whichever database the suite runs on (two workers,
# SQLite -> PostgreSQL moves): the suite's own database, or this one
POSTGRES_URL = TEST_DATABASE_URL or os.environ.get(
    "CONTENTAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test_fe6"
)


@asynccontextmanager
async def postgres_connection() -> AsyncIterator[Any]:
    """A connection to :data:`POSTGRES_URL`. Skips the test where no PostgreSQL answers,
    except under CI (``CI`` set), where it fails: CI must run these tests."""
    dsn = POSTGRES_URL.replace("postgres://", "postgresql://", 1)
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI"):
            raise AssertionError(f"CI needs PostgreSQL at {POSTGRES_URL}: {exc}") from exc
        pytest.skip(f"no PostgreSQL answers at {POSTGRES_URL} ({exc})")
    try:
        yield conn
    finally:
        await conn.close()


async def postgres_database_url() -> str:
    """:data:`POSTGRES_URL`, wiped clean (see :func:`postgres_connection`)."""
    async with postgres_connection() as conn:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    return POSTGRES_URL


async def make_settings(folder: Path, **overrides: Any) -> Settings:
    """Settings for a test app in ``folder`` with a fresh database."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Settings(
        database_url=await fresh_database_url(folder),
        media_dir=folder / "media",
        allowed_hosts=("testserver",),  # the Host of the ASGI test clients
    )
    return base.with_changes(**overrides)


class FakeClock:
    """A clock tests move by hand (scheduling, relative dates)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def running_app(
    settings: Settings, demo: bool = False, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its lifespan, and an httpx client talking to it."""
    app = create_app(settings, clock=clock) if clock else create_app(settings)
    # a fresh database is migrated at start: more than the default 5 s on a busy machine
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        if demo:
            await load_demo(settings)
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST a GraphQL request and return the decoded body (asserting HTTP 200)."""
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    """The ``extensions.code`` of every error in a response."""
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


@pytest.fixture(scope="module")
async def demo_client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """One app with the demo content per test module (read-only tests share it)."""
    settings = await make_settings(tmp_path_factory.mktemp("demo"))
    async with running_app(settings, demo=True) as client:
        yield client


BACKGROUND_TASKS = {"cache-version", "cache-horizon", "jobs", "webhooks"}


class QueryCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (``sent`` keeps each with its parameters)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []
        self.sent: list[tuple[str, list[Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(RuntimeError):  # the app's background loops are not requests
            task = asyncio.current_task()
            if task is not None and task.get_name() in BACKGROUND_TASKS:
                return
        text = record.getMessage().lstrip().upper()
        if text.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            self.statements.append(record.getMessage())
            args = record.args
            if isinstance(args, tuple) and len(args) == 2 and isinstance(args[0], str):
                self.sent.append((args[0], list(args[1] or [])))


@pytest.fixture
def count_queries() -> Iterator[QueryCounter]:
    """Collect the SQL statements sent while the test runs."""
    logger = logging.getLogger("tortoise.db_client")
    counter = QueryCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(old_level)


async def make_tokens() -> dict[str, str]:
    """One token per role (inside a running app): admin, editor, moderator, translator (nn)."""
    tokens = {}
    for role in Role:
        locales = ["nn"] if role is Role.TRANSLATOR else None
        _, tokens[role.value] = await create_token(f"test {role.value}", role, locales)
    return tokens


def bearer(token: str, **headers: str) -> dict[str, str]:
    """Headers with ``Authorization: Bearer <token>``."""
    return {"Authorization": f"Bearer {token}", **headers}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serve(app: Any, port: int) -> AsyncIterator[str]:
    """Serve ``app`` with a real uvicorn server in this process; yields "host:port"."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 20
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise AssertionError("server did not start")
        await asyncio.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TEST_OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
)


@asynccontextmanager
async def chromium_page(width: int, height: int, **options: Any) -> AsyncIterator[Any]:
    """A page in Debian's headless chromium, driven by Playwright (no browser download).

    ``options`` go to the browser context (``java_script_enabled=False``, ``bypass_csp``)."""
    from playwright.async_api import async_playwright

    TEST_OUTPUT.mkdir(exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": height}, **options
            )
            yield await context.new_page()
        finally:
            await browser.close()


async def watch_csp(page: Any) -> None:
    """Record every Content-Security-Policy violation of the pages ``page`` opens from now."""
    await page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


async def csp_violations(page: Any) -> list[str]:
    """The violations recorded (see :func:`watch_csp`) on the page open now."""
    return list(await page.evaluate("window.cspViolations"))


@asynccontextmanager
async def demo_server_process(folder: Path) -> AsyncIterator[str]:
    """A real ``contentapi serve --demo`` process on a free port, with its own database in
    ``folder``; yields its base URL once ``/readyz`` answers."""
    async with configured_server_process(folder) as (base, _):
        yield base


@asynccontextmanager
async def configured_server_process(
    folder: Path, demo: bool = True, args: tuple[str, ...] = (), **settings: str
) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """A real ``contentapi serve`` process (with the demo unless ``demo=False``, with more
    ``serve`` arguments from ``args``) on a free port, its own database in ``folder`` (or
    ``CONTENTAPI_DATABASE_URL`` from ``settings`` as it is) and extra ``CONTENTAPI_*``
    variables from ``settings``; yields its base URL once ``/readyz`` answers, and its
    environment (for ``contentapi`` commands on the same database, such as ``token
    create``). The server's output is in ``folder / "server.log"``; the process is stopped
    however the test ends."""
    port = free_port()
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": settings.get("CONTENTAPI_DATABASE_URL")
        or await fresh_database_url(folder),
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
        **settings,
    }
    log_path = folder / "server.log"
    command = [sys.executable, "-m", "contentapi", "serve", "--port", str(port), *args]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, *(["--demo"] if demo else [])],
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
                with contextlib.suppress(httpx.TransportError):
                    if (await probe.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
        yield base, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cli_token(env: dict[str, str], role: str) -> str:
    """A new token for ``role``, made by ``contentapi token create`` on ``env``'s database."""
    done = subprocess.run(
        [sys.executable, "-m", "contentapi", "token", "create", "--role", role, "--name", role],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()
