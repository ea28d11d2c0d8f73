"""The GraphQL endpoint: Strawberry's ASGI view with our context and orjson."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from contentapi.graphql.context import Context, Runtime
from contentapi.graphql.schema import build_schema


class GraphQLView(GraphQL[Context, None]):
    """``POST``/``GET``/``WS /graphql``; GraphiQL for browsers; queries only over GET."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(build_schema(runtime.settings), graphql_ide="graphiql")
        self.runtime = runtime

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context.for_request(self.runtime, request)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)
