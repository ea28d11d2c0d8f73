"""Where a reader page lives: the one function that makes its links.

Every link of the page (canonical, ``hreflang`` alternates, the language switch, the
front-page link of the 404 page) is made here. Canonical and ``hreflang`` links name the
public site's pages where ``CONTENTAPI_PUBLIC_SITE_URL`` is set (``contentapi.site_urls``,
the rule the API's ``canonicalUrl``, the sitemap and the feeds use), else this page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from contentapi.site_urls import SiteUrls


def page_url(base: str, locale: str, slug: str | None = None) -> str:
    """The absolute address of the reader page of ``slug`` in ``locale`` (no slug: the
    newest article), e.g. ``https://example.no/?slug=traena&lang=nn``."""
    params = {"slug": slug, "lang": locale} if slug else {"lang": locale}
    return f"{base}/?{urlencode(params)}"


def public_url(urls: SiteUrls | None, base: str, locale: str, slug: str) -> str:
    """The public page of the translation in ``locale`` with ``slug``: the configured
    site's (``CONTENTAPI_PUBLIC_SITE_URL``), else this reader page."""
    return urls.url(locale, slug) if urls is not None else page_url(base, locale, slug)
