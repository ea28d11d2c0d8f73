"""The translators' catalog tooling, on Babel's own ``babel.messages``:
extract the template, update and initialise locale catalogs, compile, and check.

``check`` also renders every message with sample values (:mod:`contentapi.i18n.messages`,
the same code the API fills messages with) and refuses what a reader would notice: a
number with an ASCII thousands separator or none, an English field name, a placeholder
left unfilled or one the API does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from contentapi.i18n import messages
from contentapi.i18n.catalogs import DOMAIN, CatalogError, catalog_path

SOURCE = Path(__file__).with_name("ui_keys.py")
KEYWORDS = {"N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)\w?")  # the API fills in %(name)s only
WIDTH = 100


def template_path(locale_dir: Path) -> Path:
    """Where the template lives."""
    return locale_dir / f"{DOMAIN}.pot"


def _read(path: Path, locale: str | None = None) -> Catalog:
    try:
        with path.open("rb") as fh:
            return read_po(fh, locale=locale, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogError(f"{path} is missing") from None
    except Exception as exc:  # babel raises several kinds for broken files
        raise CatalogError(f"{path}: {exc}") from exc


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=WIDTH, omit_header=False)


def extract(locale_dir: Path, source: Path = SOURCE) -> Catalog:
    """Write ``contentapi.pot`` from the marked keys in ``source``; returns the template."""
    template = Catalog(domain=DOMAIN, project="contentapi", fuzzy=False)
    for lineno, message, comments, _context in extract_from_file(
        "python",
        str(source),
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        template.add(message, locations=[(source.name, lineno)], auto_comments=comments)
    _write(template_path(locale_dir), template)
    return template


def update(locale_dir: Path, locales: Iterable[str]) -> list[str]:
    """Bring each locale's catalog in line with the template; returns the files written."""
    template = _read(template_path(locale_dir))
    written = []
    for locale in locales:
        path = catalog_path(locale_dir, locale)
        catalog = _read(path, locale.replace("-", "_"))
        # keys are identifiers: a similar key is not a draft translation, so no fuzzy guessing
        catalog.update(template, no_fuzzy_matching=True)
        _write(path, catalog)
        written.append(str(path))
    return written


def init(locale_dir: Path, locale: str) -> Path:
    """A new, empty catalog for ``locale`` from the template, with the locale's plural rule."""
    path = catalog_path(locale_dir, locale)
    if path.exists():
        raise CatalogError(f"{path} exists already; use 'update'")
    try:
        Locale.parse(locale, sep="-")
    except Exception as exc:
        raise CatalogError(f"{locale!r} is not a locale CLDR knows") from exc
    template = _read(template_path(locale_dir))
    catalog = Catalog(
        locale=locale.replace("-", "_"), domain=DOMAIN, project="contentapi", fuzzy=False
    )
    for message in template:
        if message.id:
            catalog.add(
                message.id,
                string=("", "") if message.pluralizable else "",
                auto_comments=message.auto_comments,
                locations=message.locations,
            )
    _write(path, catalog)
    return path


def compile_catalogs(locale_dir: Path, locales: Iterable[str]) -> list[str]:
    """Write ``.mo`` files next to the ``.po`` files (for gettext tools; the API reads .po)."""
    written = []
    for locale in locales:
        po = catalog_path(locale_dir, locale)
        catalog = _read(po, locale.replace("-", "_"))
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(str(mo))
    return written


def _placeholders(message: Message) -> list[set[str]]:
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return [set(PLACEHOLDER.findall(form or "")) for form in forms]


def _sample_params(names: set[str]) -> list[dict[str, object]]:
    """Sample values for a message's placeholders: one set per field, thing or status name
    where the message names one (so every name is tried), else one set."""
    known = {n for n in names if n in messages.PARAMS or n.endswith("_bytes")}
    base = {name: messages.SAMPLES[messages.kind_of(name)] for name in known}  # unknown: unfilled
    variants: list[dict[str, object]] = [base]
    for name in known:
        kind = messages.kind_of(name)
        choices: tuple[str, ...] = ()
        if kind is messages.Kind.FIELD:
            choices = messages.FIELD_NAMES
        elif kind is messages.Kind.WHAT:
            choices = messages.WHAT_NAMES
        elif kind is messages.Kind.STATUS:
            choices = messages.STATUS_NAMES
        variants += [{**base, name: choice} for choice in choices]
    return variants


def rendering_problems(catalog: Catalog, locale: str, key: str, forms: list[str]) -> list[str]:
    """What is wrong with ``forms`` (one message's texts in ``catalog``) once filled with
    sample values, as the API would fill them."""

    def names(name_key: str) -> str | None:
        found = catalog.get(name_key)
        text = found.string if found is not None and not found.fuzzy else None
        return text if isinstance(text, str) and text else None

    problems: list[str] = []
    for form in forms:
        placeholders = set(messages.PLACEHOLDER.findall(form))
        unknown = sorted(
            n for n in placeholders if n not in messages.PARAMS and not n.endswith("_bytes")
        )
        if unknown:
            problems.append(
                f"unknown placeholder {', '.join(unknown)} (declare it in "
                "contentapi.i18n.messages.PARAMS)"
            )
        for params in _sample_params(placeholders):
            rendered = messages.render(form, params, locale, names) or form
            for problem in messages.rendering_problems(form, rendered):
                if problem not in problems:
                    problems.append(problem)
    return problems


def check(locale_dir: Path, locales: list[str], source_locale: str) -> list[str]:
    """Every problem, one line each: missing or fuzzy entries, missing plural forms,
    placeholders that differ from the source locale's text, and messages that read wrong
    once filled with sample values (:func:`rendering_problems`). Empty when all is well."""
    template = _read(template_path(locale_dir))
    catalogs = {
        code: _read(catalog_path(locale_dir, code), code.replace("-", "_")) for code in locales
    }
    source = catalogs.get(source_locale)
    problems = []
    for code, catalog in catalogs.items():
        where = f"{code}/LC_MESSAGES/{DOMAIN}.po"
        for wanted in template:
            if not wanted.id:
                continue
            key = wanted.id[0] if isinstance(wanted.id, tuple | list) else wanted.id
            message = catalog.get(wanted.id)
            if message is None:
                problems.append(f"{where}: {key}: missing")
                continue
            forms = (
                message.string if isinstance(message.string, tuple | list) else (message.string,)
            )
            if message.fuzzy:
                problems.append(f"{where}: {key}: fuzzy")
            if wanted.pluralizable and len(forms) != catalog.num_plurals:
                problems.append(
                    f"{where}: {key}: has {len(forms)} plural forms, {code} needs "
                    f"{catalog.num_plurals}"
                )
            if wanted.pluralizable and any(forms) and not all(forms):
                missing = [str(i) for i, form in enumerate(forms) if not form]
                problems.append(f"{where}: {key}: plural form {', '.join(missing)} is missing")
                continue
            if not all(forms):
                problems.append(f"{where}: {key}: not translated")
                continue
            original = source.get(wanted.id) if source is not None else None
            if original is not None and code != source_locale and original.string:
                expected = set().union(*_placeholders(original))
                for index, found in enumerate(_placeholders(message)):
                    if found != expected:
                        problems.append(
                            f"{where}: {key}: placeholders {sorted(found)} in form {index}, "
                            f"{source_locale} has {sorted(expected)}"
                        )
            for problem in rendering_problems(catalog, code, str(key), [str(f) for f in forms]):
                problems.append(f"{where}: {key}: {problem}")
    return problems
