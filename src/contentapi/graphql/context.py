"""The typed per-request context: settings, locale, clock and fresh loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.websockets import WebSocket

from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.loaders import Loaders
from contentapi.i18n import Catalogs, Locales, UnknownLocale, negotiate, resolve
from contentapi.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """What every request shares: settings, configured locales, UI catalogs."""

    settings: Settings
    locales: Locales
    catalogs: Catalogs


@dataclass
class Context:
    """Built once per request by the view."""

    runtime: Runtime
    request: Request | WebSocket
    negotiated_locale: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.now)

    @classmethod
    def for_request(cls, runtime: Runtime, request: Request | WebSocket) -> Context:
        """Negotiate the locale from ``Accept-Language`` and make fresh loaders."""
        header = request.headers.get("accept-language")
        return cls(runtime, request, negotiate(header, runtime.locales))

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

    def chain(self, locale: str) -> tuple[str, ...]:
        """The fallback chain of a configured locale, itself first."""
        return self.runtime.locales.chain(locale)

    def base_url(self) -> str:
        """Where absolute URLs point: the configured public URL or this request's."""
        configured = self.settings.public_url
        return configured or str(self.request.base_url).rstrip("/")
