"""Filling a catalog message's ``%(name)s`` placeholders with values written for the locale.

The one place a message's values become text, shared by the API (:func:`error_message`,
which ``localized()`` of the GraphQL layer calls; any other layer with the catalogs may
call it too) and ``contentapi i18n check``. What a value is follows from the
placeholder's *name*, because the catalogs and the check see names only:

- ``fields``: a list of field names (``["title", "body"]``), each named by the catalog
  key ``field.<name>`` and joined as the locale joins lists ("tittel og brødtekst");
- ``field``: one field name, named the same way (the last part of ``texts.nn.alt``);
- ``what``: a kind of thing (``"article"``, ``"pending changes"``), named by
  ``what.<name, spaces as _>`` in the definite form ("artikkelen"), for "Fant ikke …";
- ``status``: a comment's moderation status (``APPROVED``), named by ``status.<STATUS>``;
- ``locales``: a list of locale codes, joined with the locale's "or" ("nb eller nn");
- ``bytes`` or any name ending in ``_bytes`` (``max_bytes``): a size in bytes, written
  in decimal units with the locale's digits and a no-break space: 20000000 -> "20 MB";
- every other whole number (``max``, ``seconds``, ``version``, ``count``): Babel's
  ``format_decimal`` in the locale, "60 000 000" with no-break spaces (never ``f"{n:,}"``,
  never ``str(n)``);
- anything else: as it is.

So a raise site passes plain values (an ``int``, never a pre-formatted string). A name
without a catalog entry is shown as it is (unknown tag keys are values, not names);
``i18n check`` renders every message with :data:`SAMPLES` to find English words, ASCII
thousands separators and unfilled placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum

from babel.lists import format_list
from babel.numbers import format_decimal

from contentapi.i18n.catalogs import Catalogs
from contentapi.i18n.locales import Locales

Names = Callable[[str], str | None]  # catalog key -> its text in the locale, or None

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
NBSP = "\u00a0"


class Kind(StrEnum):
    """What a placeholder's value is, by its name (see the module's docstring)."""

    FIELDS = "fields"
    FIELD = "field"
    WHAT = "what"
    STATUS = "status"
    LOCALES = "locales"
    BYTES = "bytes"
    NUMBER = "number"
    TEXT = "text"


# Every placeholder the catalogs may use; ``i18n check`` refuses one that is not here.
PARAMS: dict[str, Kind] = {
    "fields": Kind.FIELDS,
    "field": Kind.FIELD,
    "what": Kind.WHAT,
    "status": Kind.STATUS,
    "locales": Kind.LOCALES,
    "max": Kind.NUMBER,
    "count": Kind.NUMBER,
    "seconds": Kind.NUMBER,
    "version": Kind.NUMBER,
    "max_bytes": Kind.BYTES,
    "images": Kind.TEXT,  # image ids, already a list of numbers
    "locale": Kind.TEXT,  # a locale code
    "slug": Kind.TEXT,
}

# Field names a message may name (``field.<name>`` in the catalogs).
FIELD_NAMES = (
    "title",
    "slug",
    "lead",
    "body",
    "tags",
    "name",
    "authorName",
    "email",
    "website",
    "alt",
    "caption",
    "credit",
)
# Things NOT_FOUND may name (``what.<name>``): every ``not_found(...)`` in the code.
WHAT_NAMES = (
    "article",
    "translation",
    "source translation",
    "revision",
    "medium",
    "image",
    "tag",
    "comment",
    "pending changes",
    "video",
    "caption",
)
STATUS_NAMES = ("PENDING", "APPROVED", "REJECTED", "SPAM")

# Values ``i18n check`` fills in, by kind: big enough to need grouping.
SAMPLES: dict[Kind, object] = {
    Kind.FIELDS: list(FIELD_NAMES),
    Kind.FIELD: "body",
    Kind.WHAT: "article",
    Kind.STATUS: "APPROVED",
    Kind.LOCALES: ["nb", "nn"],
    Kind.BYTES: 20_000_000,
    Kind.NUMBER: 60_000_000,
    Kind.TEXT: "x",
}
_BYTE_UNITS = ((10**9, "GB"), (10**6, "MB"), (10**3, "kB"))


def kind_of(name: str) -> Kind:
    """The kind of the placeholder ``name``."""
    if name == "bytes" or name.endswith("_bytes"):
        return Kind.BYTES
    return PARAMS.get(name, Kind.TEXT)


def what_key(what: str) -> str:
    """The catalog key naming a kind of thing: ``what.source_translation``."""
    return "what." + what.replace(" ", "_")


def field_key(field: str) -> str:
    """The catalog key naming a field: ``field.title`` (``texts.nn.alt`` -> ``field.alt``)."""
    return "field." + field.rsplit(".", 1)[-1]


def babel_locale(code: str) -> str:
    """Babel's spelling of a BCP 47 code (``nb-NO`` -> ``nb_NO``)."""
    return code.replace("-", "_")


