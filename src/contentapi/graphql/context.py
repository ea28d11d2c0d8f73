"""The typed per-request context: the caller, the locale, the moment and fresh loaders.

What requests share is the :class:`~contentapi.runtime.Runtime`; this holds only what
belongs to one request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import Request
from starlette.websockets import WebSocket

from contentapi.auth.permissions import Action, authorize
from contentapi.auth.principal import principal_from_header
from contentapi.auth.tokens import Principal
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.arguments import check
from contentapi.graphql.loaders import Loaders
from contentapi.i18n import LocaleChain, UnknownLocale, negotiate, resolve
from contentapi.runtime import Runtime
from contentapi.settings import Settings


@dataclass
class CacheHints:
    """What the answer turned out to depend on, for the response cache and HTTP headers."""

    negotiated: bool = False  # a locale was taken from Accept-Language
    valid_until: datetime | None = None  # a relative date in it reads differently then
    operation: str | None = None  # "query", "mutation" or "subscription", once known
    executed: bool = False  # it got past parsing and validation
    errors: bool = False
    # the locales the answer was made for, in the order first used (Content-Language)
    locales: dict[str, None] = field(default_factory=dict)

    def expires_by(self, moment: datetime) -> None:
        """Something in the answer stops being true at ``moment``."""
        if self.valid_until is None or moment < self.valid_until:
            self.valid_until = moment


@dataclass
class Context:
    """Built once per request by the view."""

    runtime: Runtime
    request: Request | WebSocket
    accept_language_locale: str  # what Accept-Language negotiated (see negotiated_locale)
    now: datetime
    hints: CacheHints = field(init=False, default_factory=CacheHints)
    loaders: Loaders = field(init=False)
    _principal: Principal | None = field(init=False, default=None)
    _principal_checked: bool = field(init=False, default=False)
    _base_url: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.now)

    @classmethod
    def for_request(cls, runtime: Runtime, request: Request | WebSocket) -> Context:
        """Negotiate the locale from ``Accept-Language`` and make fresh loaders."""
        locale = getattr(request.state, "locale", None)  # the view negotiated it already
        if locale is None:
            locale = negotiate(request.headers.get("accept-language"), runtime.locales)
        return cls(runtime, request, locale, runtime.clock())

    @property
    def negotiated_locale(self) -> str:
        """The locale negotiated from ``Accept-Language`` (the answer then varies by it)."""
        self.hints.negotiated = True
        self.hints.locales[self.accept_language_locale] = None
        return self.accept_language_locale

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

    @property
    def anonymous(self) -> bool:
        """No valid token has been seen (yet: the view checks one first where it matters)."""
        return self._principal is None

    async def client_key(self) -> str:
        """The caller as a salted hash (the address itself is never kept)."""
        client = self.request.client
        return await self.runtime.clients.key(client.host if client else None)

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
        check(argument, "locale", "locale")  # over-long or odd text: coded, never echoed
        try:
            code = resolve(argument, self.runtime.locales)
        except UnknownLocale as exc:
            raise DomainError(
                ErrorCode.UNKNOWN_LOCALE,
                str(exc),
                field="locale",
                extensions={"supportedLocales": list(exc.supported)},
            ) from None
        self.hints.locales[code] = None
        return code

    def chain(self, locale: str) -> LocaleChain:
        """The fallback chain of a configured locale, itself first."""
        return self.runtime.locales.chain(locale)

    def base_url(self) -> str:
        """Where absolute URLs point: the configured public URL or this request's."""
        if self._base_url is None:  # once per request: every image URL starts with it
            configured = self.settings.public_url
            self._base_url = configured or str(self.request.base_url).rstrip("/")
        return self._base_url
