"""Jinja2 templates of the reader page (``templates/``), autoescaped.

Every interface string comes from the catalogs (``t(key)``); a text in another locale
than the page's gets ``lang`` (``lang_of(locale)``), so a screen reader reads Bokmål as
Bokmål on a Nynorsk page. Scripts and styles are files with versioned URLs
(``static(name)``): the page's CSP forbids inline script.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from contentapi.i18n import Catalogs, LocaleChain
from contentapi.static_assets import STATIC_DIR, asset_version

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates' environment: autoescape on for every template, undefined is an error."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = static_url
    return env


def static_url(name: str) -> str:
    """``/static/<name>?v=<version>``: kept by browsers for a year, new when it changes."""
    return f"/static/{name}?v={asset_version(STATIC_DIR / name)}"


def render(
    template: str, catalogs: Catalogs, chain: LocaleChain, site_name_key: str, **values: Any
) -> str:
    """``template`` rendered for the page's locale (the head of ``chain``)."""
    locale = chain.requested

    def t(key: str) -> str:
        found = catalogs.lookup(key, chain)
        return found.text if found else key  # a missing key shows itself: i18n check finds it

    def lang_of(code: str | None) -> Markup:
        """`` lang="nb"`` for a text in another locale than the page's, else nothing."""
        return Markup(' lang="{}"').format(code) if code and code != locale else Markup("")

    return (
        environment()
        .get_template(template)
        .render(locale=locale, t=t, lang_of=lang_of, site_name=t(site_name_key), **values)
    )
