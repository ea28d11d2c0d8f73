"""Log hygiene: values from requests reach the log escaped, capped and on one line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest

from contentapi import logs
from contentapi.comments import services
from contentapi.demo.content import SEED
from tests.conftest import error_codes, gql

FORGED = "\x1b[31mCRITICAL fake\n2026-01-01 00:00:00 CRITICAL contentapi: forged\r\u202eevil"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """``logs.install`` writing to a buffer; the loggers are put back as they were after."""
    names = (*logs.LOGGERS, *logs.EXTRA_LOGGERS)
    saved = [
        (logger, list(logger.handlers), list(logger.filters), logger.level)
        for logger in map(logging.getLogger, names)
    ]
    stream = io.StringIO()
    logs.install(stream=stream)
    try:
        yield stream
    finally:
        for logger, handlers, filters, level in saved:
            logger.handlers[:] = handlers
            logger.filters[:] = filters
            logger.setLevel(level)


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
    assert text.count("\n") == 1  # one record, one line
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
