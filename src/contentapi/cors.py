"""CORS: which browser origins may call the API (Starlette's ``CORSMiddleware``).

With ``*`` (the default) every origin may read, and may send a token too: tokens are
``Authorization`` headers, never cookies, so a page elsewhere can only use a token it
already holds, and no credentialed (cookie) request is ever allowed. Every answer then says
``Access-Control-Allow-Origin: *`` whether or not the request named an origin, so a CDN
keeps one copy, not one per origin. With a list, only those origins pass the preflight a
token, a JSON ``POST`` or an upload (``X-Contentapi-Upload``) needs; others get a coded
``400`` and the browser stops there.

The rules are Starlette's ``CORSMiddleware``'s; the edge (``edge.py``) applies them, with
no layer of their own: :meth:`CrossOrigin.preflight` answers preflights,
:meth:`CrossOrigin.extend` adds the headers to every other answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import error_body
from contentapi.request_context import note_error

ALLOWED_METHODS = ("GET", "HEAD", "POST")
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Accept",
    "Accept-Language",
    "If-None-Match",
    "X-Contentapi-Upload",  # uploads: the header a cross-site form cannot send (CSRF)
    "Apollo-Require-Preflight",
    "apollographql-client-name",
    "apollographql-client-version",
)
EXPOSED_HEADERS = ("ETag", "Retry-After", "X-Cache")
MAX_AGE = 3600  # browsers keep a preflight's answer this long (Chromium: at most 2 hours)


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("CrossOrigin holds rules; the edge applies them")


class CrossOrigin(CORSMiddleware):
    """``CORSMiddleware``'s rules without credentials, with JSON refusals."""

    def __init__(self, origins: Sequence[str]) -> None:
        super().__init__(
            _no_app,
            allow_origins=tuple(origins),
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            allow_credentials=False,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE,
        )
        self._raw = [(k.lower().encode(), v.encode()) for k, v in self.simple_headers.items()]

    def preflight(self, scope: Scope) -> Response | None:
        """The answer to a preflight (``OPTIONS`` with ``Origin`` and
        ``Access-Control-Request-Method``); None for any other request."""
        if scope["method"] != "OPTIONS":
            return None
        headers = Headers(scope=scope)
        if "origin" not in headers or "access-control-request-method" not in headers:
            return None
        return self.preflight_response(request_headers=headers)

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        headers = {
            k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")
        }
        reason = bytes(response.body).decode()  # "Disallowed CORS origin, headers"
        note_error(ErrorCode.BAD_REQUEST.value)
        return Response(
            error_body(reason, ErrorCode.BAD_REQUEST),
            status_code=400,
            headers=headers,
            media_type="application/json",
        )

    def extend(self, raw: list[tuple[bytes, bytes]], origin: bytes | None) -> None:
        """Add the CORS headers of an answer (not a preflight's) to its ``raw`` headers."""
        if self.allow_all_origins:
            # any origin: the same headers on every answer, no Vary: Origin, nothing read
            # from the request (this is the path of every kept answer)
            raw += self._raw
            return
        headers = MutableHeaders(raw=raw)  # edits ``raw`` in place, as Starlette's send does
        if origin is not None:
            headers.update(self.simple_headers)
            text = origin.decode("latin-1")
            if self.is_allowed_origin(origin=text):
                self.allow_explicit_origin(headers, text)  # with Vary: Origin
                return
        headers["Vary"] = ", ".join([*headers.getlist("Vary"), "Origin"])
