"""The reader page's canonical and hreflang links with CONTENTAPI_PUBLIC_SITE_URL set."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_settings, running_app
from tests.test_reader_html import BASE, NB, NN, parse


async def test_canonical_links_name_the_public_site_where_configured(tmp_path: Path) -> None:
    settings = await make_settings(
        tmp_path, public_site_url="nb=https://example.no/{slug};nn=https://example.no/nn/{slug}"
    )
    async with running_app(settings, demo=True) as client:
        page = parse(await client.get("/", params={"slug": NN, "lang": "nn"}))
    assert page.find("link", rel="canonical")[0]["href"] == f"https://example.no/nn/{NN}"
    alternates = {a["hreflang"]: a["href"] for a in page.find("link", rel="alternate")}
    assert alternates == {
        "nb": f"https://example.no/{NB}",
        "nn": f"https://example.no/nn/{NN}",
        "x-default": f"https://example.no/{NB}",
    }
    # the language switch stays on this page
    assert page.find("a", id="lang-nb")[0]["href"] == f"{BASE}/?slug={NB}&lang=nb"
