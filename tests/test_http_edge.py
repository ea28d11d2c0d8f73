"""The HTTP edge, through the real ASGI app: security headers on every answer, CORS,
trusted Host names, coded 404/405/408, the read rate limit, and a request id on every
answer."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from asgi_lifespan import LifespanManager
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contentapi.app import create_app
from contentapi.hosts import allowed_hosts, host_name, is_loopback
from contentapi.settings import Settings
from contentapi.static_assets import asset_version
from tests.conftest import STARTUP_TIMEOUT, error_codes, make_settings, make_tokens, running_app

STATIC = Path(__file__).resolve().parents[1] / "src" / "contentapi" / "static"
QUERY = '{ articles(locale: "nn", first: 2) { edges { node { title } } } }'
MEDIA_QUERY = '{ article(slug: "innovasjonspris-til-traena-kommune") { leadImage { url } } }'
FRONTEND = "https://frontend.example"


def client_for(app: Any, address: str = "127.0.0.1", host: str = "testserver") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 4000))
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


@pytest.fixture
async def edge(tmp_path: Path) -> AsyncIterator[Any]:
    """A demo app (the ASGI app itself, for clients with their own address and Host)."""
    settings = await make_settings(tmp_path, read_rate_limit="3/minute")
    async with running_app(settings, demo=True) as client:
        transport = client._transport
        assert isinstance(transport, httpx.ASGITransport)
        yield transport.app


def assert_secured(response: httpx.Response, policy: str = "default-src 'none'") -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff", response.url
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = headers["content-security-policy"]
    assert csp.startswith(policy) and "frame-ancestors 'none'" in csp, (response.url, csp)
    assert "'unsafe-inline'" not in csp.partition("style-src")[0]  # never for scripts


async def test_every_answer_carries_the_security_headers(edge: Any) -> None:
    async with client_for(edge) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert_secured(page, "default-src 'none'; script-src 'self'; style-src 'self';")
        assert "<script>" not in page.text and "<style>" not in page.text  # all in files
        graphiql = await client.get("/graphql", headers={"Accept": "text/html"})
        assert graphiql.status_code == 200 and "<script>" not in graphiql.text
        assert_secured(graphiql, "default-src 'none'; script-src 'self';")
        # GraphiQL's dialogs add <style> elements: inline styles only there
        assert "style-src 'self' 'unsafe-inline'" in graphiql.headers["content-security-policy"]

        first = await client.get("/graphql", params={"query": QUERY})
        for _ in range(5):  # a write by another process to a shared test database empties it
            kept = await client.get("/graphql", params={"query": QUERY})
            if kept.headers.get("x-cache") == "HIT":
                break
        assert kept.headers["x-cache"] == "HIT"  # from the fast path
        posted = await client.post("/graphql", json={"query": MEDIA_QUERY})
        url = posted.json()["data"]["article"]["leadImage"]["url"]
        js = f"/static/reader.js?v={asset_version(STATIC / 'reader.js')}"
        answers = [
            first,
            kept,
            posted,
            await client.get(url.removeprefix("http://testserver")),
            await client.get(js),
            await client.get("/static/vendor/graphiql.min.css"),
            await client.get("/healthz"),
            await client.get("/nowhere"),
            await client.put("/graphql"),
            await client.post("/graphql", content=b"x" * 1_000_001),
            await client.get("/media/nothing.jpg"),
        ]
        statuses = [a.status_code for a in answers]
        assert statuses == [200, 200, 200, 200, 200, 200, 200, 404, 405, 413, 404]
        for answer in answers:
            assert_secured(answer, "default-src 'none'; frame-ancestors 'none'")


async def test_unknown_paths_and_methods_are_coded_json(edge: Any) -> None:
    async with client_for(edge) as client:
        for method, path, status, code, allow in [
            ("PUT", "/graphql", 405, "METHOD_NOT_ALLOWED", {"GET", "HEAD", "POST"}),
            ("POST", "/healthz", 405, "METHOD_NOT_ALLOWED", {"GET", "HEAD"}),
            ("DELETE", "/static/reader.js", 405, "METHOD_NOT_ALLOWED", {"GET", "HEAD"}),
            ("GET", "/nowhere", 404, "NOT_FOUND", None),
            ("GET", "/static/nowhere.js", 404, "NOT_FOUND", None),
            ("GET", "/media/w640/nothing.jpg", 404, "NOT_FOUND", None),
        ]:
            response = await client.request(method, path)
            assert response.status_code == status, (method, path)
            assert response.headers["content-type"] == "application/json", (method, path)
            assert error_codes(response.json()) == [code], (method, path)
            if allow is not None:
                assert set(response.headers["allow"].split(", ")) == allow, (method, path)


async def test_any_origin_may_read_and_send_a_token_without_cookies(edge: Any) -> None:
    async with client_for(edge) as client:
        preflight = await client.options(
            "/graphql",
            headers={
                "Origin": FRONTEND,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, authorization",
            },
        )
        assert preflight.status_code == 200  # was 405: no browser frontend could call us
        assert preflight.headers["access-control-allow-origin"] == "*"
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert {"authorization", "content-type", "x-contentapi-upload"} <= set(allowed.split(", "))
        assert "access-control-allow-credentials" not in preflight.headers
        assert_secured(preflight)

        for _ in range(5):  # until one comes from the fast path
            read = await client.post(
                "/graphql", json={"query": QUERY + " "}, headers={"Origin": FRONTEND}
            )
            assert read.headers["access-control-allow-origin"] == "*"
            exposed = read.headers["access-control-expose-headers"]
            assert {"ETag", "Retry-After", "X-Cache"} <= set(exposed.split(", "))
            assert "origin" not in read.headers.get("vary", "").lower()  # one copy for a CDN
            if read.headers.get("x-cache") == "HIT":
                break
        assert read.headers["x-cache"] == "HIT"

        refused = await client.options(
            "/graphql",
            headers={"Origin": FRONTEND, "Access-Control-Request-Method": "DELETE"},
        )
        assert refused.status_code == 400 and error_codes(refused.json()) == ["BAD_REQUEST"]


async def test_listed_origins_only(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, cors_origins=(FRONTEND,))
    async with running_app(settings) as client:
        ask = {"Access-Control-Request-Method": "POST"}
        upload = {**ask, "Access-Control-Request-Headers": "authorization, x-contentapi-upload"}
        listed = await client.options("/graphql", headers={"Origin": FRONTEND, **upload})
        assert listed.status_code == 200
        assert listed.headers["access-control-allow-origin"] == FRONTEND
        other = await client.options("/graphql", headers={"Origin": "https://evil.example", **ask})
        assert other.status_code == 400
        assert other.headers["content-type"] == "application/json"
        assert error_codes(other.json()) == ["BAD_REQUEST"]
        assert "access-control-allow-origin" not in other.headers

        read = await client.get("/graphql", params={"query": QUERY}, headers={"Origin": FRONTEND})
        assert read.headers["access-control-allow-origin"] == FRONTEND
        assert "Origin" in read.headers["vary"]
        elsewhere = await client.get(
            "/graphql", params={"query": QUERY}, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in elsewhere.headers  # the browser says no


async def test_an_unknown_host_is_refused_before_urls_are_made(edge: Any) -> None:
    async with client_for(edge, host="evil.example") as client:
        response = await client.post("/graphql", json={"query": MEDIA_QUERY})
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_REQUEST"]
        assert response.json()["errors"][0]["message"] == "Unknown host"
        assert_secured(response)
        assert "evil.example" not in response.text
        probe = await client.get("/healthz")  # load balancers probe by IP: no URLs here
        assert probe.status_code == 200
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "TESTSERVER"):
        async with client_for(edge, host="x") as client:
            ok = await client.get("/static/reader.css", headers={"Host": host})
            assert ok.status_code == 200, host


async def test_public_url_names_the_host(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite://{tmp_path / 'db.sqlite3'}",
        media_dir=tmp_path / "media",
        public_url="https://api.example.org",
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        for host, status in [("api.example.org", 200), ("testserver", 400), ("127.0.0.1", 200)]:
            async with client_for(manager.app, host=host) as client:
                assert (await client.get("/static/reader.css")).status_code == status, host


def test_allowed_host_names() -> None:
    loopback = ("localhost", "127.0.0.1", "::1")
    assert allowed_hosts((), None) == loopback
    assert allowed_hosts((), "https://API.example.org:8443/base") == ("api.example.org", *loopback)
    assert allowed_hosts(("a.example", "*.b.example"), "https://c.example") == (
        "a.example",
        "*.b.example",
        *loopback,
    )
    assert host_name("Example.org:80") == "example.org"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("a:b:c") is None and host_name("") is None
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


async def test_wildcard_and_any_host(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, allowed_hosts=("*.example.org",))
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        for host, status in [("cdn.example.org", 200), ("example.org", 400), ("x.org", 400)]:
            async with client_for(manager.app, host=host) as client:
                assert (await client.get("/static/reader.css")).status_code == status, host


async def test_read_rate_limit_counts_kept_answers_and_spares_loopback(edge: Any) -> None:
    query = {"query": "{ locales { code } }"}
    async with client_for(edge, address="192.0.2.7") as client:
        answers = [await client.get("/graphql", params=query) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[2].headers["x-cache"] == "HIT"
        limited = await client.get("/graphql", params=query)  # would be a kept answer
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/json"
        body = limited.json()
        assert error_codes(body) == ["RATE_LIMITED"]
        retry = body["errors"][0]["extensions"]["retryAfter"]
        assert 1 <= retry <= 60 and limited.headers["retry-after"] == str(retry)
        post = await client.post("/graphql", json=query)
        assert post.status_code == 429  # POST counts too
        assert (await client.get("/healthz")).status_code == 200  # only /graphql
    async with client_for(edge, address="192.0.2.8") as other:  # another client
        assert (await other.get("/graphql", params=query)).status_code == 200
    async with (
        client_for(edge, address="2001:db8::1") as v6,
        client_for(edge, address="2001:db8::2") as same_64,
    ):  # one /64 is one client
        for _ in range(3):
            assert (await v6.get("/graphql", params=query)).status_code == 200
        assert (await same_64.get("/graphql", params=query)).status_code == 429
    async with client_for(edge, address="127.0.0.1") as local:
        statuses = {(await local.get("/graphql", params=query)).status_code for _ in range(6)}
        assert statuses == {200}  # loopback: tests and benchmarks are not counted


async def test_read_rate_limit_on_loopback_in_redis_and_off(tmp_path: Path) -> None:
    settings = await make_settings(
        tmp_path,
        read_rate_limit="2/minute",
        rate_limit_loopback=True,
        redis_url="redis://127.0.0.1:6379/0",
    )
    async with running_app(settings) as client:
        statuses = [(await client.post("/graphql", json={"query": QUERY})).status_code]
        statuses += [(await client.post("/graphql", json={"query": QUERY})).status_code]
        statuses += [(await client.post("/graphql", json={"query": QUERY})).status_code]
        assert statuses == [200, 200, 429]
    off = await make_settings(tmp_path / "off", read_rate_limit=None, rate_limit_loopback=True)
    async with running_app(off) as client:
        for _ in range(5):
            assert (await client.post("/graphql", json={"query": QUERY})).status_code == 200


async def test_a_dead_rate_store_lets_reads_through(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, rate_limit_loopback=True)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        # the store behind the limiter goes away (Redis stopped)
        limiter = find_read_limiter(app)

        async def broken(*args: object) -> int | None:
            raise ConnectionError("redis is gone")

        limiter.retry_after = broken  # type: ignore[method-assign]
        async with client_for(manager.app) as client:
            response = await client.post("/graphql", json={"query": QUERY})
            assert response.status_code == 200 and "errors" not in response.json()


async def test_an_unexpected_fault_is_coded_and_secured(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    app = create_app(settings)

    async def boom(request: Request) -> Response:
        raise RuntimeError("a fault nobody expected")

    app.router.routes.append(Route("/boom", boom))
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/boom")
    assert response.status_code == 500
    assert error_codes(response.json()) == ["INTERNAL_ERROR"]
    assert "nobody expected" not in response.text
    assert_secured(response)  # the layer outside Starlette's error middleware


def find_read_limiter(app: Any) -> Any:
    from contentapi.read_limits import ReadRateLimit

    layer = app.middleware_stack  # the edge (edge.py) holds the rule
    while not isinstance(getattr(layer, "read_limit", None), ReadRateLimit):
        layer = layer.app
    return layer.read_limit.limiter


async def stalled_post(
    app: Any, content_type: str, start: bytes, token: str
) -> list[dict[str, Any]]:
    """POST ``start`` of a body that claims 900 KB, then send nothing; what the app sent."""
    sent: list[dict[str, Any]] = []
    parts = [{"type": "http.request", "body": start, "more_body": True}]

    async def receive() -> dict[str, Any]:
        if parts:
            return parts.pop()
        await asyncio.sleep(3600)  # the client stalls
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", content_type.encode()),
            (b"content-length", b"900000"),
            (b"x-contentapi-upload", b"1"),
            (b"authorization", f"Bearer {token}".encode()),  # uploads are read only with one
        ],
        "client": ("192.0.2.9", 4000),
        "server": ("testserver", 80),
        "state": {},
    }
    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent


async def test_a_body_that_stops_arriving_is_timeout(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, read_timeout_seconds=0.3)
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        token = (await make_tokens())["editor"]
        starts = {
            "application/json": orjson.dumps({"query": QUERY})[:10],
            "multipart/form-data; boundary=x": (
                b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"qu'
            ),
        }
        for content_type, start in starts.items():
            sent = await stalled_post(manager.app, content_type, start, token)
            assert sent[0]["status"] == 408, content_type
            headers = dict(sent[0]["headers"])
            assert headers[b"connection"] == b"close"
            assert headers[b"x-content-type-options"] == b"nosniff"
            assert error_codes(orjson.loads(sent[1]["body"])) == ["TIMEOUT"]


async def test_every_answer_carries_a_request_id(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, read_rate_limit="1/minute")
    app = create_app(settings)

    async def boom(request: Request) -> Response:
        raise RuntimeError("a fault nobody expected")

    app.router.routes.append(Route("/boom", boom))
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        transport = httpx.ASGITransport(
            app=manager.app, raise_app_exceptions=False, client=("192.0.2.8", 4000)
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            kept = {"query": "{ locales { code } }"}
            answers = [
                await client.get("/graphql", params=kept),  # computed
                await client.get("/graphql", params=kept),  # over the read limit: 429
                await client.get("/"),  # the reader page of an empty site: 404
                await client.get("/healthz"),
                await client.get("/nowhere"),  # 404
                await client.get("/media/none.jpg"),  # 404 from the media files
                await client.get("/media/w320/none.jpg"),
                await client.get("/static/reader.css"),
                await client.delete("/healthz"),  # 405
                await client.get("/boom"),  # 500
                await client.get("/graphql", headers={"Host": "evil.example"}),  # 400
                await client.options(
                    "/graphql",
                    headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
                ),
            ]
            sane = await client.get("/healthz", headers={"X-Request-Id": "edge-7f3a.1_b"})
            long = await client.get("/healthz", headers={"X-Request-Id": "a" * 65})
            odd = await client.get("/healthz", headers={"X-Request-Id": b"x y\xe6;1"})
    statuses = [a.status_code for a in answers]
    assert statuses == [200, 429, 404, 200, 404, 404, 404, 200, 405, 500, 400, 200]
    ids = [a.headers.get("x-request-id") for a in answers]
    assert all(i is not None and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    assert len(set(ids)) == len(ids)  # one per request
    assert sane.headers["x-request-id"] == "edge-7f3a.1_b"
    for replaced in (long, odd):
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])
