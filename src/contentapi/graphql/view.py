"""The GraphQL endpoint: Strawberry's ASGI view with our context and orjson."""

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

from contentapi.errors import ErrorCode
from contentapi.graphql.context import Context
from contentapi.graphql.schema import build_schema
from contentapi.runtime import Runtime
from contentapi.static_assets import versioned_page

UPLOAD_HEADER = "x-contentapi-upload"
GET_MAX_AGE = 60  # seconds a CDN may keep an anonymous GET read
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
        try:
            response = await self.run(request)
        except HTTPException as exc:
            # Strawberry answers malformed requests in plain text; give them a code.
            response = Response(
                orjson.dumps(
                    {
                        "errors": [
                            {
                                "message": exc.reason,
                                "extensions": {"code": ErrorCode.BAD_REQUEST.value},
                            }
                        ]
                    }
                ),
                status_code=exc.status_code,
                media_type="application/json",
            )
        _cache_headers(request, response)
        try:
            await response(scope, receive, send)
        finally:
            await request.close()  # uploaded files' temporary files, whatever happened

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(versioned_page(PLAYGROUND))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context.for_request(self.runtime, request)

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
            max_tokens = self.runtime.settings.max_tokens
            if item.operation_name is None and _operation_count(item.query or "", max_tokens) > 1:
                raise HTTPException(
                    400, "The document has several operations: give 'operationName'"
                )
        return data


def _cache_headers(request: Request, response: Response) -> None:
    """Answers depend on the language and the token; anonymous GET reads may be cached."""
    response.headers["Vary"] = "Accept-Language, Authorization"
    if "authorization" in request.headers:
        response.headers["Cache-Control"] = "private, no-store"
    elif request.method == "GET" and response.status_code == 200:
        response.headers.setdefault("Cache-Control", f"public, max-age={GET_MAX_AGE}")
    else:
        response.headers.setdefault("Cache-Control", "no-store")


@lru_cache(maxsize=256)
def _operation_count(query: str, max_tokens: int) -> int:
    """How many operations a document defines (0 when it does not parse: reported later)."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return 0
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
