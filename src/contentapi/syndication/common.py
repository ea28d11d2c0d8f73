"""What the sitemap and the feeds answer alike: cache headers, 404s, absolute URLs."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from contentapi.errors import ErrorCode
from contentapi.http_errors import error_body
from contentapi.request_context import note_error
from contentapi.settings import Settings
from contentapi.site_urls import VARIABLE

NOT_CONFIGURED = f"Not served: {VARIABLE} is not set (the public site's URL pattern)"


def public_control(settings: Settings) -> str:
    """``Cache-Control`` of an anonymous read, as the GraphQL answers have it."""
    return (
        f"public, max-age={settings.cache_max_age}, "
        f"stale-while-revalidate={settings.cache_stale_while_revalidate}"
    )


def not_found(message: str) -> Response:
    """A coded JSON 404 (NOT_FOUND), never kept, like the app's other 404s."""
    note_error(ErrorCode.NOT_FOUND.value)
    return Response(
        error_body(message, ErrorCode.NOT_FOUND),
        status_code=404,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def absolute(settings: Settings, request: Request, path: str) -> str:
    """``path`` of this API as an absolute URL: under ``CONTENTAPI_PUBLIC_URL`` when it is
    set, else under the address that was asked (a trusted Host)."""
    base = settings.public_url or str(request.base_url).rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0)
