"""HTTP for GraphQL answers: who may keep them (Cache-Control), what they vary by, ETags
and 304s, compressed kept answers, and the GraphQL-over-HTTP response type.

Anonymous successful queries may be kept: ``public`` for GET (a CDN may), with a
``max-age`` no longer than the answer stays true. Anything with a token is ``private,
no-store``; errors and writes are ``no-store``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from math import ceil, floor
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from contentapi.cache.keys import GRAPHQL_RESPONSE, JSON, response_type
from contentapi.cache.responses import ResponseCache
from contentapi.cache.store import Entry
from contentapi.compression import negotiate as negotiate_encoding
from contentapi.errors import ErrorCode
from contentapi.http_errors import error_body
from contentapi.request_context import note_error

PRIVATE = "private, no-store"
NO_STORE = "no-store"
MIN_COMPRESSED = 500  # bytes; smaller answers go as they are
DEFAULT_RETRY_AFTER = 1  # seconds, when an UNAVAILABLE error does not say

# The HTTP status of a coded answer: request-level errors (nothing ran, or the run was
# stopped) and the codes a run may end in when it answered nothing (``data`` null).
STATUS: dict[str, int] = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.TIMEOUT: 504,
}
RETRY_CODES = frozenset({ErrorCode.RATE_LIMITED.value, ErrorCode.UNAVAILABLE.value})


def vary(negotiated: bool) -> str:
    """The request headers an answer depends on."""
    return "Accept, Accept-Language, Authorization" if negotiated else "Accept, Authorization"


def cache_control_for(method: str, max_age: int, stale: int, entry: Entry, now: datetime) -> str:
    """For a successful anonymous query: public for GET (bounded by when it stops being
    true), not kept for POST (shared caches do not key by body)."""
    if method != "GET":
        return NO_STORE
    until = entry.expires_at if entry.settled else now
    left = max(0, floor((until - now).total_seconds()))
    return f"public, max-age={min(max_age, left)}, stale-while-revalidate={stale}"


def etag_matches(method: str, if_none_match: str | None, etag: str) -> bool:
    """A GET whose If-None-Match names this ETag (weak comparison, RFC 9110)."""
    if not if_none_match or method != "GET":
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag in wanted


def not_modified(request: Request, etag: str) -> bool:
    """The client's copy (If-None-Match) is this one."""
    return etag_matches(request.method, request.headers.get("if-none-match"), etag)


def kept_parts(
    cache: ResponseCache,
    key: str,
    entry: Entry,
    *,
    method: str,
    if_none_match: str | None,
    accept_encoding: str,
    control: str,
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a kept answer: 304 when the client has it,
    compressed when it asks (the view and the fast path both send it so)."""
    headers = {
        "ETag": entry.etag,
        "Cache-Control": control,
        "Vary": vary(entry.negotiated) + ", Accept-Encoding",
        "X-Cache": "HIT",
    }
    if entry.content_language:
        headers["Content-Language"] = entry.content_language
    if etag_matches(method, if_none_match, entry.etag):
        return 304, headers, b""
    body = entry.body
    encoding = negotiate_encoding(accept_encoding)
    if encoding is not None and len(body) >= MIN_COMPRESSED:
        body = cache.store.encoded(key, entry, encoding)
        headers["Content-Encoding"] = encoding
    headers["Content-Type"] = entry.content_type
    return 200, headers, body


def kept_answer(
    request: Request,
    cache: ResponseCache,
    key: str,
    entry: Entry,
    control: str,
) -> Response:
    """A kept answer as a Starlette response (see :func:`kept_parts`)."""
    status, headers, body = kept_parts(
        cache,
        key,
        entry,
        method=request.method,
        if_none_match=request.headers.get("if-none-match"),
        accept_encoding=request.headers.get("accept-encoding", ""),
        control=control,
    )
    return Response(body, status_code=status, headers=headers)


def typed(request: Request, response: Response, request_error: bool) -> None:
    """The GraphQL-over-HTTP response type when the client asks for it: then a request
    that could not run (it does not parse or validate) is 400, as that spec says."""
    if response_type(request.headers.get("accept")) == GRAPHQL_RESPONSE:
        response.headers["Content-Type"] = GRAPHQL_RESPONSE
        if request_error and response.status_code == 200:
            response.status_code = 400


def coded_error(
    message: str,
    status: int | None,
    code: ErrorCode | str,
    accept: str | None,
    extensions: Mapping[str, object] | None = None,
) -> Response:
    """A request-level error as GraphQL JSON with a stable code (``status`` None: the
    code's own, from :data:`STATUS`)."""
    note_error(str(code))
    return Response(
        error_body(message, ErrorCode(code), extensions),
        status_code=status or STATUS.get(str(code), 400),
        media_type=GRAPHQL_RESPONSE if response_type(accept) == GRAPHQL_RESPONSE else JSON,
        headers={"Cache-Control": NO_STORE, **retry_after(str(code), extensions)},
    )


def run_status(data: object, errors: list[Any] | None) -> tuple[int, dict[str, str]] | None:
    """Status and headers for an answer that holds nothing (``data`` null) because of a
    rate limit or an unavailable database: 429 or 503 with ``Retry-After``; else None."""
    if data is not None or not errors:
        return None
    for error in errors:
        extensions = getattr(error, "extensions", None) or {}
        code = extensions.get("code")
        if code in RETRY_CODES:
            return STATUS[code], retry_after(code, extensions)
    return None


def retry_after(code: str, extensions: Mapping[str, object] | None) -> dict[str, str]:
    """The ``Retry-After`` header a code calls for (from ``extensions.retryAfter``)."""
    if code not in RETRY_CODES:
        return {}
    seconds = (extensions or {}).get("retryAfter", DEFAULT_RETRY_AFTER)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        seconds = DEFAULT_RETRY_AFTER
    return {"Retry-After": str(max(1, ceil(seconds)))}
