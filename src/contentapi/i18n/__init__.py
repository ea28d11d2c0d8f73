"""Everything about locales: which one, which fallback, which words and formats.

The only place a locale is chosen. Imports Babel and nothing else of ours.
"""

from __future__ import annotations

from contentapi.i18n.catalogs import CatalogError, Catalogs, CatalogText
from contentapi.i18n.fallback import LocaleChain, Resolved, pick
from contentapi.i18n.formatting import (
    BadPattern,
    DateStyle,
    format_count,
    format_moment,
    relative_unchanged_for,
)
from contentapi.i18n.locales import LocaleConfigError, LocaleInfo, Locales, language_label
from contentapi.i18n.negotiation import UnknownLocale, negotiate, normalize, resolve

__all__ = [
    "BadPattern",
    "CatalogError",
    "CatalogText",
    "Catalogs",
    "DateStyle",
    "LocaleChain",
    "LocaleConfigError",
    "LocaleInfo",
    "Locales",
    "Resolved",
    "UnknownLocale",
    "format_count",
    "format_moment",
    "language_label",
    "negotiate",
    "normalize",
    "pick",
    "relative_unchanged_for",
    "resolve",
]
