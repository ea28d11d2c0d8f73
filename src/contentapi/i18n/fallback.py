"""The fallback rule: which locale's row to show for a requested locale.

One value, :class:`LocaleChain`, carries the rule for both sides: :func:`pick` chooses
among rows in Python by its order, ``rank`` orders locales for SQL (the article listing
stores each translation's rank, and the lowest visible rank is the one served).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """A row chosen for a requested locale, and whether a fallback was needed."""

    value: T
    locale: str
    requested_locale: str

    @property
    def is_fallback(self) -> bool:
        """True when the row is in another locale than the one asked for."""
        return self.locale != self.requested_locale


class LocaleChain(tuple[str, ...]):
    """The locales to try for a request, the requested one first, without repeats."""

    __slots__ = ()

    @property
    def requested(self) -> str:
        """The locale asked for."""
        return self[0]

    def rank(self, locale: str) -> int | None:
        """0 for the requested locale, 1 for its first fallback...; None outside the chain."""
        try:
            return self.index(locale)
        except ValueError:
            return None

    def preference(self, every: Iterable[str]) -> tuple[str, ...]:
        """This chain, then every other locale of ``every`` in its order (slug lookups)."""
        return (*self, *(code for code in every if code not in self))


def pick(by_locale: Mapping[str, T], chain: Iterable[str]) -> Resolved[T] | None:
    """The first locale of ``chain`` present in ``by_locale``; the chain's head is the request."""
    requested: str | None = None
    for locale in chain:
        requested = requested or locale
        if locale in by_locale:
            return Resolved(by_locale[locale], locale, requested)
    return None
