"""The typed per-request context: settings, locale, clock and fresh loaders."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import Request
from starlette.websockets import WebSocket

from contentapi.auth.permissions import Action, authorize
from contentapi.auth.principal import principal_from_header
from contentapi.auth.tokens import Principal
from contentapi.comments.services import SaltCache, client_hash
from contentapi.errors import DomainError, ErrorCode
from contentapi.events.hub import EventHub
from contentapi.graphql.loaders import Loaders
from contentapi.i18n import Catalogs, LocaleChain, Locales, UnknownLocale, negotiate, resolve
from contentapi.limits import RateLimiter
from contentapi.media.storage import Storage
from contentapi.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """What every request shares: settings, locales, UI catalogs, clock and events."""

    settings: Settings
    locales: Locales
    catalogs: Catalogs
    clock: Callable[[], datetime]
    events: EventHub
    comment_limiter: RateLimiter
    salt: SaltCache
    storage: Storage


@dataclass
class Context:
    """Built once per request by the view."""

    runtime: Runtime
    request: Request | WebSocket
    negotiated_locale: str
    now: datetime
    loaders: Loaders = field(init=False)
    _principal: Principal | None = field(init=False, default=None)
    _principal_checked: bool = field(init=False, default=False)
    _base_url: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.now)

    @classmethod
    def for_request(cls, runtime: Runtime, request: Request | WebSocket) -> Context:
        """Negotiate the locale from ``Accept-Language`` and make fresh loaders."""
        header = request.headers.get("accept-language")
        return cls(runtime, request, negotiate(header, runtime.locales), runtime.clock())

    def refresh(self) -> None:
        """A new moment and empty loaders (for each event of a long-lived subscription)."""
        self.now = self.runtime.clock()
        self.loaders = Loaders(self.now)

    async def principal(self) -> Principal | None:
        """The caller behind ``Authorization: Bearer``; None when no header is sent.

        A header that is malformed, or names an unknown or revoked token, is
        UNAUTHENTICATED: the caller meant to be someone, and is told it did not work.
        """
        if not self._principal_checked:
            self._principal = await principal_from_header(self.request.headers.get("authorization"))
            self._principal_checked = True
        return self._principal

    async def client_hash(self) -> str:
        """The caller's address as a salted hash (the address itself is never kept)."""
        client = self.request.client
        address = client.host if client else "unknown"
        if ":" in address:  # IPv6: one subscriber holds a whole /64, so count it as one
            with contextlib.suppress(ValueError):
                address = str(ipaddress.ip_network(f"{address}/64", strict=False))
        return client_hash(await self.runtime.salt.get(), address)

    async def authorize(self, action: Action, locale: str | None = None) -> Principal:
        """The principal if it may do ``action``; UNAUTHENTICATED or FORBIDDEN otherwise."""
        return authorize(await self.principal(), action, locale)

    @property
    def settings(self) -> Settings:
        """The app's settings."""
        return self.runtime.settings

    def locale(self, argument: str | None) -> str:
        """The locale for a field: its ``locale`` argument if given, else the negotiated one."""
        if argument is None:
            return self.negotiated_locale
        try:
            return resolve(argument, self.runtime.locales)
        except UnknownLocale as exc:
            raise DomainError(
                ErrorCode.UNKNOWN_LOCALE,
                str(exc),
                field="locale",
                extensions={"supportedLocales": list(exc.supported)},
            ) from None

    def chain(self, locale: str) -> LocaleChain:
        """The fallback chain of a configured locale, itself first."""
        return self.runtime.locales.chain(locale)

    def base_url(self) -> str:
        """Where absolute URLs point: the configured public URL or this request's."""
        if self._base_url is None:  # once per request: every image URL starts with it
            configured = self.settings.public_url
            self._base_url = configured or str(self.request.base_url).rstrip("/")
        return self._base_url
