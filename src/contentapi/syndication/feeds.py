"""``/feeds/{locale}.xml``: RSS 2.0 of a locale's newest articles, written in that locale.

A feed in nn holds only nn translations: no fallback content (a reader who follows
the nynorsk feed asked for nynorsk). Each item: title, link (the canonical URL), a
guid that survives a changed slug, pubDate, ``atom:updated``, the lead as plain text
and ``dc:language``; the channel names its language too.
"""

from __future__ import annotations

from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contentapi.articles import syndication
from contentapi.cache.http import not_modified
from contentapi.cache.store import strong_etag
from contentapi.runtime import Runtime
from contentapi.site_urls import SiteUrls
from contentapi.syndication.common import NOT_CONFIGURED, absolute, not_found, public_control, utc

ITEMS = 50  # the newest this many
MEDIA_TYPE = "application/rss+xml; charset=utf-8"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"  # dc:language: each item says its language


def routes(runtime: Runtime) -> list[Route]:
    """The feeds' route."""

    async def feed(request: Request) -> Response:
        locale = request.path_params["locale"]
        if locale not in runtime.locales.codes:
            known = ", ".join(runtime.locales.codes)
            return not_found(f"No feed for {locale!r}: the locales are {known}")
        urls = runtime.site_urls
        if urls is None:
            return not_found(NOT_CONFIGURED)
        items = await syndication.feed_items(locale, runtime.clock(), ITEMS)
        self_url = absolute(runtime.settings, request, f"feeds/{locale}.xml")
        body = render(runtime, urls, locale, items, self_url).encode()
        etag = strong_etag(body)
        headers = {"Cache-Control": public_control(runtime.settings), "ETag": etag}
        if not_modified(request, etag):  # a feed reader polling with If-None-Match
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=MEDIA_TYPE, headers=headers)

    return [Route("/feeds/{locale}.xml", feed)]


def render(
    runtime: Runtime,
    urls: SiteUrls,
    locale: str,
    items: list[syndication.FeedItem],
    self_url: str,
) -> str:
    """The RSS 2.0 document."""
    home = urls.home(locale)
    name = runtime.locales.info(locale).name  # "norsk nynorsk"
    title = f"{urlsplit(home).hostname} – {name}"
    newest = max((item.updated_at for item in items), default=None)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<rss version="2.0" xmlns:atom="{ATOM_NS}" xmlns:dc="{DC_NS}">\n<channel>\n',
        f"<title>{escape(title)}</title>\n<link>{escape(home)}</link>\n",
        f"<description>{escape(f'{name}: {home}')}</description>\n",
        f"<language>{escape(locale)}</language>\n",
        f'<atom:link href={quoteattr(self_url)} rel="self" type="application/rss+xml"/>\n',
    ]
    if newest is not None:
        built = format_datetime(utc(newest), usegmt=True)
        parts.append(f"<lastBuildDate>{built}</lastBuildDate>\n")
    for item in items:
        parts.append(
            "<item>"
            f"<title>{escape(item.title)}</title>"
            f"<link>{escape(urls.url(item.locale, item.slug))}</link>"
            f'<guid isPermaLink="false">{escape(guid(item))}</guid>'
            f"<pubDate>{format_datetime(utc(item.published_at), usegmt=True)}</pubDate>"
            f"<atom:updated>{utc(item.updated_at).isoformat()}</atom:updated>"
            f"<description>{escape(item.summary)}</description>"
            f"<dc:language>{escape(item.locale)}</dc:language>"
            "</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def guid(item: syndication.FeedItem) -> str:
    """The item's lasting id: article and locale, not the slug (which may change)."""
    return f"contentapi:article:{item.article_id}:{item.locale}"
