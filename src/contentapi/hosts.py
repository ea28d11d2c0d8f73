"""Which ``Host`` names are served: absolute URLs never follow an attacker's Host header.

Starlette's ``TrustedHostMiddleware`` answers in plain text; this one answers with a
coded JSON error, and checks websockets too.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

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
    """ASGI middleware: ``400 BAD_REQUEST`` for a Host header that is not served.

    A name may be ``*.example.org`` (any subdomain) or ``*`` (anything: checks off).
    ``exempt`` paths answer any Host: health probes and scrapers address a server by
    its IP, and those answers hold no URL.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str], exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.exempt = frozenset(exempt)
        self.hosts = frozenset(h.lower() for h in hosts)
        self.any = "*" in self.hosts
        self.suffixes = tuple(h[1:] for h in self.hosts if h.startswith("*."))
        self._seen: dict[str, bool] = {}  # Host headers repeat: each is read once

    def allows(self, header: str) -> bool:
        """Whether a Host header names a served host."""
        found = self._seen.get(header)
        if found is None:
            found = self._allows(header)
            if len(self._seen) < MAX_REMEMBERED:
                self._seen[header] = found
        return found

    def _allows(self, header: str) -> bool:
        name = host_name(header)
        if name is None:
            return False
        return name in self.hosts or (bool(self.suffixes) and name.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket") or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        if self.allows(host):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "Unknown host"})
        else:
            await send_error(send, 400, ErrorCode.BAD_REQUEST, "Unknown host")
