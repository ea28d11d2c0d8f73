"""``/sitemap.xml``: every visible translation with its hreflang alternates, streamed.

Up to :data:`URLS_PER_FILE` URLs (the protocol's limit) ``/sitemap.xml`` is the urlset
itself; beyond, it is a sitemap index naming ``/sitemap-1.xml`` ... each holding at most
that many. Rows are read in keyset batches of :data:`BATCH` while the answer is sent
(a Starlette ``StreamingResponse``): never the whole archive in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from math import ceil
from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from contentapi.articles import syndication
from contentapi.runtime import Runtime
from contentapi.site_urls import SiteUrls
from contentapi.syndication.common import NOT_CONFIGURED, absolute, not_found, public_control, utc

URLS_PER_FILE = 50_000  # sitemaps.org: "no more than 50,000 URLs" per file
BATCH = 2000  # translations per statement
MEDIA_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def routes(runtime: Runtime) -> list[Route]:
    """The sitemap's routes."""

    async def index(request: Request) -> Response:
        urls = runtime.site_urls
        if urls is None:
            return not_found(NOT_CONFIGURED)
        now = runtime.clock()
        files = file_count(await syndication.count_visible(now))
        if files <= 1:
            return _stream(runtime, _urlset(runtime, urls, 0))
        settings = runtime.settings
        locs = [absolute(settings, request, f"sitemap-{n}.xml") for n in range(1, files + 1)]
        return _stream(runtime, _index(locs))

    async def part(request: Request) -> Response:
        urls = runtime.site_urls
        if urls is None:
            return not_found(NOT_CONFIGURED)
        number = int(request.path_params["number"])
        files = max(1, file_count(await syndication.count_visible(runtime.clock())))
        if not 1 <= number <= files:
            return not_found(f"No sitemap {number}: there are {files}")
        return _stream(runtime, _urlset(runtime, urls, number - 1))

    return [Route("/sitemap.xml", index), Route("/sitemap-{number:int}.xml", part)]


def file_count(urls: int) -> int:
    """How many urlset files ``urls`` URLs take (0 for none)."""
    return ceil(urls / URLS_PER_FILE)


def _stream(runtime: Runtime, body: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(
        _encoded(body),
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": public_control(runtime.settings)},
    )


async def _encoded(parts: AsyncIterator[str]) -> AsyncIterator[bytes]:
    async for text in parts:
        yield text.encode()


async def _index(locs: list[str]) -> AsyncIterator[str]:
    yield f'{_HEAD}<sitemapindex xmlns="{SITEMAP_NS}">\n'
    for loc in locs:
        yield f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n"
    yield "</sitemapindex>\n"


async def _urlset(runtime: Runtime, urls: SiteUrls, file: int) -> AsyncIterator[str]:
    """File ``file`` (from 0) of the urlset, a batch of ``<url>`` at a time."""
    codes = runtime.locales.codes
    now = runtime.clock()
    yield f'{_HEAD}<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
    batches = syndication.sitemap_entries(now, file * URLS_PER_FILE, URLS_PER_FILE, BATCH)
    async for batch in batches:
        chunk = []
        for entry in batch:
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(a.locale)} '
                f"href={quoteattr(a.url)}/>"
                for a in urls.alternates(entry.slugs, codes)
            )
            chunk.append(
                f"<url><loc>{escape(urls.url(entry.locale, entry.slug))}</loc>"
                f"<lastmod>{utc(entry.updated_at).isoformat()}</lastmod>{links}</url>\n"
            )
        yield "".join(chunk)
    yield "</urlset>\n"
