"""Settings, read once from ``CONTENTAPI_*`` environment variables and passed in."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse as parse_rate

from contentapi.errors import ConfigError
from contentapi.i18n.locales import Locales

DEFAULT_DATABASE_URL = "sqlite://data/contentapi.sqlite3"
MAX_URL_LENGTH = 1000  # the webhook_delivery.url column


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its environment.

    Build it with :meth:`from_env` in production and directly in tests.
    """

    database_url: str = DEFAULT_DATABASE_URL
    locales: tuple[str, ...] = ("nb", "nn")
    default_locale: str = "nb"
    # locale -> the locales to try after it, in order
    fallbacks: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"nb": ("nn",), "nn": ("nb",)}
    )
    locale_dir: Path = field(default_factory=lambda: default_locale_dir())
    media_dir: Path = Path("data/media")
    public_url: str | None = None
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
    debug: bool = False

    def __post_init__(self) -> None:
        if not self.locales:
            raise ConfigError("CONTENTAPI_LOCALES: at least one locale is needed")
        if self.default_locale not in self.locales:
            raise ConfigError(
                f"CONTENTAPI_DEFAULT_LOCALE={self.default_locale!r} is not one of "
                f"CONTENTAPI_LOCALES={','.join(self.locales)}"
            )
        for locale, chain in self.fallbacks.items():
            unknown = [code for code in (locale, *chain) if code not in self.locales]
            if unknown:
                raise ConfigError(
                    f"CONTENTAPI_FALLBACKS names locales that are not configured: "
                    f"{', '.join(unknown)}"
                )
        if self.webhook_urls and not self.webhook_secret:
            raise ConfigError("CONTENTAPI_WEBHOOK_SECRET is needed to sign webhooks")
        for url in self.webhook_urls:
            if len(url) > MAX_URL_LENGTH:
                raise ConfigError(
                    f"CONTENTAPI_WEBHOOK_URLS: a URL is over {MAX_URL_LENGTH} characters"
                )
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"CONTENTAPI_WEBHOOK_URLS: {url!r} is not an http(s) URL")
        try:
            parse_rate(self.comment_rate_limit)
        except ValueError:
            raise ConfigError(
                f"CONTENTAPI_COMMENT_RATE_LIMIT: {self.comment_rate_limit!r} is not a rate "
                "such as '5/minute'"
            ) from None
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"CONTENTAPI_TIME_ZONE: unknown time zone {self.time_zone!r}"
            ) from exc

    def make_locales(self) -> Locales:
        """The configured locales and their fallback chains (checked against CLDR)."""
        return Locales(self.locales, self.default_locale, self.fallbacks)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``CONTENTAPI_*`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        base = cls()
        values: dict[str, object] = {}
        if "CONTENTAPI_DATABASE_URL" in env:
            values["database_url"] = env["CONTENTAPI_DATABASE_URL"]
        if "CONTENTAPI_LOCALES" in env:
            values["locales"] = _split(env["CONTENTAPI_LOCALES"])
        if "CONTENTAPI_DEFAULT_LOCALE" in env:
            values["default_locale"] = env["CONTENTAPI_DEFAULT_LOCALE"].strip()
        if "CONTENTAPI_FALLBACKS" in env:
            values["fallbacks"] = parse_fallbacks(env["CONTENTAPI_FALLBACKS"])
        elif "CONTENTAPI_LOCALES" in env:
            locales = _split(env["CONTENTAPI_LOCALES"])
            values["fallbacks"] = {
                k: v for k, v in base.fallbacks.items() if k in locales and set(v) <= set(locales)
            }
        for name, key in (
            ("locale_dir", "CONTENTAPI_LOCALE_DIR"),
            ("media_dir", "CONTENTAPI_MEDIA_DIR"),
        ):
            if key in env:
                values[name] = Path(env[key])
        if "CONTENTAPI_PUBLIC_URL" in env:
            values["public_url"] = env["CONTENTAPI_PUBLIC_URL"].rstrip("/") or None
        if "CONTENTAPI_TIME_ZONE" in env:
            values["time_zone"] = env["CONTENTAPI_TIME_ZONE"]
        if "CONTENTAPI_WEBHOOK_URLS" in env:
            values["webhook_urls"] = _split(env["CONTENTAPI_WEBHOOK_URLS"])
        if "CONTENTAPI_COMMENT_RATE_LIMIT" in env:
            values["comment_rate_limit"] = env["CONTENTAPI_COMMENT_RATE_LIMIT"]
        if env.get("CONTENTAPI_REDIS_URL"):
            values["redis_url"] = env["CONTENTAPI_REDIS_URL"]
        if "CONTENTAPI_WEBHOOK_SECRET" in env:
            values["webhook_secret"] = env["CONTENTAPI_WEBHOOK_SECRET"]
        for name, key in (
            ("max_query_depth", "CONTENTAPI_MAX_QUERY_DEPTH"),
            ("max_aliases", "CONTENTAPI_MAX_ALIASES"),
            ("max_tokens", "CONTENTAPI_MAX_TOKENS"),
            ("max_body_bytes", "CONTENTAPI_MAX_BODY_BYTES"),
            ("upload_max_bytes", "CONTENTAPI_UPLOAD_MAX_BYTES"),
            ("max_image_pixels", "CONTENTAPI_MAX_IMAGE_PIXELS"),
            ("webhook_max_attempts", "CONTENTAPI_WEBHOOK_MAX_ATTEMPTS"),
        ):
            if key in env:
                values[name] = _positive_int(key, env[key])
        for name, key in (
            ("language_minimum_share", "CONTENTAPI_LANGUAGE_MINIMUM_SHARE"),
            ("webhook_retry_seconds", "CONTENTAPI_WEBHOOK_RETRY_SECONDS"),
            ("worker_interval_seconds", "CONTENTAPI_WORKER_INTERVAL_SECONDS"),
        ):
            if key in env:
                values[name] = _positive_float(key, env[key])
        if "CONTENTAPI_DEBUG" in env:
            values["debug"] = env["CONTENTAPI_DEBUG"].lower() in {"1", "true", "yes"}
        return replace(base, **values)  # type: ignore[arg-type]


def default_locale_dir() -> Path:
    """``locales/`` of the checkout, or the copy a wheel install puts under ``share/``."""
    checkout = Path(__file__).resolve().parents[2] / "locales"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "contentapi" / "locales"


def parse_fallbacks(text: str) -> dict[str, tuple[str, ...]]:
    """Parse ``"nn:nb;nb:nn;en:nb,nn"`` into ``{"nn": ("nb",), ...}``."""
    chains: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        locale, sep, rest = part.partition(":")
        if not sep or not locale.strip():
            raise ConfigError(f"CONTENTAPI_FALLBACKS: cannot read {part!r}; write 'nn:nb;nb:nn'")
        chains[locale.strip()] = _split(rest)
    return chains


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _positive_int(key: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{key}: {text!r} is not a whole number") from None
    if value <= 0:
        raise ConfigError(f"{key}: must be above 0")
    return value


def _positive_float(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{key}: {text!r} is not a number") from None
    if value <= 0:
        raise ConfigError(f"{key}: must be above 0")
    return value
