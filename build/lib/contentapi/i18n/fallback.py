"""Pick the row to show for a locale chain."""

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


def pick(by_locale: Mapping[str, T], chain: Iterable[str]) -> Resolved[T] | None:
    """The first locale of ``chain`` present in ``by_locale``; the chain's head is the request."""
    requested: str | None = None
    for locale in chain:
        requested = requested or locale
        if locale in by_locale:
            return Resolved(by_locale[locale], locale, requested)
    return None
