"""The shortest way to a kept answer: before routing, middleware and Starlette objects.

An anonymous ``GET`` or JSON ``POST`` to ``/graphql`` is keyed by its raw bytes (query
string or body, and the headers an answer depends on). When the view has kept the
answer of an identical request, it is sent from here; otherwise the request goes its
usual way, with its body handed on, and the view tells this layer which kept answer it
made (``scope["contentapi.kept"]``). The view's own lookup stays the reference: this is a
memo of it, emptied with the store. A kept answer sent from here is noted as a hit of the
operation that made it (``request_context``), for the access log and the metrics.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contentapi.cache.http import cache_control_for, kept_parts
from contentapi.cache.responses import ResponseCache
from contentapi.request_context import CURRENT

PATH = "/graphql"
KEPT = "contentapi.kept"  # scope key: the store key the view kept this request's answer under
MAX_ALIASES = 50_000
_VARIES = (b"accept", b"accept-language", b"host")


class CacheFastPath:
    """ASGI middleware; outermost, so a hit costs the least it can."""

    def __init__(
        self,
        app: ASGIApp,
        cache: ResponseCache,
        max_body_bytes: int,
        max_age: int,
        stale: int,
    ) -> None:
        self.app = app
        self.cache = cache
        self.max_body_bytes = max_body_bytes
        self.max_age = max_age
        self.stale = stale
        self._aliases: dict[bytes, tuple[str, str | None]] = {}  # -> key, operation
        self._generation = -1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or not self.cache.enabled:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        method = scope["method"]
        if b"authorization" in headers or method not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        body = b""
        if method == "POST":
            length = headers.get(b"content-length", b"")
            json = headers.get(b"content-type", b"").startswith(b"application/json")
            if not json or not length.isdigit() or int(length) > self.max_body_bytes:
                await self.app(scope, receive, send)
                return
            body, receive = await _buffered(receive)
        if self._generation != self.cache.generation:  # emptied with the store
            self._aliases.clear()
            self._generation = self.cache.generation
        raw = hashlib.blake2b(digest_size=20)
        raw.update(method.encode() + b"\0" + scope.get("query_string", b"") + b"\0" + body)
        for name in _VARIES:
            raw.update(b"\0" + headers.get(name, b""))
        alias = raw.digest()
        found = self._aliases.get(alias)
        if found is not None and await self._answer(*found, method, headers, send):
            return
        await self.app(scope, receive, send)
        kept = scope.get(KEPT)
        if kept is not None and self._generation == self.cache.generation:
            if len(self._aliases) >= MAX_ALIASES:
                self._aliases.clear()
            info = CURRENT.get()
            self._aliases[alias] = (kept, info.operation if info is not None else None)

    async def _answer(
        self,
        key: str,
        operation: str | None,
        method: str,
        headers: dict[bytes, bytes],
        send: Send,
    ) -> bool:
        now: datetime = self.cache.clock()
        entry = self.cache.store.get(key, now)
        if entry is None:
            return False
        self.cache.store.stats.hits += 1
        info = CURRENT.get()
        if info is not None:
            info.cache, info.operation = "hit", operation
        status, out, body = kept_parts(
            self.cache,
            key,
            entry,
            method=method,
            if_none_match=_text(headers.get(b"if-none-match")),
            accept_encoding=_text(headers.get(b"accept-encoding")) or "",
            control=cache_control_for(method, self.max_age, self.stale, entry, now),
        )
        raw = [(name.lower().encode(), value.encode()) for name, value in out.items()]
        if status == 200:
            raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})
        return True


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that hands it on to the app."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", receive  # the client went away: let the app see it
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
