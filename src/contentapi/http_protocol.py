"""uvicorn's httptools protocol with a deadline and a size cap for request headers.

uvicorn closes a kept-alive connection that stays idle (``timeout_keep_alive``) but has
no limit on the time or bytes a request's headers may take: a connection that sends
nothing, or trickles a header a byte a second (slowloris), is held for ever. Here a timer
starts when the connection opens and when a new request's first byte arrives; if the
headers are not complete when it fires, the connection is closed (with a coded ``408``
when part of a request came). Headers over ``max_header_bytes`` get a coded ``431``.
Over ``limit_concurrency``, the ``503`` is coded JSON too (uvicorn's is plain text).

The class :func:`guarded_protocol` makes pickles as the call that made it: with
``--workers`` uvicorn sends its config, protocol class included, to spawned processes.
"""

from __future__ import annotations

import asyncio
import copyreg
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from contentapi.errors import ErrorCode
from contentapi.http_errors import error_body, send_error
from contentapi.security_headers import API_POLICY, COMMON

MAX_HEADER_BYTES = 16 * 1024  # request line and headers; nginx's large_client_header_buffers
_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


async def service_unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    """The answer over the connection limit: ``503 UNAVAILABLE``, then the connection closes."""
    await send_error(
        send,
        503,
        ErrorCode.UNAVAILABLE,
        "The server is busy; try again shortly",
        headers={
            **COMMON,
            "Content-Security-Policy": API_POLICY,
            "Retry-After": "1",
            "Connection": "close",
        },
    )


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` with header deadlines (see the module); set the class
    attributes with :func:`guarded_protocol`."""

    header_timeout: float = 10.0
    max_header_bytes: int = MAX_HEADER_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the concurrency check is ours (coded 503): uvicorn's is turned off
        self.max_concurrency = self.limit_concurrency
        self.limit_concurrency = None
        self.header_timer: asyncio.TimerHandle | None = None
        self.header_bytes = 0  # bytes received while the current headers are incomplete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.header_timer is not None:  # the headers are still incomplete
            self.header_bytes += len(data)
            if self.header_bytes > self.max_header_bytes and not self.transport.is_closing():
                self._refuse(431, "The request headers are too large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()  # a new request on a kept-alive connection: its headers' time starts

    def on_headers_complete(self) -> None:
        self._disarm()
        limit = self.max_concurrency
        busy = limit is not None and (len(self.connections) >= limit or len(self.tasks) >= limit)
        self.app = service_unavailable if busy else self.config.loaded_app
        super().on_headers_complete()

    def _arm(self) -> None:
        if self.header_timer is None:
            self.header_bytes = 0
            self.header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_late(self) -> None:
        self.header_timer = None
        if self.transport.is_closing():
            return
        if self.header_bytes:
            self._refuse(408, "The request headers did not arrive in time")
        else:
            self.transport.close()  # nothing was asked: nothing to answer

    def _refuse(self, status: int, message: str) -> None:
        """Write a coded answer and close (the request never reached the app)."""
        code = ErrorCode.TIMEOUT if status == 408 else ErrorCode.BAD_REQUEST
        body = error_body(message, code)
        head = [b"HTTP/1.1 %d %s" % (status, _REASONS[status])]
        headers = {
            **COMMON,
            "content-security-policy": API_POLICY,
            "content-type": "application/json",
            "content-length": str(len(body)),
            "cache-control": "no-store",
            "connection": "close",
        }
        head += [f"{name}: {value}".encode("latin-1") for name, value in headers.items()]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()


class GuardedProtocolType(type):
    """The type of the classes :func:`guarded_protocol` makes (so they can be pickled)."""

    header_timeout: float
    max_header_bytes: int


@lru_cache(maxsize=16)
def guarded_protocol(
    header_timeout: float, max_header_bytes: int = MAX_HEADER_BYTES
) -> GuardedProtocolType:
    """The protocol class to hand uvicorn (``http=``) with these limits (one per limits)."""
    return GuardedProtocolType(
        "GuardedHttpToolsProtocol",
        (GuardedHttpToolsProtocol,),
        {"header_timeout": header_timeout, "max_header_bytes": max_header_bytes},
    )


def _pickled(
    cls: GuardedProtocolType,
) -> tuple[Callable[..., GuardedProtocolType], tuple[float, int]]:
    # pickle names a class by module and name, and this one has no name of its own there:
    # it is rebuilt (in a uvicorn worker) by the same call
    return guarded_protocol, (cls.header_timeout, cls.max_header_bytes)


copyreg.pickle(GuardedProtocolType, _pickled)
