"""Automatic persisted queries: documents known by their SHA-256, as Apollo Client and
urql send them (the ``persistedQuery`` extension, version 1)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from contentapi.cache.keys import document_id, persisted_hash
from contentapi.errors import DomainError, ErrorCode

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

    def __len__(self) -> int:
        return len(self._documents)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query to run: the text given (kept under its hash, once checked), or the
        text the hash names. PersistedQueryNotFound for an unknown hash alone; BAD_REQUEST
        for a hash that does not match the text or a version other than 1."""
        wanted = persisted_hash(extensions)
        if wanted is None:
            if extensions and "persistedQuery" in extensions:
                raise DomainError(ErrorCode.BAD_REQUEST, "persistedQuery needs a sha256Hash")
            return query
        wanted = wanted.lower()
        version = (extensions or {})["persistedQuery"].get("version")
        if version != 1:
            raise DomainError(ErrorCode.BAD_REQUEST, "Only persistedQuery version 1 is known")
        if query is None:
            found = self._documents.get(wanted)
            if found is None:
                raise PersistedQueryNotFound(wanted)
            self._documents.move_to_end(wanted)
            return found
        if document_id(query) != wanted:
            raise DomainError(
                ErrorCode.BAD_REQUEST, "provided sha does not match query", field="sha256Hash"
            )
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
