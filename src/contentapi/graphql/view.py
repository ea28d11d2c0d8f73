"""The GraphQL endpoint: Strawberry's ASGI view with our context and orjson."""

from __future__ import annotations

from pathlib import Path

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from contentapi.errors import ErrorCode
from contentapi.graphql.context import Context, Runtime
from contentapi.graphql.schema import build_schema

PLAYGROUND = Path(__file__).resolve().parents[1] / "static" / "playground.html"


class GraphQLView(GraphQL[Context, None]):
    """``POST``/``GET``/``WS /graphql``; GraphiQL for browsers; queries only over GET."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(build_schema(runtime.settings), graphql_ide="graphiql")
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
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
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(PLAYGROUND.read_text(encoding="utf-8"))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context.for_request(self.runtime, request)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)
