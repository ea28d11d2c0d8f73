"""``canonicalUrl`` and ``alternates`` on apps of their own: one pattern with ``{locale}``,
and no pattern at all (null and empty, never a made-up host)."""

from __future__ import annotations

from pathlib import Path

from tests.api.test_canonical_urls import article, slugs_of_an_article_in_both
from tests.conftest import make_settings, running_app


async def test_one_pattern_with_the_locale(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, public_site_url="https://example.no/{locale}/{slug}")
    async with running_app(settings, demo=True) as client:
        slugs = await slugs_of_an_article_in_both()
        found = await article(client, slugs["nn"], "nn")
    assert found["canonicalUrl"] == f"https://example.no/nn/{slugs['nn']}"
    assert found["alternates"][0] == {
        "locale": "nb",
        "url": f"https://example.no/nb/{slugs['nb']}",
    }


async def test_null_without_a_pattern(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    assert settings.public_site_url is None
    async with running_app(settings, demo=True) as client:
        slugs = await slugs_of_an_article_in_both()
        for locale in ("nb", "nn"):
            found = await article(client, slugs[locale], locale)
            assert found["canonicalUrl"] is None
            assert found["alternates"] == []
