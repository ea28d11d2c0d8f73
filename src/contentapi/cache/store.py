"""A bounded in-memory store of serialized GraphQL answers.

Entries are the exact response bytes of an anonymous query, with their ETag and the
moment they stop being true. The store never holds more than ``max_bytes`` (bodies,
compressed variants and keys, with a fixed allowance per entry): the least recently used
entries go first, so a flood of distinct queries cannot grow it. :meth:`invalidate`
empties it; an answer computed before an invalidation is refused afterwards.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from contentapi.compression import ENCODERS

ENTRY_OVERHEAD = 400  # bytes for the entry object, its dict slot and headers


def strong_etag(body: bytes) -> str:
    """A strong ETag of the exact bytes."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@dataclass(slots=True)
class Entry:
    """One cached answer."""

    body: bytes
    etag: str
    content_type: str
    negotiated: bool  # the answer depends on Accept-Language
    expires_at: datetime
    # False until the next scheduled publication is known (it may come before expires_at)
    settled: bool = True
    content_language: str | None = None  # the Content-Language header it was sent with
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """What the entry costs in the store."""
        return ENTRY_OVERHEAD + len(self.body) + sum(len(b) for b in self.encoded.values())


@dataclass
class Stats:
    """Counters since the start, for ``/metrics``."""

    hits: int = 0
    misses: int = 0
    stores: int = 0
    invalidations: int = 0
    evictions: int = 0


class ResponseStore:
    """The LRU store; one per process."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.generation = 0  # moves on every invalidation
        self.stats = Stats()
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """False when configured with no room (CONTENTAPI_CACHE_MAX_BYTES=0)."""
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, now: datetime) -> Entry | None:
        """The live entry for ``key``, if any (an expired one is dropped)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry, generation: int) -> bool:
        """Keep ``entry`` unless the store was invalidated since ``generation`` (the answer
        may predate a change) or it alone is larger than the store."""
        if not self.enabled or generation != self.generation:
            return False
        cost = entry.size + len(key)
        if cost > self.max_bytes:
            return False
        if key in self._entries:
            self._drop(key)
        self._entries[key] = entry
        self.bytes += cost
        self.stats.stores += 1
        self._shrink()
        return True

    def encoded(self, key: str, entry: Entry, encoding: str) -> bytes:
        """The body compressed with ``encoding`` (made once, then kept with the entry)."""
        found = entry.encoded.get(encoding)
        if found is None:
            found = ENCODERS[encoding]().compress(entry.body, final=True)
            if self._entries.get(key) is entry:
                entry.encoded[encoding] = found
                self.bytes += len(found)
                self._shrink()
        return found

    def settle(self, moment: datetime | None) -> None:
        """Nothing kept is true after ``moment`` (None: no limit); every entry is settled."""
        for entry in self._entries.values():
            if moment is not None and moment < entry.expires_at:
                entry.expires_at = moment
            entry.settled = True

    def invalidate(self) -> None:
        """Forget everything: content changed somewhere."""
        self._entries.clear()
        self.bytes = 0
        self.generation += 1
        self.stats.invalidations += 1

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key)
        self.bytes -= entry.size + len(key)

    def _shrink(self) -> None:
        while self.bytes > self.max_bytes and self._entries:
            key = next(iter(self._entries))
            self._drop(key)
            self.stats.evictions += 1
