"""The sitemap and the per-locale feeds: XML for crawlers and feed readers.

Both name pages of the public site (``CONTENTAPI_PUBLIC_SITE_URL``, see
:mod:`contentapi.site_urls`); without that setting they are not served (404).
"""

from __future__ import annotations

from starlette.routing import Route

from contentapi.runtime import Runtime
from contentapi.syndication import feeds, sitemap


def routes(runtime: Runtime) -> list[Route]:
    """``/sitemap.xml``, ``/sitemap-{n}.xml`` and ``/feeds/{locale}.xml``."""
    return [*sitemap.routes(runtime), *feeds.routes(runtime)]
