"""BCP 47 normalising and Accept-Language negotiation against the configured locales."""

from __future__ import annotations

import re

from babel.core import LOCALE_ALIASES

from contentapi.i18n.locales import Locales

# Registered (grandfathered) BCP 47 tags for the two written standards.
_TAG_ALIASES = {"no-bok": "nb", "no-nyn": "nn", "i-bok": "nb", "i-nyn": "nn"}
# ISO 639-2/3 codes and macrolanguages that Babel's alias table does not cover.
_LANGUAGE_ALIASES = {
    "no": "nb",
    "nor": "nb",
    "nob": "nb",
    "nno": "nn",
    "eng": "en",
    "sme": "se",
}
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_MAX_ACCEPT_LANGUAGE = 2000


class UnknownLocale(ValueError):
    """A locale tag that does not name a configured locale."""

    def __init__(self, tag: str, supported: tuple[str, ...]) -> None:
        super().__init__(f"Unknown locale {tag!r}; supported locales: {', '.join(supported)}")
        self.tag = tag
        self.supported = supported


def normalize(tag: str, locales: Locales) -> str | None:
    """Map a BCP 47 tag (any case, ``-`` or ``_``) to a configured code, or None."""
    tag = tag.strip()
    if not _TAG.match(tag):
        return None
    parts = tag.replace("_", "-").lower().split("-")
    full = "-".join(parts)
    if full in _TAG_ALIASES:
        parts = [_TAG_ALIASES[full]]
    for code in locales.codes:
        if code.lower() == full:
            return code
    language = _LANGUAGE_ALIASES.get(parts[0], parts[0])
    alias = LOCALE_ALIASES.get(language)
    candidates = [language]
    if alias:
        candidates.append(alias.split("_")[0])
    for candidate in candidates:
        for code in locales.codes:
            if code.lower() == candidate:
                return code
    return None


def resolve(tag: str, locales: Locales) -> str:
    """Normalise an explicit ``locale`` argument; raise :class:`UnknownLocale` if unusable."""
    code = normalize(tag, locales)
    if code is None:
        raise UnknownLocale(tag, locales.codes)
    return code


def negotiate(accept_language: str | None, locales: Locales) -> str:
    """Pick the best configured locale for an ``Accept-Language`` header.

    q-values are honoured (q=0 means "not this one"); entries that do not parse are
    skipped, and a header with nothing usable gives the default locale.
    """
    if not accept_language or len(accept_language) > _MAX_ACCEPT_LANGUAGE:
        return locales.default
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = _quality(params)
        if quality is None or quality <= 0 or not tag.strip() or tag.strip() == "*":
            continue
        code = normalize(tag, locales)
        if code is not None:
            ranked.append((-quality, position, code))
    if not ranked:
        return locales.default
    return min(ranked)[2]


def _quality(params: str) -> float | None:
    params = params.strip()
    if not params:
        return 1.0
    name, _, value = params.partition("=")
    if name.strip().lower() != "q":
        return None
    try:
        quality = float(value.strip())
    except ValueError:
        return None
    return quality if 0 <= quality <= 1 else None
