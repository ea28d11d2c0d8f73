"""The GraphQL endpoint: Strawberry's ASGI view with our context, orjson, the anonymous
response cache, persisted queries, HTTP caching headers, and the limits of one request.

Limits, in the order they apply: uploads need their header and a valid token before the
body is read; anonymous query text is at most ``max_query_bytes`` (token holders: the body
limit; the persisted-query manifest: any length); in persisted-only mode anonymous callers
run only the manifest; then the cost limit (``graphql/cost.py``), the request timeout
(``TIMEOUT``, 504) and the response size cap (``RESPONSE_TOO_LARGE``). Every answer is JSON
with ``errors[0].extensions.code``; the statuses are in ``cache/http.py`` (``STATUS``).

For the access log and the metrics, the request's record (``request_context``) learns the
operation's name, whether the response cache had the answer, and every error's code.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationDefinitionNode, parse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.types import ExecutionResult, SubscriptionExecutionResult

from contentapi.cache import http, keys
from contentapi.cache.fastpath import KEPT
from contentapi.cache.persisted import PersistedQueryNotFound
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.context import CacheHints, Context
from contentapi.graphql.cost import ASK
from contentapi.graphql.schema import build_schema
from contentapi.i18n import negotiate
from contentapi.request_context import current as current_request
from contentapi.request_context import note_cache, note_error, note_operation, operation_name
from contentapi.runtime import Runtime
from contentapi.settings import Settings
from contentapi.static_assets import versioned_page

UPLOAD_HEADER = "x-contentapi-upload"
PLAYGROUND = Path(__file__).resolve().parents[1] / "static" / "playground.html"
MAX_FILES = 10  # parts of an upload request: operations, map and the files
MAX_FIELDS = 10
ASK_BYTES = f'"{ASK}"'.encode()
MAX_KEPT_OPERATIONS = 50_000  # operation names remembered by kept answer
BATCH = "batch"  # the operation of a request with several
SUBSCRIPTION_LIMIT = "Subscription limit reached"  # Strawberry's message, uncoded


class RequestTimedOut(Exception):
    """The GraphQL work of a request took longer than ``request_timeout_seconds``."""


def _coded_limit(payload: Any) -> Any:
    """Strawberry's "Subscription limit reached" with a code (TOO_MANY_SUBSCRIPTIONS)."""
    errors = payload if isinstance(payload, list) else [payload]
    for error in errors:
        if isinstance(error, dict) and error.get("message") == SUBSCRIPTION_LIMIT:
            error["extensions"] = {"code": ErrorCode.TOO_MANY_SUBSCRIPTIONS.value}
    return payload


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """``graphql-transport-ws`` with a coded subscription limit."""

    async def send_message(self, message: Any) -> None:
        if message.get("type") == "error":
            message["payload"] = _coded_limit(message.get("payload"))
        await super().send_message(message)


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """The older ``graphql-ws`` protocol, with the same coded limit."""

    async def send_message(self, message: Any) -> None:
        if message.get("type") == "error":
            message["payload"] = _coded_limit(message.get("payload"))
        await super().send_message(message)


