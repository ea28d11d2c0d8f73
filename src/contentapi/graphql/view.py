"""The GraphQL endpoint: Strawberry's ASGI view with our context, orjson, the anonymous
response cache, persisted queries and HTTP caching headers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from contentapi.cache import http, keys
from contentapi.cache.fastpath import KEPT
from contentapi.cache.persisted import PersistedQueryNotFound
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.context import Context
from contentapi.graphql.schema import build_schema
from contentapi.i18n import negotiate
from contentapi.runtime import Runtime
from contentapi.static_assets import versioned_page

UPLOAD_HEADER = "x-contentapi-upload"
PLAYGROUND = Path(__file__).resolve().parents[1] / "static" / "playground.html"


class GraphQLView(GraphQL[Context, None]):
    """``POST``/``GET``/``WS /graphql``; GraphiQL for browsers; queries only over GET."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            build_schema(runtime.settings), graphql_ide="graphiql", multipart_uploads_enabled=True
        )
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        accept = request.headers.get("accept")
        try:
            response = await self._answer(request)
        except HTTPException as exc:
            # Strawberry answers malformed requests in plain text; give them a code.
            response = http.coded_error(exc.reason, exc.status_code, ErrorCode.BAD_REQUEST, accept)
        except PersistedQueryNotFound:
            # the message is what Apollo Client and urql look for before sending the text
            response = http.coded_error(
                "PersistedQueryNotFound", 200, ErrorCode.PERSISTED_QUERY_NOT_FOUND, accept
            )
        except DomainError as exc:  # a persisted query that is not what it says
            response = http.coded_error(exc.message, 400, exc.code, accept)
        if "authorization" in request.headers:
            response.headers["Cache-Control"] = http.PRIVATE
        response.headers.setdefault("Cache-Control", http.NO_STORE)
        response.headers.setdefault("Vary", http.vary(True))
        try:
            await response(scope, receive, send)
        finally:
            await request.close()  # uploaded files' temporary files, whatever happened

    async def _answer(self, request: Request) -> Response:
        """A kept answer if there is one; else Strawberry's, kept when it may be."""
        runtime, cache = self.runtime, self.runtime.cache
        settings = runtime.settings
        locale = negotiate(request.headers.get("accept-language"), runtime.locales)
        request.state.locale = locale
        base = None if settings.public_url else str(request.base_url)
        lookup = await keys.lookup(request, locale, base)
        if lookup is not None and cache.enabled:
            found = cache.find(lookup)
            if found is not None:
                key, entry = found
                request.scope[KEPT] = key  # the fast path answers the next one
                now = runtime.clock()
                control = http.cache_control_for(
                    request.method,
                    settings.cache_max_age,
                    settings.cache_stale_while_revalidate,
                    entry,
                    now,
                )
                return http.kept_answer(request, cache, key, entry, control)
        generation = cache.generation
        response = await self.run(request)
        context: Context | None = getattr(request.state, "context", None)
        if context is None or not isinstance(response, Response):
            return response
        hints = context.hints
        http.typed(request, response, request_error=hints.errors and not hints.executed)
        ok = response.status_code == 200 and hints.operation == "query" and not hints.errors
        if lookup is None or not ok:
            response.headers["Vary"] = http.vary(True)
            return response
        entry, stored = cache.keep(
            lookup,
            generation,
            bytes(response.body),
            response.headers.get("content-type", keys.JSON),
            negotiated=hints.negotiated,
            valid_until=hints.valid_until,
            now=context.now,
        )
        if stored is not None:
            request.scope[KEPT] = stored
        response.headers["ETag"] = entry.etag
        response.headers["Vary"] = http.vary(hints.negotiated)
        response.headers["Cache-Control"] = http.cache_control_for(
            request.method,
            settings.cache_max_age,
            settings.cache_stale_while_revalidate,
            entry,
            context.now,
        )
        if http.not_modified(request, entry.etag):
            return Response(status_code=304, headers=_validators(response))
        return response

    def should_render_graphql_ide(self, request: Any) -> bool:
        # a browser asking for the page; a GET with only a persisted query's hash (and an
        # Accept of */*, as curl and some CDNs send) is a query, not a visit
        params = request.query_params
        return (
            request.method == "GET"
            and params.get("query") is None
            and params.get("extensions") is None
            and "text/html" in request.headers.get("accept", "")
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(versioned_page(PLAYGROUND))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        context = Context.for_request(self.runtime, request)
        request.state.context = context  # its hints decide what may be kept
        return context

    def encode_json(self, data: object) -> str:
        # text, not bytes: websocket messages must be text frames for browsers
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        if "multipart/form-data" in (request.content_type or "") and (
            UPLOAD_HEADER not in {name.lower() for name in request.headers}
        ):
            # a browser cannot send this header cross-site without a CORS preflight, so a
            # forged form post from another site never reaches an upload (CSRF)
            raise HTTPException(
                400, "Uploads need the header 'X-Contentapi-Upload: 1' (see the README)"
            )
        if request.method == "POST" and "json" in (request.content_type or ""):
            body = self.parse_json(await request.get_body())
            if not isinstance(body, dict | list):
                raise HTTPException(400, "The request body must be a JSON object")
        try:
            data = await super().parse_http_body(request)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
            # a multipart form whose operations or map do not fit together
            raise HTTPException(400, f"Malformed request: {type(exc).__name__}") from None
        for item in data if isinstance(data, list) else [data]:
            item.query = self.runtime.persisted.resolve(item.query, item.extensions)
            max_tokens = self.runtime.settings.max_tokens
            if item.operation_name is None and _operation_count(item.query or "", max_tokens) > 1:
                raise HTTPException(
                    400, "The document has several operations: give 'operationName'"
                )
        return data


def _validators(response: Response) -> dict[str, str]:
    """The headers a 304 repeats."""
    names = ("etag", "cache-control", "vary")
    return {k: v for k, v in response.headers.items() if k in names}


@lru_cache(maxsize=256)
def _operation_count(query: str, max_tokens: int) -> int:
    """How many operations a document defines (0 when it does not parse: reported later)."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return 0
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
