from __future__ import annotations

import pytest

from contentapi.i18n import Locales, UnknownLocale, negotiate, normalize, resolve

LOCALES = Locales(("nb", "nn"), "nb", {"nb": ("nn",), "nn": ("nb",)})


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("nb", "nb"),
        ("NB", "nb"),
        ("nb-NO", "nb"),
        ("nb_no", "nb"),
        ("no", "nb"),
        ("NO", "nb"),
        ("nob", "nb"),
        ("no-NO", "nb"),
        ("nn", "nn"),
        ("nn-NO", "nn"),
        ("NN-no", "nn"),
        ("nno", "nn"),
    ],
)
def test_normalises_norwegian_tags(tag: str, expected: str) -> None:
    assert normalize(tag, LOCALES) == expected


@pytest.mark.parametrize("tag", ["sv", "en", "x", "", "nb--NO", "n b", "'; drop", "nynorsk"])
def test_unknown_tags_are_not_guessed(tag: str) -> None:
    assert normalize(tag, LOCALES) is None
    with pytest.raises(UnknownLocale) as raised:
        resolve(tag, LOCALES)
    assert "nb, nn" in str(raised.value)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nn-NO,nn;q=0.9,nb;q=0.8", "nn"),
        ("nb;q=0.5, nn;q=0.9", "nn"),
        ("en-US,en;q=0.9,nn;q=0.3", "nn"),
        ("sv, da;q=0.8", "nb"),  # nothing usable: default
        ("nn;q=0, nb;q=0.1", "nb"),  # q=0 means not this one
        ("*", "nb"),
        ("nn;q=abc, nb;q=0.2", "nb"),  # the malformed entry is skipped
        (";;;,,,q=", "nb"),  # malformed header: default
        ("no", "nb"),
        ("", "nb"),
        (None, "nb"),
    ],
)
def test_accept_language_honours_q_values(header: str | None, expected: str) -> None:
    assert negotiate(header, LOCALES) == expected


def test_chain_starts_with_the_locale_and_has_no_repeats() -> None:
    locales = Locales(("nb", "nn", "en"), "nb", {"en": ("nb", "en", "nn")})
    assert locales.chain("en") == ("en", "nb", "nn")
    assert locales.chain("nn") == ("nn",)


def test_names_come_from_cldr() -> None:
    assert LOCALES.info("nn").name == "norsk nynorsk"
    assert LOCALES.info("nb").english_name == "Norwegian Bokmål"
