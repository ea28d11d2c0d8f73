"""Babel's catalog tooling through ``contentapi i18n``: extract, update, check, init."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from contentapi.i18n import Catalogs, Locales, tooling
from contentapi.i18n.formatting import DateStyle, format_moment

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales"


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def cli(*args: str, locale_dir: Path, locales: str = "nb,nn") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTENTAPI_LOCALE_DIR": str(locale_dir), "CONTENTAPI_LOCALES": locales}
    return subprocess.run(
        [sys.executable, "-m", "contentapi", "i18n", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def edit(path: Path, key: str, value: str | tuple[str, ...], fuzzy: bool = False) -> None:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    message = catalog[key]
    message.string = value
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog)


def test_committed_catalogs_are_complete() -> None:
    result = cli("check", locale_dir=LOCALE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "catalogs complete" in result.stdout


def test_a_new_key_goes_through_extract_update_translate(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    source = tmp_path / "ui_keys.py"
    source.write_text(
        tooling.SOURCE.read_text(encoding="utf-8").replace(
            "KEYS = [", 'KEYS = [\n    # TRANSLATORS: A new label\n    N_("page.new_label"),'
        ),
        encoding="utf-8",
    )
    tooling.extract(folder, source)
    tooling.update(folder, ["nb", "nn"])
    problems = tooling.check(folder, ["nb", "nn"], "nb")
    assert "nn/LC_MESSAGES/contentapi.po: page.new_label: not translated" in problems
    for code, text in (("nb", "Ny etikett"), ("nn", "Ny etikett")):
        edit(folder / code / "LC_MESSAGES" / "contentapi.po", "page.new_label", text)
    assert tooling.check(folder, ["nb", "nn"], "nb") == []
    found = Catalogs.load(folder, ["nb", "nn"]).lookup("page.new_label", ("nn", "nb"))
    assert found is not None and found.text == "Ny etikett"  # read on restart, no compile


def test_check_names_fuzzy_plural_and_placeholder_problems(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    nn = folder / "nn" / "LC_MESSAGES" / "contentapi.po"
    edit(nn, "article.updated", "Sist endra", fuzzy=True)
    edit(nn, ("comments.count", "comments.count.plural"), ("%(count)s kommentar",))
    edit(nn, "error.CONFLICT", "Artikkelen er endra av nokon andre.")
    result = cli("check", locale_dir=folder)
    assert result.returncode == 1
    assert "article.updated: fuzzy" in result.stdout
    assert "comments.count: plural form 1 is missing" in result.stdout
    assert "error.CONFLICT: placeholders [] in form 0, nb has ['version']" in result.stdout


def test_init_a_third_locale(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    result = cli("init", "se", locale_dir=folder)
    assert result.returncode == 0, result.stderr
    po = folder / "se" / "LC_MESSAGES" / "contentapi.po"
    assert po.exists()
    again = cli("init", "se", locale_dir=folder)
    assert again.returncode == 2 and "exists" in again.stderr
    check = cli("check", locale_dir=folder, locales="nb,nn,se")
    assert check.returncode == 1 and "se/LC_MESSAGES/contentapi.po: article.published" in (
        check.stdout
    )
    locales = Locales(("nb", "nn", "se"), "nb", {"se": ("nb", "nn")})
    assert locales.info("se").name == "davvisámegiella"
    assert locales.chain("se") == ("se", "nb", "nn")
    from datetime import UTC, datetime

    written = format_moment(
        datetime(2018, 6, 8, 8, tzinfo=UTC), DateStyle.LONG, "se", "Europe/Oslo", "dd. LLL y"
    )
    assert "2018" in written and written != "8. juni 2018"


def test_compile_writes_mo_files(tmp_path: Path) -> None:
    folder = copy(tmp_path)
    result = cli("compile", locale_dir=folder)
    assert result.returncode == 0
    assert (folder / "nn" / "LC_MESSAGES" / "contentapi.mo").stat().st_size > 100
