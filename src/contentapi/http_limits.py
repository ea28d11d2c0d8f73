"""Request body limits: a body over the size limit is refused before it is read whole, and
a body that stops arriving is refused after the read timeout."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import send_error


class BodyTooLarge(Exception):
    """Raised from ``receive`` once more bytes arrived than allowed."""


class BodySizeLimit:
    """ASGI middleware: 413 with code BAD_REQUEST for bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # a multipart upload may carry a file up to its own limit, plus the form around it
        self.upload_max_bytes = (upload_max_bytes or max_bytes) + 64 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.upload_max_bytes if multipart else self.max_bytes
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        code = ErrorCode.FILE_TOO_LARGE if limit != self.max_bytes else ErrorCode.BAD_REQUEST
        await send_error(send, 413, code, f"The request body is larger than {limit} bytes")


_BODY_HEADERS = (b"content-length", b"transfer-encoding")


class BodyReadTimedOut(Exception):
    """Raised from ``receive`` when a part of the body did not arrive in time."""


class BodyReadTimeout:
    """ASGI middleware: each part of a request body must arrive within ``seconds``.

    A client that declares 15 MB and sends 1 KB, then nothing, is answered ``408 TIMEOUT``
    (and the connection closed) instead of holding a request, and its temporary file, open
    for ever. Once the body is complete, ``receive`` waits as long as the app likes (for the
    client's disconnect, say).
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not any(
            name in _BODY_HEADERS for name, _ in scope["headers"]
        ):  # no body announced (a GET): the server delivers none, so nothing to time
            await self.app(scope, receive, send)
            return
        complete = False
        started = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout(self.seconds):  # cheaper than anyio's scopes
                    message = await receive()
            except TimeoutError:
                raise BodyReadTimedOut from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except BodyReadTimedOut:
            if not started:
                await send_error(
                    send,
                    408,
                    ErrorCode.TIMEOUT,
                    f"The request body did not arrive within {self.seconds:g} seconds",
                    headers={"Connection": "close"},
                )
