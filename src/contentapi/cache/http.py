"""HTTP for GraphQL answers: who may keep them (Cache-Control), what they vary by, ETags
and 304s, compressed kept answers, and the GraphQL-over-HTTP response type.

Anonymous successful queries may be kept: ``public`` for GET (a CDN may), with a
``max-age`` no longer than the answer stays true. Anything with a token is ``private,
no-store``; errors and writes are ``no-store``.
"""

from __future__ import annotations

from datetime import datetime
from math import floor

import orjson
from starlette.requests import Request
from starlette.responses import Response

from contentapi.cache.keys import GRAPHQL_RESPONSE, JSON, response_type
from contentapi.cache.responses import ResponseCache
from contentapi.cache.store import Entry
from contentapi.compression import negotiate as negotiate_encoding
from contentapi.errors import ErrorCode

PRIVATE = "private, no-store"
NO_STORE = "no-store"
MIN_COMPRESSED = 500  # bytes; smaller answers go as they are


def vary(negotiated: bool) -> str:
    """The request headers an answer depends on."""
    return "Accept, Accept-Language, Authorization" if negotiated else "Accept, Authorization"


def cache_control(request: Request, max_age: int, stale: int, entry: Entry, now: datetime) -> str:
    """For a successful anonymous query: see :func:`cache_control_for`."""
    return cache_control_for(request.method, max_age, stale, entry, now)


def cache_control_for(method: str, max_age: int, stale: int, entry: Entry, now: datetime) -> str:
    """For a successful anonymous query: public for GET (bounded by when it stops being
    true), not kept for POST (shared caches do not key by body)."""
    if method != "GET":
        return NO_STORE
    until = entry.expires_at if entry.settled else now
    left = max(0, floor((until - now).total_seconds()))
    return f"public, max-age={min(max_age, left)}, stale-while-revalidate={stale}"


def not_modified(request: Request, etag: str) -> bool:
    """The client's copy (If-None-Match) is this one (weak comparison, RFC 9110)."""
    header = request.headers.get("if-none-match")
    if not header or request.method != "GET":
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in wanted or etag in wanted


def kept_answer(
    request: Request,
    cache: ResponseCache,
    key: str,
    entry: Entry,
    control: str,
) -> Response:
    """A kept answer as sent: 304 when the client has it, compressed when it asks."""
    headers = {"ETag": entry.etag, "Cache-Control": control, "Vary": vary(entry.negotiated)}
    headers["X-Cache"] = "HIT"
    if not_modified(request, entry.etag):
        return Response(status_code=304, headers=headers)
    body = entry.body
    encoding = negotiate_encoding(request.headers.get("accept-encoding", ""))
    if encoding is not None and len(body) >= MIN_COMPRESSED:
        body = cache.store.encoded(key, entry, encoding)
        headers["Content-Encoding"] = encoding
    return Response(body, headers=headers, media_type=entry.content_type)


def typed(request: Request, response: Response, request_error: bool) -> None:
    """The GraphQL-over-HTTP response type when the client asks for it: then a request
    that could not run (it does not parse or validate) is 400, as that spec says."""
    if response_type(request.headers.get("accept")) == GRAPHQL_RESPONSE:
        response.headers["Content-Type"] = GRAPHQL_RESPONSE
        if request_error and response.status_code == 200:
            response.status_code = 400


def coded_error(message: str, status: int, code: ErrorCode | str, accept: str | None) -> Response:
    """A request-level error as GraphQL JSON with a stable code."""
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": str(code)}}]})
    return Response(
        body,
        status_code=status,
        media_type=GRAPHQL_RESPONSE if response_type(accept) == GRAPHQL_RESPONSE else JSON,
        headers={"Cache-Control": NO_STORE},
    )