class GraphQLView(GraphQL[Context, None]):
    """``POST``/``GET``/``WS /graphql``; GraphiQL for browsers; queries only over GET."""

    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            multipart_uploads_enabled=True,
            # the one rule for browsers on other origins, for HTTP (CORS) and websockets
            allowed_origins=settings.cors_origins,
        )
        self.runtime = runtime
        self._kept_operations: dict[str, str] = {}  # kept answer's key -> its operation
        self._kept_generation = -1

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
            code = ErrorCode.NOT_FOUND if exc.status_code == 404 else ErrorCode.BAD_REQUEST
            reason = "GraphiQL is off on this server" if exc.status_code == 404 else exc.reason
            response = http.coded_error(reason, exc.status_code, code, accept)
        except (StarletteHTTPException, MultiPartException) as exc:
            # a multipart body that does not parse, or has too many parts
            message = exc.detail if isinstance(exc, StarletteHTTPException) else exc.message
            response = http.coded_error(message, 400, ErrorCode.BAD_REQUEST, accept)
        except PersistedQueryNotFound:
            # the message is what Apollo Client and urql look for before sending the text
            response = http.coded_error(
                "PersistedQueryNotFound", 200, ErrorCode.PERSISTED_QUERY_NOT_FOUND, accept
            )
        except DomainError as exc:  # a persisted query that is not what it says, a bad token
            response = http.coded_error(exc.message, None, exc.code, accept, exc.extensions)
        except RequestTimedOut:
            seconds = self.runtime.settings.request_timeout_seconds
            response = http.coded_error(
                f"The request took longer than {seconds:g} seconds; its work was cancelled",
                None,
                ErrorCode.TIMEOUT,
                accept,
                {"timeoutSeconds": seconds},
            )
        self._content_language(request, response)
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
        # an answer with its cost is neither kept nor answered from what was kept
        lookup = None if await _asks_cost(request) else await keys.lookup(request, locale, base)
        if lookup is not None and cache.enabled:
            found = cache.find(lookup)
            note_cache(found is not None)
            if found is not None:
                key, entry = found
                request.scope[KEPT] = key  # the fast path answers the next one
                operation = self._kept_operations.get(key) if self._kept_current() else None
                if operation is not None:
                    note_operation(operation)
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
        context = self._context(request)
        if "multipart/form-data" in request.headers.get("content-type", ""):
            await _may_upload(request, context)  # before a byte of the body is read
            # read now, within these limits; Strawberry is then handed the parsed form
            await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
        response = await self.run(request, context=context)
        if not isinstance(response, Response):
            return response
        hints = context.hints
        if len(response.body) > settings.max_response_bytes:
            hints.errors = True
            response = self._too_large(request, len(response.body))
        http.typed(request, response, request_error=hints.errors and not hints.executed)
        status = getattr(request.state, "run_status", None)
        if status is not None:  # nothing answered: rate limited, or no database
            response.status_code, headers = status
            response.headers.update(headers)
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
            content_language=_content_language(hints),  # a kept answer says it too
        )
        if stored is not None:
            request.scope[KEPT] = stored
            self._keep_operation(stored)
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

    def _kept_current(self) -> bool:
        """Whether the operations remembered belong to what the cache keeps now."""
        generation = self.runtime.cache.generation
        if generation != self._kept_generation:
            self._kept_operations.clear()
            self._kept_generation = generation
            return False
        return True

    def _keep_operation(self, key: str) -> None:
        """Remember the operation of an answer just kept (a later hit is counted by it)."""
        info = current_request()
        if info is None or info.operation is None:
            return
        self._kept_current()
        if len(self._kept_operations) >= MAX_KEPT_OPERATIONS:
            self._kept_operations.clear()
        self._kept_operations[key] = info.operation

    def _too_large(self, request: Request, size: int) -> Response:
        """The answer that replaces one over ``max_response_bytes`` (a GraphQL error: 200)."""
        limit = self.runtime.settings.max_response_bytes
        note_error(ErrorCode.RESPONSE_TOO_LARGE.value)
        error = {
            "message": f"The answer would be {size} bytes, more than the {limit} allowed: "
            "ask for less (smaller pages, fewer fields)",
            "extensions": {
                "code": ErrorCode.RESPONSE_TOO_LARGE.value,
                "size": size,
                "maxBytes": limit,
            },
        }
        media = keys.response_type(request.headers.get("accept"))
        return Response(orjson.dumps({"data": None, "errors": [error]}), media_type=media)

    @staticmethod
    def _content_language(request: Request, response: Response) -> None:
        context: Context | None = getattr(request.state, "context", None)
        if context is not None and response.status_code < 300 and "x-cache" not in response.headers:
            language = _content_language(context.hints)
            if language:
                response.headers["Content-Language"] = language

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        settings = self.runtime.settings
        if "authorization" in request.headers and (settings.production or settings.persisted_only):
            await context.principal()  # anonymous or not decides what may run
        items = request_data if isinstance(request_data, list) else [request_data]
        for item in items:
            item.query = self.runtime.persisted.resolve(
                item.query,
                item.extensions,
                known_only=settings.persisted_only and context.anonymous,
            )
            await self._check_length(item.query, context)
            name, count = item.operation_name, 1
            if name is None:
                count, name = _operations(item.query or "", settings)
                if count > 1:
                    raise HTTPException(
                        400, "The document has several operations: give 'operationName'"
                    )
            if len(items) > 1:
                note_operation(BATCH)
            elif count:  # (a document that does not parse has no operation)
                note_operation(operation_name(name))
        # the GraphQL work only: an upload's body has been read by now
        try:
            async with asyncio.timeout(self.runtime.settings.request_timeout_seconds):
                return await super().execute_operation(
                    request, request_adapter, request_data, context, root_value, sub_response
                )
        except TimeoutError:
            # cancelled where it waited; an open transaction rolled back on the way out
            raise RequestTimedOut from None

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        request.state.run_status = http.run_status(result.data, result.errors)
        for error in result.errors or ():
            code = (getattr(error, "extensions", None) or {}).get("code")
            note_error(code if isinstance(code, str) else "other")
        return await super().process_result(request, result)

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
        return self._context(request)

    def _context(self, request: Request | WebSocket) -> Context:
        context = Context.for_request(self.runtime, request)
        request.state.context = context  # its hints decide what may be kept
        return context

    def encode_json(self, data: object) -> str:
        # text, not bytes: websocket messages must be text frames for browsers
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        if request.method == "POST" and "json" in (request.content_type or ""):
            body = self.parse_json(await request.get_body())
            if not isinstance(body, dict | list):
                raise HTTPException(400, "The request body must be a JSON object")
        try:
            data = await super().parse_http_body(request)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
            # a multipart form whose operations or map do not fit together
            raise HTTPException(400, f"Malformed request: {type(exc).__name__}") from None
        return data

    async def _check_length(self, query: str | None, context: Context) -> None:
        """Anonymous query text is at most ``max_query_bytes``, refused before parsing;
        token holders may send up to the body limit, the manifest's queries any length."""
        limit = self.runtime.settings.max_query_bytes
        if query is None or len(query) <= limit:  # characters: at most as many as bytes
            return
        size = len(query.encode())
        if size <= limit or self.runtime.persisted.in_manifest(query):
            return
        if "authorization" in context.request.headers and await context.principal() is not None:
            return
        raise DomainError(
            ErrorCode.QUERY_TOO_COMPLEX,
            f"The query text is {size} bytes, more than the {limit} allowed without a token; "
            "use a persisted query",
            extensions={"size": size, "maxBytes": limit},
        )


