"""Which ``Host`` names are served: absolute URLs never follow an attacker's Host header.

The edge (``edge.py``) asks :class:`TrustedHosts` before anything else runs and refuses
others with a coded JSON ``400`` (Starlette's ``TrustedHostMiddleware`` answers in plain
text), websockets too.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import Send

from contentapi.errors import ErrorCode
from contentapi.http_errors import send_error

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MAX_REMEMBERED = 1024  # distinct Host headers whose verdict is kept (a flood is not)
# "name", "name:port", "[v6]", "[v6]:port"
_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]*))(?::\d*)?")


def allowed_hosts(allowed: Iterable[str], public_url: str | None) -> tuple[str, ...]:
    """The names served: ``allowed`` if given, else ``public_url``'s host; always loopback."""
    names = list(allowed)
    if not names and public_url:
        host = urlsplit(public_url).hostname
        if host:
            names.append(host)
    return tuple(dict.fromkeys(name.lower() for name in [*names, *LOOPBACK_NAMES]))


def is_loopback(host: str) -> bool:
    """Whether a bind address (or host name) is only reachable from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str | None:
    """The name in a ``Host`` header, lower case and without the port (None: malformed)."""
    match = _HOST.fullmatch(header.strip())
    if match is None:
        return None
    name = match["v6"] or match["name"]
    return name.lower() if name else None


class TrustedHosts:
    """The Host names served.

    A name may be ``*.example.org`` (any subdomain) or ``*`` (anything: checks off).
    ``exempt`` paths answer any Host: health probes and scrapers address a server by
    its IP, and those answers hold no URL.
    """

    def __init__(self, hosts: Iterable[str], exempt: Iterable[str] = ()) -> None:
        self.exempt = frozenset(exempt)
        self.hosts = frozenset(h.lower() for h in hosts)
        self.any = "*" in self.hosts
        self.suffixes = tuple(h[1:] for h in self.hosts if h.startswith("*."))
        self._seen: dict[bytes, bool] = {}  # Host headers repeat: each is read once

    def admits(self, path: str, header: bytes | None) -> bool:
        """Whether a request for ``path`` with this Host header (None: none) is served."""
        if self.any or path in self.exempt:
            return True
        header = header or b""
        found = self._seen.get(header)
        if found is None:
            found = self.allows(header.decode("latin-1"))
            if len(self._seen) < MAX_REMEMBERED:
                self._seen[header] = found
        return found

    def allows(self, header: str) -> bool:
        """Whether a Host header names a served host."""
        name = host_name(header)
        if name is None:
            return False
        return name in self.hosts or (bool(self.suffixes) and name.endswith(self.suffixes))


async def refuse(send: Send) -> None:
    """The ``400`` of a Host that is not served."""
    await send_error(send, 400, ErrorCode.BAD_REQUEST, "Unknown host")
