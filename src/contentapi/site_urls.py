"""The public site's URLs: where a translation is read, from ``CONTENTAPI_PUBLIC_SITE_URL``.

The one rule for ``Article.canonicalUrl`` and ``alternates``, the sitemap, the feeds and
the reader page. The setting is a URL pattern with ``{slug}`` and (when more than one
locale is configured) ``{locale}``: ``https://example.no/{locale}/{slug}``; or a pattern
per locale, ``nb=https://example.no/{slug};nn=https://example.no/nn/{slug}``. Unset, no
URL is made up: canonical URLs are null and the sitemap and the feeds are not served.

This module knows only text: it imports nothing of the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import quote, urlsplit

VARIABLE = "CONTENTAPI_PUBLIC_SITE_URL"
X_DEFAULT = "x-default"  # hreflang for "no language matches" (an alternate, not a locale)
PLACEHOLDERS = frozenset({"locale", "slug"})
MAX_PATTERN_LENGTH = 1000
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Alternate:
    """One language version of a page: ``hreflang`` (a locale, or ``x-default``) and URL."""

    locale: str
    url: str


@dataclass(frozen=True)
class SiteUrls:
    """The URL pattern of each configured locale."""

    patterns: Mapping[str, str]
    default_locale: str

    def url(self, locale: str, slug: str) -> str:
        """The public page of the translation in ``locale`` with ``slug``."""
        return _fill(self.patterns[locale], locale, quote(slug, safe=""))

    def home(self, locale: str) -> str:
        """The locale's section of the site: its pattern up to the last ``/`` before
        ``{slug}`` (``https://example.no/nn/``), the feeds' channel link."""
        pattern = self.patterns[locale]
        before = pattern[: pattern.index("{slug}")]
        return _fill(before[: before.rindex("/") + 1], locale, "")

    def alternates(self, slugs: Mapping[str, str], order: Sequence[str]) -> list[Alternate]:
        """``hreflang`` alternates of an article from its translations (locale -> slug),
        in ``order``; then ``x-default``: the default locale's page, else the first.
        Empty when the article has no translation to show."""
        return hreflang_alternates(slugs, order, self.default_locale, self.url)


def hreflang_alternates(
    slugs: Mapping[str, str],
    order: Sequence[str],
    default_locale: str,
    url: Callable[[str, str], str],
) -> list[Alternate]:
    """One alternate per translation (locale -> slug) in ``order``, its page made by
    ``url(locale, slug)``; then ``x-default``: the default locale's page, else the first.
    Empty when there is no translation. (The reader page uses it with its own URLs.)"""
    found = [Alternate(code, url(code, slugs[code])) for code in order if code in slugs]
    if not found:
        return []
    default = next((a for a in found if a.locale == default_locale), found[0])
    return [*found, Alternate(X_DEFAULT, default.url)]


def parse(text: str, locales: Sequence[str], default_locale: str) -> SiteUrls:
    """Read the setting for the configured ``locales``; ValueError naming the variable
    and what is wrong."""
    text = text.strip()
    if "=" in text.split("://", 1)[0]:
        patterns = _per_locale(text, locales)
    else:
        _check(text, locales[0])
        if len(locales) > 1 and "{locale}" not in text:
            raise ValueError(
                f"{VARIABLE}: with more than one locale the pattern needs {{locale}} "
                f"(e.g. https://example.no/{{locale}}/{{slug}}), or give one per locale: "
                f"nb=https://example.no/{{slug}};nn=https://example.no/nn/{{slug}}"
            )
        patterns = dict.fromkeys(locales, text)
    for locale, pattern in patterns.items():
        _check(pattern, locale)
    filled = [_fill(p, code, "x") for code, p in patterns.items()]
    if len(set(filled)) < len(filled):
        raise ValueError(f"{VARIABLE}: two locales would share the same URLs")
    return SiteUrls(MappingProxyType(patterns), default_locale)


def _per_locale(text: str, locales: Sequence[str]) -> dict[str, str]:
    patterns: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        locale, sep, pattern = part.partition("=")
        locale = locale.strip()
        if not sep or not locale:
            raise ValueError(f"{VARIABLE}: cannot read {part!r}; write 'nb=https://...{{slug}}'")
        if locale not in locales:
            raise ValueError(f"{VARIABLE}: {locale!r} is not one of the configured locales")
        patterns[locale] = pattern.strip()
    missing = [code for code in locales if code not in patterns]
    if missing:
        raise ValueError(f"{VARIABLE}: no pattern for {', '.join(missing)}")
    return {code: patterns[code] for code in locales}


def _check(pattern: str, locale: str) -> None:
    where = f"{VARIABLE} ({locale})"
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"{where}: over {MAX_PATTERN_LENGTH} characters")
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted(set(names) - PLACEHOLDERS)
    if unknown:
        raise ValueError(
            f"{where}: unknown placeholder {{{unknown[0]}}}; use {{locale}} and {{slug}}"
        )
    if names.count("slug") != 1:
        raise ValueError(f"{where}: {pattern!r} needs {{slug}} exactly once")
    parts = urlsplit(_fill(pattern, locale, "x"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{where}: {pattern!r} is not an http(s) URL")
    if "{slug}" in pattern.split("://", 1)[1].split("/", 1)[0]:
        raise ValueError(f"{where}: {{slug}} belongs in the path, not the host")
    if any(c.isspace() for c in pattern) or "#" in pattern:
        raise ValueError(f"{where}: {pattern!r} has spaces or a '#'")


def _fill(pattern: str, locale: str, slug: str) -> str:
    return pattern.replace("{locale}", locale).replace("{slug}", slug)
