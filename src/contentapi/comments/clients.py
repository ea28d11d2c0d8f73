"""Who posts, without keeping who: client addresses as salted hashes.

The hash is what the rate limit counts and the duplicate check compares; the address
itself is never stored. An IPv6 subscriber holds a whole /64, so it counts as one client.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import secrets
from functools import lru_cache

from tortoise.exceptions import IntegrityError

from contentapi.comments.models import AppSecret


async def client_salt() -> str:
    """The salt for client hashes, made on first use and shared by every process."""
    row = await AppSecret.get_or_none(key="client_salt")
    if row is None:
        try:
            row = await AppSecret.create(key="client_salt", value=secrets.token_hex(32))
        except IntegrityError:  # another process made it first
            row = await AppSecret.get(key="client_salt")
    return row.value


def client_hash(salt: str, address: str) -> str:
    """What is stored instead of a client's address."""
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()


@lru_cache(maxsize=4096)  # addresses repeat; parsing one is most of a key's cost
def client_network(address: str) -> str:
    """The address as one client: IPv6 folded to its /64, anything else as it is."""
    if ":" in address:
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


class ClientKeys:
    """Client hashes for one process (the salt is read once)."""

    def __init__(self) -> None:
        self._salt: str | None = None

    async def key(self, address: str | None) -> str:
        """The stored key of the client at ``address`` (None when the server cannot tell)."""
        if self._salt is None:
            self._salt = await client_salt()
        return client_hash(self._salt, client_network(address or "unknown"))
