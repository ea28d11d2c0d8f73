"""Where a reader page lives: the one function that makes its links.

Every link of the page (canonical, ``hreflang`` alternates, the language switch, the
front-page link of the 404 page) is made here, so that when the configurable public site
URL pattern (``CONTENTAPI_PUBLIC_SITE_URL``, ``contentapi.site_urls``) lands, this is the
only place that changes.
"""

from __future__ import annotations

from urllib.parse import urlencode


def page_url(base: str, locale: str, slug: str | None = None) -> str:
    """The absolute address of the reader page of ``slug`` in ``locale`` (no slug: the
    newest article), e.g. ``https://example.no/?slug=traena&lang=nn``."""
    params = {"slug": slug, "lang": locale} if slug else {"lang": locale}
    return f"{base}/?{urlencode(params)}"
