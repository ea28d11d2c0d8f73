"""The limits of one request: timeout, query text length, uploads checked before their body
is read, coded statuses (429, 503, 504), the response size cap, websockets, and
Content-Language."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from strawberry.extensions.parser_cache import _get_parse_cache

from contentapi.app import create_app
from contentapi.articles import queries, revisions
from contentapi.articles.models import Article
from contentapi.demo.content import SEED
from contentapi.errors import DomainError, ErrorCode
from contentapi.limits import RateLimiter
from tests.api.test_query_cost import ask
from tests.conftest import (
    bearer,
    error_codes,
    free_port,
    make_settings,
    make_tokens,
    running_app,
    serve,
)

CREATE = """mutation { createArticle(input: {locale: "nb", title: "Avbrote", body: "<p>x</p>"}) {
  article { id } errors { code } } }"""


async def test_a_lower_limit_is_configurable(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, max_query_cost=40)
    async with running_app(settings, demo=True) as client:
        ok = await ask(client, "{ articles(first: 19) { edges { node { title } } } }")
        assert ok["extensions"] == {"cost": 39, "maxCost": 40}
        over = await ask(client, "{ articles(first: 20) { edges { node { title } } } }")
        assert over["errors"][0]["extensions"] == {
            "code": "QUERY_TOO_COMPLEX",
            "cost": 41,
            "maxCost": 40,
            "detail": "The query costs 41, more than the 40 allowed: ask for smaller pages"
            " (first/last) or fewer nested lists",
        }


async def test_an_answer_over_the_size_cap_is_a_coded_error(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, max_response_bytes=2_000)
    async with running_app(settings, demo=True) as client:
        small = await client.post("/graphql", json={"query": "{ locales { code } }"})
        assert small.json()["data"]["locales"]
        query = "{ articles(first: 20) { edges { node { title lead body } } } }"
        for accept in ("application/json", "application/graphql-response+json"):
            response = await client.post(
                "/graphql", json={"query": query}, headers={"Accept": accept}
            )
            assert response.headers["content-type"].startswith(accept)
            assert len(response.content) < 1_000
            body = response.json()
            assert body["data"] is None and error_codes(body) == ["RESPONSE_TOO_LARGE"]
            assert body["errors"][0]["extensions"]["maxBytes"] == 2_000
        again = await client.post("/graphql", json={"query": query})
        assert "x-cache" not in again.headers  # never kept


async def test_slow_work_is_cancelled_and_answers_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await make_settings(tmp_path, request_timeout_seconds=0.3)
    async with running_app(settings, demo=True) as client:

        async def slow(*args: object, **kwargs: object) -> None:
            await asyncio.sleep(60)

        monkeypatch.setattr(queries, "article_id_by_slug", slow)
        query = '{ article(slug: "x") { id } }'
        for accept in ("application/json", "application/graphql-response+json"):
            started = time.monotonic()
            response = await client.post(
                "/graphql", json={"query": query}, headers={"Accept": accept}
            )
            assert time.monotonic() - started < 20  # generous: cancelled, not waited out
            assert response.status_code == 504
            assert response.headers["content-type"].startswith(accept)
            assert error_codes(response.json()) == ["TIMEOUT"]
        monkeypatch.undo()
        assert "errors" not in (await client.post("/graphql", json={"query": query})).json()


async def test_a_cancelled_write_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await make_settings(tmp_path, request_timeout_seconds=0.5)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        before = await Article.all().count()
        record = revisions.record

        async def stuck(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(60)  # the article and its translation are written by now
            return await record(*args, **kwargs)

        monkeypatch.setattr(revisions, "record", stuck)
        response = await client.post(
            "/graphql", json={"query": CREATE}, headers=bearer(tokens["editor"])
        )
        assert response.status_code == 504 and error_codes(response.json()) == ["TIMEOUT"]
        assert await Article.all().count() == before  # rolled back whole
        monkeypatch.undo()
        done = await client.post(
            "/graphql", json={"query": CREATE}, headers=bearer(tokens["editor"])
        )
        assert done.json()["data"]["createArticle"]["errors"] == []
        assert await Article.all().count() == before + 1  # the database is not left locked


def padded(query: str, size: int) -> str:
    """``query`` made ``size`` bytes long with a comment (cheap to send, dear to parse)."""
    return query + "\n#" + "x" * (size - len(query) - 2)


async def test_long_query_text_needs_a_token(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        query = "{ locales { code } }"
        assert (
            "errors"
            not in (await client.post("/graphql", json={"query": padded(query, 16_384)})).json()
        )
        long = padded(query, 16_385)
        response = await client.post("/graphql", json={"query": long})
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"] == {
            "code": "QUERY_TOO_COMPLEX",
            "size": 16_385,
            "maxBytes": 16_384,
        }
        over_get = await client.get("/graphql", params={"query": long})
        assert error_codes(over_get.json()) == ["QUERY_TOO_COMPLEX"]
        bad_token = await client.post("/graphql", json={"query": long}, headers=bearer("cat_nope"))
        assert error_codes(bad_token.json()) == ["UNAUTHENTICATED"]
        huge = padded(query, 900_000)
        with_token = await client.post(
            "/graphql", json={"query": huge}, headers=bearer(tokens["editor"])
        )
        assert with_token.json()["data"]["locales"]


async def test_long_documents_are_not_cached(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        tokens = await make_tokens()
        parse_cache = _get_parse_cache(256)
        short = padded("{ locales { name } }", 2_000)
        long = padded("{ locales { name } }", 200_000)
        for query in (short, long):
            misses = parse_cache.cache_info().misses
            for _ in range(2):
                response = await client.post(
                    "/graphql", json={"query": query}, headers=bearer(tokens["editor"])
                )
                assert response.json()["data"]["locales"]
            kept = parse_cache.cache_info().misses - misses
            assert kept == (1 if query is short else 0)  # the long one never enters


class Body:
    """A multipart body that counts what the server read of it."""

    def __init__(self) -> None:
        self.chunks = 0

    async def stream(self) -> AsyncIterator[bytes]:
        for _ in range(200):
            self.chunks += 1
            yield (
                b'--x\r\nContent-Disposition: form-data; name="f"\r\n\r\n'
                + b"a" * 100_000
                + b"\r\n"
            )
        yield b"--x--\r\n"


async def test_uploads_are_refused_before_their_body_is_read(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        tokens = await make_tokens()
        upload = {"content-type": "multipart/form-data; boundary=x", "x-contentapi-upload": "1"}
        cases = [
            ({**upload}, 401, "UNAUTHENTICATED"),
            ({**upload, **bearer("cat_not_a_token")}, 401, "UNAUTHENTICATED"),
            (
                {"content-type": upload["content-type"], **bearer(tokens["editor"])},
                400,
                "BAD_REQUEST",
            ),
        ]
        for headers, status, code in cases:
            body = Body()
            response = await client.post("/graphql", content=body.stream(), headers=headers)
            assert (response.status_code, error_codes(response.json())) == (status, [code]), headers
            assert body.chunks == 0, headers  # not a byte of the body was read


async def test_malformed_and_oversized_multipart_forms_are_coded(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        tokens = await make_tokens()
        headers = {**bearer(tokens["editor"]), "x-contentapi-upload": "1"}
        many = {str(i): (f"{i}.txt", b"x") for i in range(20)}
        operations = json.dumps({"query": "{ locales { code } }", "variables": {}})
        too_many = await client.post(
            "/graphql", data={"operations": operations, "map": "{}"}, files=many, headers=headers
        )
        assert too_many.status_code == 400 and error_codes(too_many.json()) == ["BAD_REQUEST"]
        assert "Too many files" in too_many.json()["errors"][0]["message"]
        no_boundary = await client.post(
            "/graphql",
            content=b"garbage",
            headers={**headers, "content-type": "multipart/form-data"},
        )
        assert no_boundary.status_code == 400
        assert error_codes(no_boundary.json()) == ["BAD_REQUEST"]
        broken_map = await client.post(
            "/graphql",
            data={"operations": operations, "map": '{"1": ["variables.file"]}'},
            files={"0": ("a.txt", b"x")},
            headers=headers,
        )
        assert broken_map.status_code == 400
        assert error_codes(broken_map.json()) == ["BAD_REQUEST"]


async def test_rate_limited_and_unavailable_have_their_statuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await make_settings(tmp_path, comment_rate_limit="1/minute")
    async with running_app(settings, demo=True) as client:
        post = """mutation { postComment(input: {articleId: "QXJ0aWNsZTox", authorName: "Kari",
          email: "kari@example.org", body: "Hei %d"}) { comment { id } errors { code } } }"""
        first = await client.post("/graphql", json={"query": post % 1})
        assert first.status_code == 200 and first.json()["data"]["postComment"]["errors"] == []
        limited = await client.post("/graphql", json={"query": post % 2})
        assert limited.status_code == 429
        error = limited.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["retryAfter"] > 0
        assert int(limited.headers["retry-after"]) >= 1

        async def down(*args: object, **kwargs: object) -> None:
            raise DomainError(ErrorCode.UNAVAILABLE, "The database is busy; try again")

        monkeypatch.setattr(RateLimiter, "hit", down)
        for accept in ("application/json", "application/graphql-response+json"):
            busy = await client.post(
                "/graphql", json={"query": post % 3}, headers={"Accept": accept}
            )
            assert busy.status_code == 503
            assert error_codes(busy.json()) == ["UNAVAILABLE"]
            assert int(busy.headers["retry-after"]) >= 1


async def test_content_language_names_the_locale_answered(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        named = f'{{ article(slug: "{SEED.slug["nn"]}", locale: "nn") {{ title }} }}'
        response = await client.get("/graphql", params={"query": named})
        assert response.headers["content-language"] == "nn"
        negotiated = await client.post(
            "/graphql",
            json={"query": f'{{ article(slug: "{SEED.slug["nn"]}") {{ title }} }}'},
            headers={"Accept-Language": "nn-NO, nb;q=0.5"},
        )
        assert negotiated.headers["content-language"] == "nn"
        both = (
            f'{{ a: article(slug: "{SEED.slug["nb"]}", locale: "nb") {{ title }} '
            f'b: article(slug: "{SEED.slug["nn"]}", locale: "nn") {{ title }} }}'
        )
        assert (await client.post("/graphql", json={"query": both})).headers[
            "content-language"
        ] == "nb, nn"
        plain = await client.post("/graphql", json={"query": "{ locales { code } }"})
        assert "content-language" not in plain.headers  # no locale in it


async def test_kept_answers_keep_their_content_language(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings, demo=True) as client:
        named = f'{{ article(slug: "{SEED.slug["nn"]}", locale: "nn") {{ title }} }}'
        await client.get("/graphql", params={"query": named})
        for _ in range(2):  # the view's lookup, then the fast path
            again = await client.get("/graphql", params={"query": named})
            assert again.headers["x-cache"] == "HIT"
            assert again.headers["content-language"] == "nn"


async def subscribe(ws: Any, number: int) -> None:
    await ws.send(
        json.dumps(
            {
                "id": str(number),
                "type": "subscribe",
                "payload": {
                    "query": 'subscription { commentApproved(articleId: "QXJ0aWNsZTox") { id } }'
                },
            }
        )
    )


async def test_websockets_follow_the_cors_origins_and_code_the_subscription_limit(
    tmp_path: Path,
) -> None:
    settings = await make_settings(tmp_path, cors_origins=("https://front.example",))
    async with serve(create_app(settings), free_port()) as host:
        url = f"ws://{host}/graphql"
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            async with websockets.connect(
                url, subprotocols=["graphql-transport-ws"], origin="https://evil.example"
            ):
                pass
        assert refused.value.response.status_code == 403
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], origin="https://front.example"
        ) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            for number in range(101):
                await subscribe(ws, number)
            message = json.loads(await asyncio.wait_for(ws.recv(), 20))
            assert message["type"] == "error" and message["id"] == "100"
            assert message["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}


async def test_any_origin_may_open_a_websocket_by_default(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with (
        serve(create_app(settings), free_port()) as host,
        websockets.connect(
            f"ws://{host}/graphql",
            subprotocols=["graphql-transport-ws"],
            origin="https://anywhere.example",
        ) as ws,
    ):
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
