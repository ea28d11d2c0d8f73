"""The public site's URL rule (``CONTENTAPI_PUBLIC_SITE_URL``): reading it, checking it at
start with a clear message, and the URLs, alternates and section links it makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contentapi.errors import ConfigError
from contentapi.settings import Settings
from contentapi.site_urls import X_DEFAULT, Alternate, parse

LOCALES = ("nb", "nn")


def test_one_pattern_for_every_locale() -> None:
    urls = parse("https://example.no/{locale}/{slug}", LOCALES, "nb")
    assert urls.url("nb", "ny-skule") == "https://example.no/nb/ny-skule"
    assert urls.url("nn", "ny-skule") == "https://example.no/nn/ny-skule"
    assert urls.home("nn") == "https://example.no/nn/"


def test_a_pattern_per_locale() -> None:
    urls = parse(" nb=https://example.no/{slug} ; nn=https://example.no/nn/{slug} ", LOCALES, "nb")
    assert urls.url("nb", "kommunar") == "https://example.no/kommunar"
    assert urls.url("nn", "kommunar") == "https://example.no/nn/kommunar"
    assert urls.home("nb") == "https://example.no/"
    assert urls.home("nn") == "https://example.no/nn/"


def test_locale_in_the_host_and_a_query_string() -> None:
    urls = parse("https://{locale}.example.no/artikkel/{slug}?utm=rss", LOCALES, "nb")
    assert urls.url("nn", "a-b") == "https://nn.example.no/artikkel/a-b?utm=rss"
    assert urls.home("nn") == "https://nn.example.no/artikkel/"


def test_slugs_are_quoted() -> None:
    urls = parse("https://example.no/{locale}/{slug}", LOCALES, "nb")
    assert urls.url("nb", "a/b c") == "https://example.no/nb/a%2Fb%20c"


def test_one_locale_needs_no_locale_placeholder() -> None:
    urls = parse("https://example.no/{slug}", ("nb",), "nb")
    assert urls.url("nb", "x") == "https://example.no/x"


def test_alternates_in_configured_order_then_x_default() -> None:
    urls = parse("https://example.no/{locale}/{slug}", LOCALES, "nb")
    assert urls.alternates({"nn": "b", "nb": "a"}, LOCALES) == [
        Alternate("nb", "https://example.no/nb/a"),
        Alternate("nn", "https://example.no/nn/b"),
        Alternate(X_DEFAULT, "https://example.no/nb/a"),
    ]


def test_x_default_is_the_first_without_the_default_locale() -> None:
    urls = parse("https://example.no/{locale}/{slug}", LOCALES, "nb")
    assert urls.alternates({"nn": "b"}, LOCALES) == [
        Alternate("nn", "https://example.no/nn/b"),
        Alternate(X_DEFAULT, "https://example.no/nn/b"),
    ]
    assert urls.alternates({}, LOCALES) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://example.no/{slug}", "needs {locale}"),
        ("https://example.no/{locale}/", "needs {slug} exactly once"),
        ("https://example.no/{locale}/{slug}/{slug}", "needs {slug} exactly once"),
        ("https://example.no/{lang}/{slug}", "unknown placeholder {lang}"),
        ("ftp://example.no/{locale}/{slug}", "not an http(s) URL"),
        ("example.no/{locale}/{slug}", "not an http(s) URL"),
        ("https://{slug}.example.no/{locale}", "belongs in the path"),
        ("https://example.no/{locale}/{slug}#top", "has spaces or a '#'"),
        ("nb=https://example.no/{slug}", "no pattern for nn"),
        ("nb=https://example.no/{slug};en=https://example.no/en/{slug}", "'en' is not one of"),
        ("nb=https://example.no/{slug};nn=https://example.no/{slug}", "share the same URLs"),
        ("nb=https://example.no/{slug};nn", "cannot read 'nn'"),
        ("https://example.no/" + "x" * 1000 + "/{locale}/{slug}", "over 1000 characters"),
    ],
)
def test_a_bad_pattern_stops_the_start(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"CONTENTAPI_PUBLIC_SITE_URL": value})
    assert "CONTENTAPI_PUBLIC_SITE_URL" in str(caught.value)
    assert message in str(caught.value)


def test_settings_read_and_make_the_rule() -> None:
    settings = Settings.from_env(
        {"CONTENTAPI_PUBLIC_SITE_URL": "https://example.no/{locale}/{slug}"}
    )
    urls = settings.make_site_urls()
    assert urls is not None and urls.url("nn", "x") == "https://example.no/nn/x"
    assert Settings.from_env({}).make_site_urls() is None
    assert Settings.from_env({"CONTENTAPI_PUBLIC_SITE_URL": " "}).make_site_urls() is None


def test_checked_against_the_configured_locales() -> None:
    env = {
        "CONTENTAPI_LOCALES": "nb,nn,en",
        "CONTENTAPI_PUBLIC_SITE_URL": "nb=https://a.no/{slug};nn=https://a.no/nn/{slug}",
    }
    with pytest.raises(ConfigError, match="no pattern for en"):
        Settings.from_env(env)
    one = Settings.from_env(
        {
            "CONTENTAPI_LOCALES": "nn",
            "CONTENTAPI_DEFAULT_LOCALE": "nn",
            "CONTENTAPI_PUBLIC_SITE_URL": "https://a.no/{slug}",
        }
    )
    urls = one.make_site_urls()
    assert urls is not None and urls.url("nn", "x") == "https://a.no/x"


def test_serve_refuses_to_start_with_a_bad_pattern(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{tmp_path / 'db.sqlite3'}",
        "CONTENTAPI_PUBLIC_SITE_URL": "https://example.no/{slug}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "contentapi", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "configuration error: CONTENTAPI_PUBLIC_SITE_URL" in done.stderr
    assert "needs {locale}" in done.stderr
