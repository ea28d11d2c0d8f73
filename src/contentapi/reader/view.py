"""``GET /``: the reader page, rendered on the server.

``/?slug=<slug>&lang=nn`` shows an article (any locale's slug finds it) in a locale; no
slug: the newest article; no ``lang``: the locale negotiated from ``Accept-Language``.
An unknown ``lang`` (``/?lang=en``) shows the default locale with a notice in it, never
an error; an unknown slug is a real 404 page in the page's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from contentapi.i18n import negotiate, normalize
from contentapi.reader.links import page_url
from contentapi.reader.page import PageSettings, article_page, find_article
from contentapi.reader.render import render
from contentapi.runtime import Runtime

SITE_NAME_KEY = "reader.site_name"
UNKNOWN_LANGUAGE_KEY = "reader.unknown_language"
MAX_LANG_LENGTH = 35


NodeId = Callable[[str, int], str]  # ("Article", 12) -> the API's global id


def reader_endpoint(runtime: Runtime, node_id: NodeId) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of ``/`` for ``runtime``. ``node_id`` writes the API's ids (the app
    hands in the GraphQL layer's), which the script sends to ``postComment`` and
    ``commentApproved``."""
    locales = runtime.locales
    settings = runtime.settings

    async def reader(request: Request) -> Response:
        asked = request.query_params.get("lang")
        notices: list[str] = []
        headers = {"Vary": "Accept-Language"}
        if asked is None:
            locale = negotiate(request.headers.get("accept-language"), locales)
        else:
            found = normalize(asked, locales) if len(asked) <= MAX_LANG_LENGTH else None
            locale = found or locales.default
            if found is None:
                notices.append(UNKNOWN_LANGUAGE_KEY)
        chain = locales.chain(locale)
        base = settings.public_url or str(request.base_url).rstrip("/")
        site = PageSettings(
            catalogs=runtime.catalogs,
            codes=locales.codes,
            default_locale=locales.default,
            time_zone=settings.time_zone,
            base=base,
            site_urls=runtime.site_urls,
        )
        now = runtime.clock()
        found_article = await find_article(
            request.query_params.get("slug"), chain, locales.codes, now
        )
        page = await article_page(site, chain, *found_article, now) if found_article else None
        home = page_url(base, locale)
        if page is None:
            html = render(
                "not_found.html", runtime.catalogs, chain, SITE_NAME_KEY, notices=notices, home=home
            )
            headers["Cache-Control"] = "no-store"
            return HTMLResponse(html, status_code=404, headers=headers)
        html = render(
            "article.html",
            runtime.catalogs,
            chain,
            SITE_NAME_KEY,
            page=page,
            article_id=node_id("Article", page.article_id),
            notices=notices,
            home=home,
        )
        return HTMLResponse(html, headers={**headers, "Content-Language": locale})

    return reader
