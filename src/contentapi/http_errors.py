"""Coded JSON error answers for the HTTP edge (middleware that answers before routing).

The same shape as every GraphQL error: ``{"errors": [{"message", "extensions": {"code"}}]}``.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.types import Send

from contentapi.errors import ErrorCode

JSON = b"application/json"


def error_body(
    message: str, code: ErrorCode, extensions: Mapping[str, object] | None = None
) -> bytes:
    """The JSON body of one coded error."""
    return orjson.dumps(
        {"errors": [{"message": message, "extensions": {"code": code.value, **(extensions or {})}}]}
    )


async def send_error(
    send: Send,
    status: int,
    code: ErrorCode,
    message: str,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, object] | None = None,
) -> None:
    """Answer with one coded error as JSON (never kept by caches)."""
    body = error_body(message, code, extensions)
    raw = [
        (b"content-type", JSON),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    raw += [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in (headers or {}).items()
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
