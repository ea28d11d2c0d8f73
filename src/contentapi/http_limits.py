"""Request body limits: a body over the size limit is refused before it is read whole, and
a body that stops arriving is refused after the read timeout (the edge times it)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import send_error
from contentapi.request_context import note_error


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
        note_error(code.value)
        await send_error(send, 413, code, f"The request body is larger than {limit} bytes")


BODY_HEADERS = (b"content-length", b"transfer-encoding")  # a request that announces a body


class BodyReadTimedOut(Exception):
    """Raised from ``receive`` when a part of the body did not arrive in time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(timeout_message(seconds))
        self.seconds = seconds


def timeout_message(seconds: float) -> str:
    """What the ``408 TIMEOUT`` of a body that stopped arriving says."""
    return f"The request body did not arrive within {seconds:g} seconds"


def timed_receive(receive: Receive, seconds: float) -> Receive:
    """``receive`` where each part of a request body must arrive within ``seconds``.

    A client that declares 15 MB and sends 1 KB, then nothing, is answered ``408 TIMEOUT``
    (and the connection closed) instead of holding a request, and its temporary file, open
    for ever: :class:`BodyReadTimedOut` ends the request (the app's error handler answers
    it; the edge, outermost, lets it end there). Once the body is complete, ``receive``
    waits as long as the app likes (for the client's disconnect, say). Only for requests
    that announce a body (:data:`BODY_HEADERS`): to others the server delivers none.
    """
    complete = False

    async def timed() -> Message:
        nonlocal complete
        if complete:
            return await receive()
        try:
            async with asyncio.timeout(seconds):  # cheaper than anyio's scopes
                message = await receive()
        except TimeoutError:
            raise BodyReadTimedOut(seconds) from None
        complete = message["type"] != "http.request" or not message.get("more_body", False)
        return message

    return timed


async def refuse_timeout(send: Send, seconds: float) -> None:
    """The ``408`` of a body that stopped arriving (the connection is closed after it)."""
    await send_error(
        send, 408, ErrorCode.TIMEOUT, timeout_message(seconds), headers={"Connection": "close"}
    )
