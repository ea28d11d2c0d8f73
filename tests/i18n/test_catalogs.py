from __future__ import annotations

from pathlib import Path

import pytest

from contentapi.i18n import CatalogError, Catalogs

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales"


def test_seed_page_labels_in_both_standards() -> None:
    catalogs = Catalogs.load(LOCALE_DIR, ["nb", "nn"])
    expected = {
        "article.published": ("Publisert", "Publisert"),
        "article.updated": ("Sist endret", "Sist endra"),
        "comments.heading": ("Kommentarer", "Kommentarar"),
        "comments.write": ("Skriv ny kommentar", "Skriv ny kommentar"),
        "form.required_note": (
            "* obligatorisk felt som du må fylle ut",
            "* obligatorisk felt som du må fylle ut",
        ),
        "page.share": ("Del dette", "Del dette"),
        "page.contact": ("Kontakt", "Kontakt"),
        "media.photo": ("Foto", "Foto"),
        "media.video": ("Filmklipp", "Filmklipp"),
    }
    for key, (nb, nn) in expected.items():
        nb_text = catalogs.lookup(key, ("nb", "nn"))
        nn_text = catalogs.lookup(key, ("nn", "nb"))
        assert nb_text is not None and nn_text is not None, key
        assert (nb_text.text, nn_text.text) == (nb, nn)
        assert not nn_text.is_fallback


def test_plural_forms_follow_the_locale_rule() -> None:
    catalogs = Catalogs.load(LOCALE_DIR, ["nb", "nn"])

    def form(chain: tuple[str, ...], n: int) -> str:
        found = catalogs.lookup("comments.count", chain, n)
        assert found is not None
        return found.text

    assert form(("nn",), 1) == "%(count)s kommentar"
    assert form(("nn",), 3) == "%(count)s kommentarar"
    assert form(("nb",), 0) == "%(count)s kommentarer"
    assert form(("nb",), 1) == "%(count)s kommentar"


def test_missing_catalog_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no catalog for locale 'en'"):
        Catalogs.load(tmp_path, ["en"])


def test_broken_catalog_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "nb" / "LC_MESSAGES" / "contentapi.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "b\nthis is not po\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        Catalogs.load(tmp_path, ["nb"])


def test_fuzzy_and_empty_entries_fall_back(tmp_path: Path) -> None:
    for locale, body in (
        ("nb", 'msgid "x"\nmsgstr "bokmål"\n\nmsgid "y"\nmsgstr "nb-y"\n'),
        ("nn", '#, fuzzy\nmsgid "x"\nmsgstr "utkast"\n\nmsgid "y"\nmsgstr ""\n'),
    ):
        path = tmp_path / locale / "LC_MESSAGES" / "contentapi.po"
        path.parent.mkdir(parents=True)
        path.write_text(body, encoding="utf-8")
    catalogs = Catalogs.load(tmp_path, ["nb", "nn"])
    found = catalogs.lookup("x", ("nn", "nb"))
    assert (
        found is not None and found.text == "bokmål" and found.is_fallback and found.locale == "nb"
    )


def test_every_error_a_person_reads_has_a_message_in_both_standards() -> None:
    from contentapi.errors import ErrorCode

    developer_facing = {  # precise English details for whoever writes the query
        ErrorCode.BAD_REQUEST,
        ErrorCode.UNKNOWN_LOCALE,
        ErrorCode.QUERY_TOO_COMPLEX,
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.UNAVAILABLE,
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,  # for the client library, which then resends
    }
    catalogs = Catalogs.load(LOCALE_DIR, ["nb", "nn"])
    for code in set(ErrorCode) - developer_facing:
        for locale in ("nb", "nn"):
            found = catalogs.lookup(f"error.{code.value}", (locale,))
            assert found is not None and found.text, (code, locale)
