"""Settings, read once from ``CONTENTAPI_*`` environment variables and passed in."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse as parse_rate
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from contentapi.errors import ConfigError
from contentapi.i18n.locales import Locales
from contentapi.site_urls import SiteUrls
from contentapi.site_urls import parse as parse_site_urls

ENV_PREFIX = "CONTENTAPI_"  # a field's variable is this and its name in upper case
DEFAULT_DATABASE_URL = "sqlite://data/contentapi.sqlite3"
DEFAULT_FALLBACKS: Mapping[str, tuple[str, ...]] = MappingProxyType({"nb": ("nn",), "nn": ("nb",)})
MAX_URL_LENGTH = 1000  # the webhook_delivery.url column

_POSITIVE_INTS = (
    "max_query_depth",
    "max_aliases",
    "max_tokens",
    "max_body_bytes",
    "upload_max_bytes",
    "max_image_pixels",
    "webhook_max_attempts",
    "max_query_cost",
    "max_response_bytes",
    "max_query_bytes",
    "keep_alive_seconds",
    "max_connections",
)
_COUNTS = ("cache_max_bytes", "cache_max_age", "cache_stale_while_revalidate")  # 0 allowed
_POSITIVE_FLOATS = (
    "webhook_retry_seconds",
    "worker_interval_seconds",
    "language_minimum_share",
    "request_timeout_seconds",
    "read_timeout_seconds",
)
_FLAGS = ("debug", "rate_limit_loopback", "persisted_only", "require_existing_db")
_TRUE = {"1", "true", "yes"}

# the variables Settings.from_env reads, while it builds one instance
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("contentapi_environ", default=None)


def default_locale_dir() -> Path:
    """``locales/`` of the checkout, or the copy a wheel install puts under ``share/``."""
    checkout = Path(__file__).resolve().parents[2] / "locales"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "contentapi" / "locales"


class Settings(BaseSettings):
    """Everything the app needs to know about its environment.

    Build it with :meth:`from_env` in production and directly in tests: ``Settings(...)``
    validates its keywords and reads no environment variable. Every problem found is
    reported at once, in one :class:`~contentapi.errors.ConfigError`.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    locales: tuple[str, ...] = ("nb", "nn")
    default_locale: str = "nb"
    # locale -> the locales to try after it, in order
    fallbacks: Mapping[str, tuple[str, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_FALLBACKS)
    )
    locale_dir: Path = Field(default_factory=default_locale_dir)
    media_dir: Path = Path("data/media")
    public_url: str | None = None
    # the public site's page of a translation: https://example.no/{locale}/{slug}, or
    # nb=https://example.no/{slug};nn=https://example.no/nn/{slug} (see site_urls.py)
    public_site_url: str | None = None
    time_zone: str = "Europe/Oslo"
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 5000
    max_body_bytes: int = 1_000_000  # a request body over this is refused unread
    upload_max_bytes: int = 20_000_000  # an uploaded file over this is FILE_TOO_LARGE
    max_image_pixels: int = 60_000_000  # decompression bombs stop here (12 MP is 12,000,000)
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
    webhook_max_attempts: int = 8
    webhook_retry_seconds: float = 2.0  # first retry after this, then doubling
    worker_interval_seconds: float = 1.0  # scheduled publishing and webhook rounds
    comment_rate_limit: str = "5/minute"  # per client; a "limits" rate string
    language_minimum_share: float = 0.25  # the Language Act's share for each standard
    redis_url: str | None = None  # events (and rate limits) shared across processes
    cache_max_bytes: int = 64 * 1024 * 1024  # the response cache's bound; 0 turns it off
    cache_max_age: int = 10  # seconds a CDN or browser may keep an anonymous GET answer
    cache_stale_while_revalidate: int = 30  # and serve it while it fetches a new one
    # hardening (issue 12): limits on what one request may cost
    max_query_cost: int = 1000  # connections cost their page size times their children
    max_response_bytes: int = 5_000_000  # a second line behind the cost limit
    max_query_bytes: int = 16_384  # query text from anonymous callers; tokens: max_body_bytes
    request_timeout_seconds: float = 10.0  # the work is cancelled; TIMEOUT
    read_timeout_seconds: float = 10.0  # headers, and each part of a body (slowloris)
    keep_alive_seconds: int = 5  # an idle connection is closed after this
    max_connections: int = 1000  # uvicorn's limit_concurrency: 503 beyond it
    read_rate_limit: str | None = "600/minute"  # requests per client; empty turns it off
    rate_limit_loopback: bool = False  # limit loopback clients too (off for tests, benches)
    cors_origins: tuple[str, ...] = ("*",)  # browser origins; "*" for anonymous reads
    allowed_hosts: tuple[str, ...] = ()  # Host names served; default: PUBLIC_URL's, loopback
    env: Literal["development", "production"] = "development"
    graphiql: bool | None = None  # None: on in development, off in production
    persisted_queries_file: Path | None = None  # an Apollo persisted-query manifest
    persisted_only: bool = False  # anonymous callers may send only the manifest's queries
    require_existing_db: bool = False  # refuse to start on a missing or empty database
    log_format: Literal["text", "json"] = "text"  # json: one JSON object a line
    access_log: bool = True  # one record per request (about 18 µs of CPU each)
    # proxies whose X-Forwarded-* are believed; uvicorn's default, a proxy on this machine
    forwarded_allow_ips: tuple[str, ...] = ("127.0.0.1",)
    debug: bool = False

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``CONTENTAPI_*`` variables; unset ones keep their defaults."""
        with _reading(os.environ if environ is None else environ):
            return cls()

    def with_changes(self, **changes: Any) -> Self:
        """A copy with ``changes``, checked as ``Settings(...)`` is (``model_copy`` is not)."""
        return type(self)(**{**dict(self), **changes})

    def make_locales(self) -> Locales:
        """The configured locales and their fallback chains (checked against CLDR)."""
        return Locales(self.locales, self.default_locale, self.fallbacks)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The keywords; inside :meth:`from_env` also its variables (no .env, no secrets dir)."""
        environ = _ENVIRON.get()
        if environ is None:
            return (init_settings,)
        return init_settings, _EnvironSource(settings_cls, environ)

    # Variables arrive as text: the "before" validators read text, other values pass on.

    @field_validator(
        "locales",
        "webhook_urls",
        "cors_origins",
        "allowed_hosts",
        "forwarded_allow_ips",
        mode="before",
    )
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split(value) if isinstance(value, str) else value

    @field_validator("default_locale", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("fallbacks", mode="before")
    @classmethod
    def _fallback_text(cls, value: object) -> object:
        return _read_fallbacks(value) if isinstance(value, str) else value

    @field_validator("public_site_url", mode="before")
    @classmethod
    def _stripped_or_none(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("public_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        return (value.rstrip("/") or None) if isinstance(value, str) else value

    @field_validator("redis_url", "read_rate_limit", "persisted_queries_file", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return (value or None) if isinstance(value, str) else value

    @field_validator(*_FLAGS, mode="before")
    @classmethod
    def _flag(cls, value: object) -> object:
        return value.lower() in _TRUE if isinstance(value, str) else value

    @field_validator("graphiql", mode="before")
    @classmethod
    def _optional_flag(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.lower() in _TRUE if value.strip() else None

    @field_validator(*_POSITIVE_INTS, *_COUNTS, mode="before")
    @classmethod
    def _whole_number(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{_variable(info)}: {value!r} is not a whole number") from None

    @field_validator(*_POSITIVE_FLOATS, mode="before")
    @classmethod
    def _number(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{_variable(info)}: {value!r} is not a number") from None

    # The checks. A field's validator sees the fields above it that were valid
    # (``info.data``), so one bad setting does not drag the ones built on it along.

    @field_validator(*_POSITIVE_INTS, *_POSITIVE_FLOATS)
    @classmethod
    def _above_zero(cls, value: float, info: ValidationInfo) -> float:
        if value <= 0:
            raise ValueError(f"{_variable(info)}: must be above 0")
        return value

    @field_validator(*_COUNTS)
    @classmethod
    def _not_negative(cls, value: int, info: ValidationInfo) -> int:
        if value < 0:
            raise ValueError(f"{_variable(info)}: must be 0 or more")
        return value

    @field_validator("locales")
    @classmethod
    def _some_locale(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("CONTENTAPI_LOCALES: at least one locale is needed")
        return value

    @field_validator("default_locale")
    @classmethod
    def _configured_default(cls, value: str, info: ValidationInfo) -> str:
        locales = info.data.get("locales")
        if locales is not None and value not in locales:
            raise ValueError(
                f"CONTENTAPI_DEFAULT_LOCALE={value!r} is not one of "
                f"CONTENTAPI_LOCALES={','.join(locales)}"
            )
        return value

    @field_validator("fallbacks")
    @classmethod
    def _configured_fallbacks(
        cls, value: Mapping[str, tuple[str, ...]], info: ValidationInfo
    ) -> Mapping[str, tuple[str, ...]]:
        locales = info.data.get("locales")
        if locales is None:
            return value
        named = [code for locale, chain in value.items() for code in (locale, *chain)]
        unknown = [code for code in dict.fromkeys(named) if code not in locales]
        if unknown:
            raise ValueError(
                f"CONTENTAPI_FALLBACKS names locales that are not configured: {', '.join(unknown)}"
            )
        return value

    @field_validator("public_site_url")
    @classmethod
    def _site_url_pattern(cls, value: str | None, info: ValidationInfo) -> str | None:
        locales, default = info.data.get("locales"), info.data.get("default_locale")
        if value is not None and locales is not None and default is not None:
            parse_site_urls(value, locales, default)  # ValueError names the variable
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"CONTENTAPI_TIME_ZONE: unknown time zone {value!r}") from None
        return value

    @field_validator("webhook_urls")
    @classmethod
    def _http_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        problems = []
        for url in value:
            if len(url) > MAX_URL_LENGTH:
                problems.append(
                    f"CONTENTAPI_WEBHOOK_URLS: a URL is over {MAX_URL_LENGTH} characters"
                )
            elif not url.startswith(("http://", "https://")):
                problems.append(f"CONTENTAPI_WEBHOOK_URLS: {url!r} is not an http(s) URL")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_with_urls(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("webhook_urls") and not value:
            raise ValueError("CONTENTAPI_WEBHOOK_SECRET is needed to sign webhooks")
        return value

    @field_validator("comment_rate_limit", "read_rate_limit")
    @classmethod
    def _rate(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        try:
            parse_rate(value)
        except ValueError:
            raise ValueError(
                f"{_variable(info)}: {value!r} is not a rate such as '5/minute'"
            ) from None
        return value

    @field_validator("persisted_queries_file")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"CONTENTAPI_PERSISTED_QUERIES_FILE: no file at {value}")
        return value

    def make_site_urls(self) -> SiteUrls | None:
        """The public site's URL rule, or None when ``CONTENTAPI_PUBLIC_SITE_URL`` is unset."""
        if self.public_site_url is None:
            return None
        return parse_site_urls(self.public_site_url, self.locales, self.default_locale)

    @property
    def production(self) -> bool:
        """``CONTENTAPI_ENV=production``: introspection and suggestions need a token."""
        return self.env == "production"

    @property
    def graphiql_enabled(self) -> bool:
        """GraphiQL's page: as set, else on in development and off in production."""
        return (not self.production) if self.graphiql is None else self.graphiql


class _EnvironSource(PydanticBaseSettingsSource):
    """The ``CONTENTAPI_*`` variables of one mapping, as text (the fields' validators read it).

    Names are matched exactly (``CONTENTAPI_`` + the field name in upper case), and no
    JSON is decoded: lists are comma-separated, fallbacks are ``nb:nn;nn:nb``.
    """

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.environ.get(_env_name(field_name)), field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, name)
            if value is not None:
                values[key] = value
        if "locales" in values and "fallbacks" not in values:
            # the default chains stay where every locale they name is configured
            locales = set(_split(values["locales"]))
            values["fallbacks"] = {
                locale: chain
                for locale, chain in DEFAULT_FALLBACKS.items()
                if locale in locales and set(chain) <= locales
            }
        return values


@contextmanager
def _reading(environ: Mapping[str, str]) -> Iterator[None]:
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


def parse_fallbacks(text: str) -> dict[str, tuple[str, ...]]:
    """Parse ``"nn:nb;nb:nn;en:nb,nn"`` into ``{"nn": ("nb",), ...}``."""
    try:
        return _read_fallbacks(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _read_fallbacks(text: str) -> dict[str, tuple[str, ...]]:
    chains: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        locale, sep, rest = part.partition(":")
        if not sep or not locale.strip():
            raise ValueError(f"CONTENTAPI_FALLBACKS: cannot read {part!r}; write 'nn:nb;nb:nn'")
        chains[locale.strip()] = _split(rest)
    return chains


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def _variable(info: ValidationInfo) -> str:
    return _env_name(info.field_name or "")


def _describe(exc: ValidationError) -> str:
    """One message naming every bad setting, by its variable."""
    problems = [_problem(error) for error in exc.errors()]
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} settings are wrong:\n" + "\n".join(f"  {p}" for p in problems)


def _problem(error: ErrorDetails) -> str:
    cause = error.get("ctx", {}).get("error")
    if error["type"] == "value_error" and cause is not None:
        return str(cause)  # our own message, which names the variable
    if not error["loc"]:
        return error["msg"]
    field, *inner = (str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{field!r} is not a setting"
    where = f" (at {'.'.join(inner)})" if inner else ""
    return f"{_env_name(field)}: {error['msg']}{where}"
