"""Log hygiene: values from requests reach the log escaped, capped and on one line; JSON
lines with the request's fields; a request id on every answer and in every record made
while it runs; one access record per request; nothing secret in any of it."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from contentapi import logs
from contentapi.comments import services
from contentapi.demo.content import SEED
from tests.conftest import error_codes, gql, make_tokens

FORGED = "\x1b[31mCRITICAL fake\n2026-01-01 00:00:00 CRITICAL contentapi: forged\r\u202eevil"


def installed(log_format: logs.LogFormat) -> Iterator[io.StringIO]:
    """``logs.install`` writing to a buffer; the loggers are put back as they were after."""
    loggers = [logging.getLogger(), *map(logging.getLogger, (*logs.LOGGERS, *logs.EXTRA_LOGGERS))]
    saved = [
        (logger, list(logger.handlers), list(logger.filters), logger.level) for logger in loggers
    ]
    stream = io.StringIO()
    logs.install(stream=stream, log_format=log_format)
    try:
        yield stream
    finally:
        for logger, handlers, filters, level in saved:
            logger.handlers[:] = handlers
            logger.filters[:] = filters
            logger.setLevel(level)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Text lines into a buffer."""
    yield from installed("text")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """JSON lines into a buffer."""
    yield from installed("json")


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Every line of the log as JSON (each one must parse, and be an object)."""
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert all(isinstance(line, dict) for line in lines)
    return lines


ARTICLE_ID = 'query($s: String!) { article(slug: $s, locale: "nb") { id } }'
POST = "mutation($i: PostCommentInput!) { postComment(input: $i) { errors { code } } }"


async def test_an_unexpected_error_with_request_values_logs_one_short_line(
    demo_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, log: io.StringIO
) -> None:
    async def broken(new: services.NewComment, *args: object) -> None:
        raise RuntimeError(f"could not store {new.body}")  # a value from the request

    monkeypatch.setattr(services, "post_comment", broken)
    article = await gql(
        demo_client,
        'query($s: String!) { article(slug: $s, locale: "nb") { id } }',
        {"s": SEED.slug["nb"]},
    )
    body = await gql(
        demo_client,
        "mutation($i: PostCommentInput!) { postComment(input: $i) { errors { code } } }",
        {
            "i": {
                "articleId": article["data"]["article"]["id"],
                "authorName": "Kari",
                "email": "kari@example.org",
                "body": FORGED + "x" * 900_000,
            }
        },
    )
    assert error_codes(body) == ["INTERNAL_ERROR"]
    text = log.getvalue()
    records = [line for line in text.splitlines() if " contentapi.access: " not in line]
    assert len(records) == 1 and text.count("\n") == 3  # one record, one line (+ 2 access)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert "could not store \\x1b[31mCRITICAL fake\\n2026-01-01" in text
    assert "\\u202eevil" in text
    assert "RuntimeError" in text and "Traceback" in text  # still useful
    assert len(text) < 8_000  # not 900 KB


def test_messages_and_arguments_are_escaped_and_capped(log: io.StringIO) -> None:
    logger = logging.getLogger("contentapi.test")
    logger.warning("tag %s not found", FORGED)
    logger.warning("long %s", "y" * 50_000)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert "tag \\x1b[31mCRITICAL fake\\n2026-01-01 00:00:00 CRITICAL" in lines[0]
    assert lines[0].endswith("\\r\\u202eevil not found")
    assert len(lines[1]) < logs.MAX_MESSAGE + 200 and "more characters]" in lines[1]


def test_uvicorn_error_records_are_made_safe_too(log: io.StringIO) -> None:
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "%s", (FORGED,), None)
    for flt in logging.getLogger("uvicorn.error").filters:
        assert flt.filter(record)  # type: ignore[union-attr]
    assert "\n" not in record.getMessage() and "\\x1b" in record.getMessage()


def test_escape_keeps_ordinary_text() -> None:
    text = "Træna kommune – «pris» 2018, 100 % ✓ \u200e"
    assert logs.escape(text) == text
    assert logs.escape("a\tb\x00c\x85d\u2028e") == "a\\tb\\x00c\\x85d\\u2028e"


async def test_json_lines_carry_the_request_id_and_one_access_record(
    demo_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, json_log: io.StringIO
) -> None:
    async def broken(new: services.NewComment, *args: object) -> None:
        raise RuntimeError("could not store it")

    monkeypatch.setattr(services, "post_comment", broken)
    found = await gql(demo_client, ARTICLE_ID, {"s": SEED.slug["nb"]})
    article_id = found["data"]["article"]["id"]
    given = "req-42.from_proxy"
    comment = {"articleId": article_id, "authorName": "K", "email": "k@example.no", "body": "Hei"}
    response = await demo_client.post(
        "/graphql?lang=nb",
        json={
            "query": f"mutation Post{POST.removeprefix('mutation')}",
            "variables": {"i": comment},
        },
        headers={"X-Request-Id": given},
    )
    assert response.headers["x-request-id"] == given
    lines = json_lines(json_log)
    assert len(lines) == 3  # two access records and the error's
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["logger"] == "contentapi.errors" and "Traceback" in error["exception"]
    assert error["request_id"] == given and error["path"] == "/graphql"
    access = [line for line in lines if line["logger"] == logs.ACCESS_LOGGER]
    assert [line["request_id"] for line in access][1] == given
    first, second = access
    assert first["request_id"] != given and re.fullmatch(r"[0-9a-f]{32}", first["request_id"])
    assert second["path"] == "/graphql"  # never the query string (?lang=nb)
    assert (second["method"], second["route"], second["status"]) == ("POST", "/graphql", 200)
    assert second["operation"] == "Post" and second["cache"] == "miss"
    assert isinstance(second["duration_ms"], float) and second["duration_ms"] > 0
    assert first["operation"] == "anonymous"
    for line in lines:
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
        assert line["message"]


async def test_text_access_records_are_one_line_each(
    demo_client: httpx.AsyncClient, log: io.StringIO
) -> None:
    query = {"query": "query Locales { locales { code } }"}
    for _ in range(2):
        response = await demo_client.get("/graphql", params=query)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    kept = lines[1]
    assert " INFO contentapi.access: GET /graphql 200 " in kept
    assert "operation=Locales cache=hit sql=0" in kept
    assert kept.endswith(f"request_id={response.headers['x-request-id']}")
    assert "locales" not in kept  # the query string stays out


@pytest.mark.parametrize("log_format", ["json", "text"])
async def test_secrets_never_reach_the_log(
    demo_client: httpx.AsyncClient, log_format: logs.LogFormat
) -> None:
    email = "kari.nordmann@example.org"
    body = f"Eit heilt særeige innlegg 7c1d9e ({log_format})"
    hidden = "ola@example.net"
    tokens = await make_tokens()
    forged = "cat_notatokenatall12345"
    secrets = [email, body, "7c1d9e", hidden, "variables", "query=", forged, *tokens.values()]
    for stream in installed(log_format):
        found = await gql(demo_client, ARTICLE_ID, {"s": SEED.slug["nb"]})
        article_id = found["data"]["article"]["id"]
        posted = await gql(
            demo_client,
            POST,
            {"i": {"articleId": article_id, "authorName": "Kari", "email": email, "body": body}},
        )
        assert posted["data"]["postComment"]["errors"] == []
        for token in (tokens["editor"], forged):
            await demo_client.post(
                "/graphql",
                json={"query": '{ articles(locale: "nb", first: 1) { totalCount } }'},
                headers={"Authorization": f"Bearer {token}"},
            )
        await demo_client.get(
            "/graphql",
            params={
                "query": "query($e: String!) { article(slug: $e) { id } }",
                "variables": json.dumps({"e": hidden}),
            },
        )
        await demo_client.get(f"/graphql?query={{locales{{code}}}}&email={hidden}")
        logging.getLogger("contentapi.test").warning(  # wherever a value turns up
            "failed for %s with Bearer %s", hidden, tokens["admin"]
        )
        text = stream.getvalue()
        if log_format == "json":
            json_lines(stream)  # every line parses
        assert text.count("contentapi.access") == 6, text
        for secret in secrets:
            assert secret not in text, secret
        assert "failed for [e-mail] with Bearer [redacted]" in text


async def test_the_access_log_can_be_turned_off(demo_client: httpx.AsyncClient) -> None:
    stream = io.StringIO()
    try:
        for _ in installed("text"):  # the loggers are put back as they were after
            logs.install(stream=stream, access_log=False)
            await demo_client.get("/healthz")
            logging.getLogger("contentapi.test").warning("still here")
    finally:
        logging.getLogger(logs.ACCESS_LOGGER).setLevel(logging.NOTSET)
    assert stream.getvalue().splitlines() == [
        line for line in stream.getvalue().splitlines() if "WARNING contentapi.test" in line
    ]
    assert stream.getvalue().count("\n") == 1
