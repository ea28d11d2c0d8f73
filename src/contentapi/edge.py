"""The HTTP edge: one ASGI layer, the outermost, for every rule at the edge and the record
of every request.

It sits outside Starlette's error middleware, so it sees every answer (500s too), and in
one pass over the request headers and one wrapper of ``send`` (and of ``receive`` for a
request with a body) it:

- gives the request its id: a sane ``X-Request-Id`` from the caller (at most 64 of
  ``A-Z a-z 0-9 . _ -``), else a new one; every answer carries it back, and log records
  made while the request runs carry it (``request_context``);
- refuses a Host that is not served (``hosts.py``), answers CORS preflights and adds the
  CORS headers (``cors.py``), refuses a client over the read rate limit (``read_limits``),
  times each part of a request body (``http_limits``): rules as plain calls, not layers;
- adds the security headers (``security_headers.py``);
- when the answer is done: one access record (``logs.py``) and the metrics (``metrics``).

Each layer of its own would wrap ``receive`` and ``send`` again: five of them halved the
throughput of kept answers (docs/benchmarks.md).
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contentapi import logs
from contentapi.cors import CrossOrigin
from contentapi.errors import ErrorCode
from contentapi.hosts import TrustedHosts
from contentapi.hosts import refuse as refuse_host
from contentapi.http_limits import BODY_HEADERS, BodyReadTimedOut, refuse_timeout, timed_receive
from contentapi.metrics import GRAPHQL_ROUTE, Metrics
from contentapi.read_limits import ReadRateLimit
from contentapi.read_limits import refuse as refuse_reader
from contentapi.request_context import CURRENT, RequestInfo
from contentapi.security_headers import SecurityPolicy
from contentapi.sql import count_statements

logger = logging.getLogger("contentapi.edge")
REQUEST_ID = b"x-request-id"
_SANE_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")
_KNOWN = frozenset(("/", "/healthz", "/readyz", "/metrics", GRAPHQL_ROUTE))
_MOUNTS = ("/media", "/static")
UNMATCHED = "unmatched"  # a path no route serves (the route label of 404s)


@dataclass(frozen=True)
class EdgeRules:
    """What the edge enforces; ``read_limit`` None: no read rate limit."""

    hosts: TrustedHosts
    cors: CrossOrigin
    security: SecurityPolicy
    read_timeout_seconds: float
    read_limit: ReadRateLimit | None = None


# new ids: 16 random hex digits for this process, then its count of requests (16 more):
# unique across processes and restarts, and cheaper than 16 random bytes a request
_PROCESS = secrets.token_hex(8)
_NUMBER = itertools.count(1)


def request_id(header: bytes | None) -> str:
    """The caller's ``X-Request-Id`` when it is sane, else a new one (32 hex digits)."""
    if header is not None and _SANE_ID.fullmatch(header):
        return header.decode("ascii")
    return f"{_PROCESS}{next(_NUMBER):016x}"


def route_of(scope: Scope) -> str:
    """The route template that answered (``/media/w{width:int}/{file:path}``), never the
    raw path; for a request answered before routing, the route its path belongs to."""
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path", UNMATCHED))
    path: str = scope["path"]
    if path in _KNOWN:
        return path
    return next((mount for mount in _MOUNTS if path.startswith(mount + "/")), UNMATCHED)


class Edge:
    """The ASGI layer (see the module's text)."""

    def __init__(self, app: ASGIApp, rules: EdgeRules, metrics: Metrics | None = None) -> None:
        self.app = app
        self.rules = rules
        self.read_limit = rules.read_limit  # (tests reach the limiter through it)
        self.metrics = metrics
        count_statements()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "websocket" and not self.rules.hosts.admits(
                scope["path"], _header(scope, b"host")
            ):
                await send({"type": "websocket.close", "code": 1008, "reason": "Unknown host"})
                return
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rules = self.rules
        host = origin = given_id = None
        has_body = False
        for name, value in scope["headers"]:  # one pass for every rule
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
            elif name == REQUEST_ID:
                given_id = value
            elif name in BODY_HEADERS:
                has_body = True
        path: str = scope["path"]
        info = RequestInfo(request_id(given_id), scope["method"], path)
        id_header = (b"x-request-id", info.id.encode())
        token = CURRENT.set(info)
        status = 0
        with_cors = True

        async def edge_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                raw: list[tuple[bytes, bytes]] = [*message.get("headers", ()), id_header]
                if with_cors:
                    rules.cors.extend(raw, origin)
                rules.security.extend(raw, path)
                message["headers"] = raw  # (each message is made for this one send)
            await send(message)

        try:
            if not rules.hosts.admits(path, host):
                with_cors = False  # refused before anything else, as a layer of its own was
                info.errors = [ErrorCode.BAD_REQUEST.value]
                await refuse_host(edge_send)
            elif (
                scope["method"] == "OPTIONS"
                and (preflight := rules.cors.preflight(scope)) is not None
            ):
                with_cors = False  # it carries its own
                await preflight(scope, receive, edge_send)
            elif rules.read_limit is not None and (
                retry_after := await rules.read_limit.retry_after(scope)
            ):
                info.errors = [ErrorCode.RATE_LIMITED.value]
                await refuse_reader(edge_send, retry_after)
            else:
                if has_body:
                    receive = timed_receive(receive, rules.read_timeout_seconds)
                await self.app(scope, receive, edge_send)
        except BodyReadTimedOut as exc:
            # the app's error handler answered 408 on its way out; else it is answered here
            if not status:
                info.errors = [ErrorCode.TIMEOUT.value]
                await refuse_timeout(edge_send, exc.seconds)
        except Exception as exc:
            # answered 500 by Starlette's error middleware (when it could): logged once,
            # here, with the request's id, instead of by the server without it
            logger.error(
                "Unexpected error answering %s %s",
                info.method,
                path,
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            if not status:
                status = 500
                raise
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            if self.metrics is not None:
                self.metrics.observe(route, info, status or 500, seconds)
            logs.log_access(info, route, status or 500, seconds)
            CURRENT.reset(token)


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    return next((value for name, value in scope["headers"] if name == wanted), None)
