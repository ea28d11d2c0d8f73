"""What an anonymous answer depends on, read from the request without parsing GraphQL.

The document (its SHA-256, the same as a persisted query's hash), the operation name,
the variables, the negotiated response type, the base URL when absolute URLs come from
the request, and (in a second key) the locale negotiated from ``Accept-Language``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

GRAPHQL_RESPONSE = "application/graphql-response+json"  # GraphQL over HTTP
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Lookup:
    """The two keys of one request: for answers that do not depend on the reader's
    language, and for those that do."""

    common: str
    localized: str


def response_type(accept: str | None) -> str:
    """``application/graphql-response+json`` when the client accepts it, else JSON."""
    for part in (accept or "").split(","):
        media, _, params = part.partition(";")
        if media.strip().lower() == GRAPHQL_RESPONSE:
            quality = params.replace(" ", "").lower()
            if "q=0" in quality and "q=0." not in quality:
                return JSON  # q=0: explicitly not acceptable
            return GRAPHQL_RESPONSE
    return JSON


def document_id(query: str) -> str:
    """A document's SHA-256 in hex (what Apollo's persisted queries send)."""
    return hashlib.sha256(query.encode()).hexdigest()


def persisted_hash(extensions: Any) -> str | None:
    """The ``persistedQuery.sha256Hash`` of a request's extensions, if it names one."""
    if isinstance(extensions, dict):
        persisted = extensions.get("persistedQuery")
        if isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str):
            return str(persisted["sha256Hash"])
    return None


async def lookup(request: Request, locale: str, base_url: str | None) -> Lookup | None:
    """The keys of an anonymous single-operation GET or JSON POST; None for anything the
    cache never answers (a token, a batch, an upload, a body that is not JSON)."""
    if "authorization" in request.headers:
        return None
    try:
        if request.method == "GET":
            params = request.query_params
            query, name = params.get("query"), params.get("operationName")
            variables = orjson.loads(params["variables"]) if "variables" in params else None
            extensions = orjson.loads(params["extensions"]) if "extensions" in params else None
        elif request.method == "POST" and request.headers.get("content-type", "").startswith(JSON):
            data = orjson.loads(await request.body())
            if not isinstance(data, dict):
                return None  # a batch, or nonsense: Strawberry answers it
            query, name = data.get("query"), data.get("operationName")
            variables, extensions = data.get("variables"), data.get("extensions")
        else:
            return None
    except orjson.JSONDecodeError:
        return None
    named = persisted_hash(extensions)
    document = document_id(query) if isinstance(query, str) else named
    if document is None or (named is not None and named.lower() != document):
        return None  # no document, or a hash that is not the text's: refused on the way
    document = document.lower()
    parts = [document, name, variables, response_type(request.headers.get("accept")), base_url]
    try:
        common = hashlib.blake2b(
            orjson.dumps(parts, option=orjson.OPT_SORT_KEYS), digest_size=20
        ).hexdigest()
    except TypeError:
        return None
    return Lookup(common, f"{common}:{locale}")
