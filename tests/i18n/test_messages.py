"""Filling messages (contentapi.i18n.messages) and the rendering rules of ``i18n check``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from contentapi.articles.validation import REQUIRED_TO_PUBLISH
from contentapi.i18n import Catalogs, messages, tooling

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "locales"
NBSP = "\u00a0"


def names_in(code: str) -> messages.Names:
    catalogs = Catalogs.load(LOCALE_DIR, ["nb", "nn"])

    def names(key: str) -> str | None:
        found = catalogs.lookup(key, (code,))
        return found.text if found is not None else None

    return names


def edit(folder: Path, code: str, key: str, text: str) -> None:
    path = folder / code / "LC_MESSAGES" / "contentapi.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    catalog[key].string = text
    with path.open("wb") as fh:
        write_po(fh, catalog)


def test_values_are_written_for_the_locale() -> None:
    nb, nn = names_in("nb"), names_in("nn")
    assert messages.render("%(max)s", {"max": 60_000_000}, "nb", nb) == f"60{NBSP}000{NBSP}000"
    assert messages.render("%(max_bytes)s", {"max_bytes": 20_000_000}, "nn", nn) == f"20{NBSP}MB"
    assert messages.format_bytes(1_500, "nb") == f"1,5{NBSP}kB"
    assert messages.format_bytes(900, "nb") == f"900{NBSP}byte"
    fields = {"fields": ["title", "body"]}
    assert messages.render("%(fields)s", fields, "nb", nb) == "tittel og brødtekst"
    assert messages.render("%(fields)s", {"fields": ["lead"]}, "nn", nn) == "ingress"
    assert messages.render("%(what)s", {"what": "pending changes"}, "nb", nb) == (
        "de ventende endringene"
    )
    assert messages.render("%(what)s", {"what": "pending changes"}, "nn", nn) == (
        "dei ventande endringane"
    )
    assert messages.render("%(locales)s", {"locales": ["nb", "nn"]}, "nn", nn) == "nb eller nn"
    assert messages.render("%(field)s", {"field": "texts.nn.alt"}, "nn", nn) == "alternativ tekst"
    # a value that is not a name (an unknown tag's key) is shown as it is
    assert messages.render("%(what)s", {"what": "sport"}, "nb", nb) == "sport"
    # a placeholder without a value: the caller tries another message
    assert messages.render("Fant ikke %(what)s.", {}, "nb", nb) is None


@pytest.mark.parametrize("code", ["nb", "nn"])
def test_every_message_reads_right_with_sample_values(code: str) -> None:
    """Every error message, filled with sample values (numbers like 60000000, sizes, field
    and thing names): no ASCII thousands separator, no English field name, nothing unfilled."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / "contentapi.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code)
    names = names_in(code)
    checked = 0
    for message in catalog:
        if not message.id or not str(message.id).startswith("error."):
            continue
        text = str(message.string)
        wanted = messages.PLACEHOLDER.findall(text)
        for name in wanted:
            assert name in messages.PARAMS or name.endswith("_bytes"), (message.id, name)
        for params in tooling._sample_params(set(wanted)):
            rendered = messages.render(text, params, code, names)
            assert rendered is not None, message.id
            assert messages.rendering_problems(text, rendered) == [], (message.id, rendered)
            assert not re.search(r"\d,\d{3}|\d{5,}|%\(", rendered), rendered
            checked += 1
    assert checked > 40


def test_check_refuses_english_names_ascii_numbers_and_unknown_placeholders(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "locales"
    shutil.copytree(LOCALE_DIR, folder, ignore=shutil.ignore_patterns("*.mo"))
    assert tooling.check(folder, ["nb", "nn"], "nb") == []
    edit(folder, "nn", "field.body", "body")
    edit(folder, "nb", "error.IMAGE_TOO_LARGE", "Bildet er for stort (høyst 60,000,000 piksler).")
    edit(folder, "nb", "error.TOO_MANY_TAGS", "For mange emner (høyst %(maks)s).")
    edit(folder, "nn", "error.TOO_MANY_TAGS", "For mange emne (høgst %(maks)s).")
    problems = tooling.check(folder, ["nb", "nn"], "nb")
    assert (
        "nn/LC_MESSAGES/contentapi.po: error.MISSING_CONTENT: English words in the text: body"
        in (problems)
    )
    assert (
        "nb/LC_MESSAGES/contentapi.po: error.IMAGE_TOO_LARGE: number not formatted for the "
        "locale ('60,000,000')" in problems
    )
    assert any(
        p.startswith("nn/LC_MESSAGES/contentapi.po: error.TOO_MANY_TAGS: unknown placeholder maks")
        for p in problems
    )
    assert (
        "nn/LC_MESSAGES/contentapi.po: error.TOO_MANY_TAGS: placeholder %(maks)s is not filled"
        in (problems)
    )


def _literals(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "contentapi").rglob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_thing_and_field_a_message_names_has_a_catalog_name() -> None:
    whats = _literals(r'not_found\(\s*"([^"]+)"') | _literals(r'params=\{"what": "([^"]+)"\}')
    assert whats and whats <= set(messages.WHAT_NAMES), whats - set(messages.WHAT_NAMES)
    assert set(REQUIRED_TO_PUBLISH) <= set(messages.FIELD_NAMES)
    for code in ("nb", "nn"):
        names = names_in(code)
        for what in messages.WHAT_NAMES:
            assert names(messages.what_key(what)), (code, what)
        for field in messages.FIELD_NAMES:
            assert names(messages.field_key(field)), (code, field)
        for status in messages.STATUS_NAMES:
            assert names(f"status.{status}"), (code, status)
