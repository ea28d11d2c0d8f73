"""Persisted queries: documents known by their SHA-256, as Apollo Client and urql send
them (the ``persistedQuery`` extension, version 1).

Two kinds: those clients register by sending hash and text (automatic persisted queries,
kept while there is room), and those of an Apollo persisted-query manifest
(``CONTENTAPI_PERSISTED_QUERIES_FILE``, read at start, kept for good). With
``CONTENTAPI_PERSISTED_ONLY`` anonymous callers may run only the manifest's.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

from contentapi.cache.keys import document_id, persisted_hash
from contentapi.errors import ConfigError, DomainError, ErrorCode

MAX_DOCUMENTS = 10_000
MAX_BYTES = 16 * 1024 * 1024


class PersistedQueryNotFound(Exception):
    """The hash names no document this process knows: the client sends the text next."""


class PersistedQueries:
    """Documents by hash, least recently used first out, bounded in count and bytes."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_BYTES) -> None:
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        self.bytes = 0
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._manifest: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._documents) + len(self._manifest)

    def load_manifest(self, path: Path) -> None:
        """Add the operations of an Apollo persisted-query manifest, for good
        (``{"format": "apollo-persisted-query-manifest", "version": 1, "operations":
        [{"id": "<sha256 of body>", "body": "...", ...}]}``). ConfigError when the file is
        not one, or an id is not its body's SHA-256."""
        where = f"CONTENTAPI_PERSISTED_QUERIES_FILE {path}"
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if (
            not isinstance(data, dict)
            or data.get("format") != "apollo-persisted-query-manifest"
            or data.get("version") != 1
            or not isinstance(data.get("operations"), list)
        ):
            raise ConfigError(f"{where}: not an apollo-persisted-query-manifest, version 1")
        try:
            operations = [(str(op["id"]).lower(), op["body"]) for op in data["operations"]]
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{where}: an operation without id or body ({exc})") from None
        for key, body in operations:
            if not isinstance(body, str) or document_id(body) != key:
                raise ConfigError(
                    f"CONTENTAPI_PERSISTED_QUERIES_FILE {path}: operation {key[:16]}... "
                    "has an id that is not the SHA-256 of its body"
                )
            self._manifest[key] = body

    def in_manifest(self, query: str) -> bool:
        """The text is one of the manifest's operations."""
        return bool(self._manifest) and document_id(query) in self._manifest

    def resolve(
        self, query: str | None, extensions: dict[str, Any] | None, *, known_only: bool = False
    ) -> str | None:
        """The query to run: the text given (kept under its hash, once checked), or the
        text the hash names. PersistedQueryNotFound for an unknown hash alone; BAD_REQUEST
        for a hash that does not match the text or a version other than 1.

        ``known_only`` (persisted-only mode, anonymous callers): only the manifest's
        operations, by hash or by the same text; anything else is PERSISTED_QUERY_REQUIRED
        and nothing is kept."""
        wanted = persisted_hash(extensions)
        if wanted is None:
            if extensions and "persistedQuery" in extensions:
                raise DomainError(ErrorCode.BAD_REQUEST, "persistedQuery needs a sha256Hash")
            if known_only and query is not None and not self.in_manifest(query):
                raise _required()
            return query
        wanted = wanted.lower()
        version = (extensions or {})["persistedQuery"].get("version")
        if version != 1:
            raise DomainError(ErrorCode.BAD_REQUEST, "Only persistedQuery version 1 is known")
        if query is not None and document_id(query) != wanted:
            raise DomainError(
                ErrorCode.BAD_REQUEST, "provided sha does not match query", field="sha256Hash"
            )
        known = self._manifest.get(wanted)
        if known is not None:
            return known
        if known_only:
            raise _required()
        if query is None:
            found = self._documents.get(wanted)
            if found is None:
                raise PersistedQueryNotFound(wanted)
            self._documents.move_to_end(wanted)
            return found
        self._keep(wanted, query)
        return query

    def _keep(self, key: str, query: str) -> None:
        if key in self._documents:
            self._documents.move_to_end(key)
            return
        if len(query) > self.max_bytes:
            return
        self._documents[key] = query
        self.bytes += len(query)
        while len(self._documents) > self.max_documents or self.bytes > self.max_bytes:
            _, dropped = self._documents.popitem(last=False)
            self.bytes -= len(dropped)


def _required() -> DomainError:
    return DomainError(
        ErrorCode.PERSISTED_QUERY_REQUIRED,
        "This server runs only its persisted queries for callers without a token",
    )