async def _may_upload(request: Request, context: Context) -> None:
    """A multipart request needs the upload header and a valid token: checked before its
    body is read, so an anonymous 20 MB upload costs nothing."""
    if UPLOAD_HEADER not in request.headers:
        # a browser cannot send this header cross-site without a CORS preflight, so a
        # forged form post from another site never reaches an upload (CSRF)
        raise HTTPException(
            400, "Uploads need the header 'X-Contentapi-Upload: 1' (see the README)"
        )
    if await context.principal() is None:  # a bad token is UNAUTHENTICATED in there
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Uploads need a token")


async def _asks_cost(request: Request) -> bool:
    """The request's ``extensions`` ask for the cost (``{"cost": true}``)."""
    if request.method == "GET":
        raw = request.query_params.get("extensions", "").encode()
    elif request.headers.get("content-type", "").startswith(keys.JSON):
        raw = await request.body()  # read once; Starlette keeps it for the view
    else:
        return False
    if ASK_BYTES not in raw:  # almost every request: no JSON parsed here
        return False
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    if request.method == "POST":
        data = data.get("extensions") if isinstance(data, dict) else None
    return isinstance(data, dict) and bool(data.get(ASK))


def _content_language(hints: CacheHints) -> str | None:
    """``Content-Language``: the locales the answer was made for (a list when a query
    named several, in the order first used); None when it used none."""
    return ", ".join(hints.locales) or None


def _validators(response: Response) -> dict[str, str]:
    """The headers a 304 repeats."""
    names = ("etag", "cache-control", "vary")
    return {k: v for k, v in response.headers.items() if k in names}


def _operations(query: str, settings: Settings) -> tuple[int, str | None]:
    """How many operations a document defines, and the first one's name; only documents
    short enough for the parser cache are remembered here (a long one is read each time)."""
    if len(query) > settings.max_query_bytes:
        return _operation_count.__wrapped__(query, settings.max_tokens)
    return _operation_count(query, settings.max_tokens)


@lru_cache(maxsize=256)
def _operation_count(query: str, max_tokens: int) -> tuple[int, str | None]:
    """How many operations a document defines (0 when it does not parse: reported later),
    and the name of the first (None: it has none)."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return 0, None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    first = operations[0].name if operations else None
    return len(operations), first.value if first is not None else None
