"""Compressed responses: brotli or gzip, chosen from the request's ``Accept-Encoding``."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from typing import Protocol

import anyio.to_thread
import brotli  # Google's binding ships no type hints (see pyproject.toml)
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BROTLI_QUALITY = 5  # the GraphiQL bundle (3.5 MB) in ~50 ms to 19 %; quality 11 takes seconds
GZIP_LEVEL = 6
THREAD_MINIMUM_SIZE = 128 * 1024  # larger chunks are compressed off the event loop


class Encoder(Protocol):
    """One response's compression stream."""

    def compress(self, data: bytes, final: bool) -> bytes:
        """Compressed bytes for ``data``, flushed so that the client can decode them now."""
        ...


class BrotliEncoder:
    """A brotli stream (``Content-Encoding: br``)."""

    def __init__(self, quality: int = BROTLI_QUALITY) -> None:
        self._stream = brotli.Compressor(quality=quality)

    def compress(self, data: bytes, final: bool) -> bytes:
        out: bytes = self._stream.process(data)
        tail: bytes = self._stream.finish() if final else self._stream.flush()
        return out + tail


class GzipEncoder:
    """A gzip stream (``Content-Encoding: gzip``)."""

    def __init__(self, level: int = GZIP_LEVEL) -> None:
        self._stream = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def compress(self, data: bytes, final: bool) -> bytes:
        out = self._stream.compress(data)
        return out + self._stream.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)


ENCODERS: dict[str, Callable[[], Encoder]] = {
    "br": BrotliEncoder,
    "gzip": GzipEncoder,
}


def negotiate(accept_encoding: str) -> str | None:
    """``"br"``, ``"gzip"`` or None for an ``Accept-Encoding`` value.

    q-values count (``br;q=0`` refuses brotli, ``*`` stands for what is not named); of two
    accepted codings the one with the higher q wins, brotli on a tie.
    """
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:  # also NaN
                    q = 0.0
        weights.setdefault("gzip" if name == "x-gzip" else name, q)
    anything = weights.get("*", 0.0)
    br = weights.get("br", anything)
    gzip = weights.get("gzip", anything)
    if br > 0 and br >= gzip:
        return "br"
    return "gzip" if gzip > 0 else None


def is_excluded(content_type: str, excluded: frozenset[str]) -> bool:
    """Whether a ``Content-Type`` is one that is not worth compressing (images, streams…)."""
    media_type = content_type.partition(";")[0].strip().lower()
    names = {media_type, media_type.partition("/")[0] + "/*"}
    if media_type.startswith("application/grpc+"):
        names.add("application/grpc")
    return not names.isdisjoint(excluded)


def add_vary(headers: MutableHeaders, name: str = "Accept-Encoding") -> None:
    """Add ``name`` to ``Vary``, keeping what is there (one header, no duplicates)."""
    values = [v.strip() for line in headers.getlist("vary") for v in line.split(",")]
    values = [v for v in values if v]
    if "*" in values or name.lower() in {v.lower() for v in values}:
        return
    headers["Vary"] = ", ".join([*values, name])


class Compression:
    """ASGI middleware: brotli or gzip for HTTP answers of at least ``minimum_size`` bytes.

    Passed on untouched: HEAD, 204, 304 and the content types of Starlette's
    ``DEFAULT_EXCLUDED_CONTENT_TYPES``. Every other answer gets ``Vary: Accept-Encoding``;
    small ones, 206s and those with a ``Content-Encoding`` already are not compressed. A
    compressed one loses ``Accept-Ranges`` (and ``Content-Length`` when streamed), and a
    strong ``ETag`` becomes weak.
    """

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        exclude_content_types: tuple[str, ...] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.excluded = frozenset(
            t.partition(";")[0].strip().lower() for t in exclude_content_types
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        encoding = negotiate(Headers(scope=scope).get("accept-encoding", ""))
        await self.app(scope, receive, _Responder(self, encoding, send))


class _Responder:
    """The ``send`` of one request: holds the start back until the first body part."""

    def __init__(self, middleware: Compression, encoding: str | None, send: Send) -> None:
        self.minimum_size = middleware.minimum_size
        self.excluded = middleware.excluded
        self.encoding = encoding
        self.send = send
        self.held: Message | None = None  # the response start, until the body decides
        self.encoder: Encoder | None = None

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            await self.start(message)
        elif kind == "http.response.body" and self.held is not None:
            await self.first_body(self.held, message)
        elif kind == "http.response.body" and self.encoder is not None:
            more_body = message.get("more_body", False)
            body = await _compress(self.encoder, message.get("body", b""), not more_body)
            await self.send({**message, "body": body})
        else:
            if self.held is not None:  # e.g. http.response.pathsend: the body goes around us
                held, self.held = self.held, None
                await self.send(held)
            await self.send(message)

    async def start(self, message: Message) -> None:
        headers = MutableHeaders(raw=list(message.get("headers", [])))
        if message["status"] in (204, 304) or is_excluded(
            headers.get("content-type", ""), self.excluded
        ):
            await self.send(message)
            return
        add_vary(headers)
        message = {**message, "headers": headers.raw}
        if self.encoding is None or "content-encoding" in headers or message["status"] == 206:
            await self.send(message)
        else:
            self.held = message

    async def first_body(self, start: Message, message: Message) -> None:
        self.held = None
        body: bytes = message.get("body", b"")
        more_body = message.get("more_body", False)
        if self.encoding is None or (not more_body and len(body) < self.minimum_size):
            await self.send(start)
            await self.send(message)
            return
        encoder = ENCODERS[self.encoding]()
        compressed = await _compress(encoder, body, not more_body)
        if not more_body and len(compressed) >= len(body):  # nothing gained
            await self.send(start)
            await self.send(message)
            return
        headers = MutableHeaders(raw=list(start["headers"]))
        headers["Content-Encoding"] = self.encoding
        etag = headers.get("etag")
        if etag and not etag.startswith("W/"):
            headers["ETag"] = "W/" + etag  # another representation: no longer byte-identical
        del headers["accept-ranges"]  # ranges would be of the uncompressed file
        if more_body or start.get("trailers", False):
            del headers["content-length"]
        else:
            headers["Content-Length"] = str(len(compressed))
        if more_body:
            self.encoder = encoder
        await self.send({**start, "headers": headers.raw})
        await self.send({**message, "body": compressed})


async def _compress(encoder: Encoder, body: bytes, final: bool) -> bytes:
    if len(body) < THREAD_MINIMUM_SIZE:
        return encoder.compress(body, final)
    return await anyio.to_thread.run_sync(functools.partial(encoder.compress, body, final))