def format_number(value: float, locale: str) -> str:
    """A number with the locale's grouping and decimal sign: "60 000 000", "1,5"."""
    return format_decimal(value, locale=babel_locale(locale))


def format_bytes(size: int, locale: str) -> str:
    """A size in decimal units: 20000000 -> "20 MB", 1500 -> "1,5 kB", 900 -> "900 byte"."""
    for factor, unit in _BYTE_UNITS:
        if size >= factor:
            amount = format_decimal(round(size / factor, 1), locale=babel_locale(locale))
            return f"{amount}{NBSP}{unit}"
    return f"{format_number(size, locale)}{NBSP}byte"


def _named(key: str, fallback: str, names: Names) -> str:
    return names(key) or fallback


def render_value(name: str, value: object, locale: str, names: Names) -> str:
    """One placeholder's value as text in ``locale`` (see the module's docstring)."""
    kind = kind_of(name)
    loc = babel_locale(locale)
    if kind is Kind.FIELDS or kind is Kind.LOCALES:
        items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        if kind is Kind.FIELDS:
            items = [_named(field_key(item), item, names) for item in items]
            return format_list(items, locale=loc)
        return format_list(items, style="or", locale=loc)
    if kind is Kind.FIELD:
        return _named(field_key(str(value)), str(value), names)
    if kind is Kind.WHAT:
        return _named(what_key(str(value)), str(value), names)
    if kind is Kind.STATUS:
        return _named(f"status.{value}", str(value), names)
    if isinstance(value, bool):
        return str(value)
    if kind is Kind.BYTES and isinstance(value, int):
        return format_bytes(value, locale)
    if isinstance(value, int | float):
        return format_number(value, locale)
    if isinstance(value, list | tuple):
        return format_list([str(v) for v in value], locale=loc)
    return str(value)


def render(text: str, params: Mapping[str, object], locale: str, names: Names) -> str | None:
    """``text`` with each ``%(name)s`` filled from ``params``, written for ``locale``;
    ``names`` looks up the catalog names of fields, things and statuses. None when a
    placeholder has no value (the caller then tries a less specific message)."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1)
        if name not in params:
            missing = True
            return match.group(0)
        return render_value(name, params[name], locale, names)

    rendered = PLACEHOLDER.sub(fill, text)
    return None if missing else rendered


def error_message(
    catalogs: Catalogs,
    locales: Locales,
    locale: str,
    code: str,
    english: str,
    field: str | None = None,
    params: Mapping[str, object] | None = None,
) -> str:
    """The catalogs' message for the error ``code`` in ``locale``: ``error.<CODE>.<field>``
    where there is one, else ``error.<CODE>``, filled by :func:`render`; ``english`` where
    no catalog has one whose placeholders ``params`` fill. Besides its own params a message
    may name ``%(locales)s``, the configured locales."""
    values: dict[str, object] = {"locales": list(locales.codes), **(params or {})}
    keys = [f"error.{code}.{field}"] if field else []
    for key in (*keys, f"error.{code}"):
        found = catalogs.lookup(key, locales.chain(locale))
        if found is None:
            continue
        # a fallback locale's text is written in that locale's numbers and names
        chain = locales.chain(found.locale)

        def names(name_key: str, chain: tuple[str, ...] = chain) -> str | None:
            name = catalogs.lookup(name_key, chain)
            return name.text if name is not None else None

        text = render(found.text, values, found.locale, names)
        if text is not None:
            return text
    return english


# The three rules ``i18n check`` holds every rendered message to.
_ASCII_GROUPING = re.compile(r"\d{1,3}(?:[, ]\d{3})+(?!\d)|\d{5,}")
_UNFILLED = re.compile(r"%\(\w+\)\w?")
ENGLISH_WORDS = frozenset(
    {name.lower() for name in FIELD_NAMES}
    | {word for what in WHAT_NAMES for word in what.split()}
    | {status.lower() for status in STATUS_NAMES}
    | {"field", "fields", "bytes"}
)


def rendering_problems(template: str, rendered: str) -> list[str]:
    """What is wrong with ``rendered`` (``template`` filled with :data:`SAMPLES`): an ASCII
    thousands separator or an ungrouped big number, an English field or thing name that
    the translator did not write, or a placeholder left unfilled."""
    problems = []
    if found := _ASCII_GROUPING.search(rendered):
        problems.append(f"number not formatted for the locale ({found.group(0)!r})")

    def count(word: str, text: str) -> int:
        return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE))

    english = sorted(w for w in ENGLISH_WORDS if count(w, rendered) > count(w, template))
    if english:
        problems.append(f"English words in the text: {', '.join(english)}")
    if found := _UNFILLED.search(rendered):
        problems.append(f"placeholder {found.group(0)} is not filled")
    return problems
