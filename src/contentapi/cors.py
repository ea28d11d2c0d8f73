"""CORS: which browser origins may call the API (Starlette's ``CORSMiddleware``).

With ``*`` (the default) every origin may read, and may send a token too: tokens are
``Authorization`` headers, never cookies, so a page elsewhere can only use a token it
already holds, and no credentialed (cookie) request is ever allowed. Every answer then says
``Access-Control-Allow-Origin: *`` whether or not the request named an origin, so a CDN
keeps one copy, not one per origin. With a list, only those origins pass the preflight a
token, a JSON ``POST`` or an upload (``X-Contentapi-Upload``) needs; others get a coded
``400`` and the browser stops there.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import error_body

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


class CrossOrigin(CORSMiddleware):
    """``CORSMiddleware`` without credentials, with JSON refusals."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=tuple(origins),
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            allow_credentials=False,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE,
        )
        self._raw = [(k.lower().encode(), v.encode()) for k, v in self.simple_headers.items()]

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        headers = {
            k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")
        }
        reason = bytes(response.body).decode()  # "Disallowed CORS origin, headers"
        return Response(
            error_body(reason, ErrorCode.BAD_REQUEST),
            status_code=400,
            headers=headers,
            media_type="application/json",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.allow_all_origins or scope["type"] != "http" or scope["method"] == "OPTIONS":
            await super().__call__(scope, receive, send)  # preflights, and listed origins
            return

        # any origin, not a preflight: the same headers on every answer, no Vary: Origin,
        # and nothing to read from the request (this is the path of every kept answer)
        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self._raw]}
            await send(message)

        await self.app(scope, receive, with_cors)
