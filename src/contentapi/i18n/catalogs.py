"""UI strings from the gettext catalogs under ``locales/``, read at start.

The ``.po`` files are read directly (no compile step), so an edited catalog is
live after a restart. A missing catalog is an error: Babel would silently give
an empty one, and every label would fall back without anyone noticing.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

DOMAIN = "contentapi"


class CatalogError(ValueError):
    """A catalog is missing or cannot be read."""


@dataclass(frozen=True)
class Entry:
    """One translated UI string: a plain text, or the plural forms of one."""

    forms: tuple[str, ...]

    @property
    def is_plural(self) -> bool:
        """True for an entry with plural forms."""
        return len(self.forms) > 1


@dataclass(frozen=True)
class CatalogText:
    """A UI string resolved for a request: which locale it came from."""

    key: str
    text: str
    locale: str
    is_fallback: bool
    is_plural: bool = False


class LocaleCatalog:
    """The entries of one locale, with its plural rule."""

    def __init__(self, locale: str, entries: dict[str, Entry], plural: Callable[[int], int]):
        self.locale = locale
        self.entries = entries
        self._plural = plural

    def plural_index(self, count: int) -> int:
        """The plural form to use for ``count``, by the catalog's Plural-Forms rule."""
        return int(self._plural(count))


def catalog_path(locale_dir: Path, locale: str) -> Path:
    """Where the catalog of ``locale`` lives."""
    return locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalog(locale_dir: Path, locale: str) -> LocaleCatalog:
    """Read one locale's ``.po`` file; fuzzy and empty entries count as missing."""
    path = catalog_path(locale_dir, locale)
    if not path.is_file():
        raise CatalogError(f"no catalog for locale {locale!r}: {path} is missing")
    try:
        with path.open("rb") as fh:
            catalog: Catalog = read_po(fh, locale=locale.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        forms = (
            tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)
        )
        if all(forms):
            entries[str(key)] = Entry(tuple(str(f) for f in forms))
    plural = gettext.c2py(catalog.plural_expr)
    return LocaleCatalog(locale, entries, plural)


class Catalogs:
    """Every configured locale's catalog, with chain-aware lookups."""

    def __init__(self, catalogs: Iterable[LocaleCatalog]) -> None:
        self._by_locale = {c.locale: c for c in catalogs}

    @classmethod
    def load(cls, locale_dir: Path, locales: Iterable[str]) -> Catalogs:
        """Read the catalogs of ``locales``; raise :class:`CatalogError` if one is missing."""
        return cls(load_catalog(locale_dir, code) for code in locales)

    def keys(self) -> list[str]:
        """Every key any catalog translates, sorted."""
        return sorted({key for c in self._by_locale.values() for key in c.entries})

    def lookup(
        self, key: str, chain: tuple[str, ...], count: int | None = None
    ) -> CatalogText | None:
        """The text for ``key`` from the first locale in ``chain`` that has it.

        With ``count``, a plural entry gives the form the locale's rule picks for it,
        and ``%(count)s`` is left for the caller to fill in.
        """
        for locale in chain:
            catalog = self._by_locale.get(locale)
            entry = catalog.entries.get(key) if catalog else None
            if catalog is None or entry is None:
                continue
            if entry.is_plural:
                index = catalog.plural_index(count if count is not None else 1)
                text = entry.forms[min(index, len(entry.forms) - 1)]
            else:
                text = entry.forms[0]
            return CatalogText(key, text, locale, locale != chain[0], entry.is_plural)
        return None
