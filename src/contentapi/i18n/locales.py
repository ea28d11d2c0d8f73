"""The configured locales: codes, default, names and fallback chains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from contentapi.i18n.fallback import LocaleChain


@lru_cache(maxsize=256)
def language_label(code: str, reader: str) -> str:
    """``code``'s name in the ``reader``'s language (CLDR), capitalised as a menu entry:
    ("nn", "nb") -> "Norsk nynorsk"."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(Locale.parse(reader, sep="-"))
    except (UnknownLocaleError, ValueError):
        name = None
    name = name or code
    return name[:1].upper() + name[1:]


class LocaleConfigError(ValueError):
    """A configured locale is not one Babel (CLDR) knows."""


@dataclass(frozen=True)
class LocaleInfo:
    """A configured locale as the API describes it."""

    code: str
    name: str  # in the locale itself: "norsk nynorsk"
    english_name: str
    is_default: bool
    fallbacks: tuple[str, ...]


class Locales:
    """The set of configured locales. Order is the configured order."""

    def __init__(
        self, codes: Iterable[str], default: str, fallbacks: Mapping[str, Iterable[str]]
    ) -> None:
        self.codes: tuple[str, ...] = tuple(codes)
        self.default = default
        self._fallbacks = {code: tuple(fallbacks.get(code, ())) for code in self.codes}
        self._infos = {code: self._describe(code) for code in self.codes}
        self._chains = {code: self._make_chain(code) for code in self.codes}

    def _describe(self, code: str) -> LocaleInfo:
        try:
            babel_locale = Locale.parse(code, sep="-")
        except (UnknownLocaleError, ValueError) as exc:
            raise LocaleConfigError(f"locale {code!r} is not known to Babel/CLDR") from exc
        return LocaleInfo(
            code=code,
            name=babel_locale.display_name or code,
            english_name=babel_locale.english_name or code,
            is_default=code == self.default,
            fallbacks=self._fallbacks[code],
        )

    def __contains__(self, code: object) -> bool:
        return code in self._infos

    def info(self, code: str) -> LocaleInfo:
        """Describe one configured locale."""
        return self._infos[code]

    def all(self) -> list[LocaleInfo]:
        """Every configured locale, in configured order."""
        return [self._infos[code] for code in self.codes]

    def chain(self, code: str) -> LocaleChain:
        """The locales to try for ``code``, itself first, without repeats."""
        return self._chains[code]

    def fingerprint(self) -> str:
        """Every chain, as text: what the article listing was built for."""
        return ";".join(f"{code}:{','.join(self.chain(code))}" for code in self.codes)

    def _make_chain(self, code: str) -> LocaleChain:
        seen: list[str] = []
        for candidate in (code, *self._fallbacks[code]):
            if candidate not in seen:
                seen.append(candidate)
        return LocaleChain(seen)
