"""Security headers on every answer: CSP, ``nosniff``, no framing, a referrer policy.

Pages get a policy that lets them load only this server's own scripts (no inline script
anywhere); everything else (JSON, media, scripts, styles) gets ``default-src 'none'``, so a
file opened on its own can run nothing. GraphiQL's page allows inline *styles*: its
dialogs (react-remove-scroll) add ``<style>`` elements and CodeMirror's search box carries
``style`` attributes; its scripts are as strict as the reader page's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_PAGE = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'{media}; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
GRAPHIQL_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
GRAPHIQL_PATHS = ("/graphql", "/static/playground.html")
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def page_policy(public_url: str | None) -> str:
    """The reader page's policy; its images may come from ``public_url`` (a CDN)."""
    media = ""
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme and parts.netloc:
            media = f" {parts.scheme}://{parts.netloc}"
    return _PAGE.format(media=media)


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer that does not set its own."""

    def __init__(self, app: ASGIApp, public_url: str | None = None) -> None:
        self.app = app
        self.page_policy = page_policy(public_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw += [pair for pair in _COMMON_RAW if pair[0] not in present]
                if b"content-security-policy" not in present:
                    policy = self.policy(path, _content_type(raw))
                    raw.append((b"content-security-policy", policy.encode()))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, with_headers)

    def policy(self, path: str, content_type: bytes) -> str:
        """The CSP for an answer at ``path``: by its content type, then by the page."""
        if not content_type.startswith(b"text/html"):
            return API_POLICY
        return GRAPHIQL_POLICY if path in GRAPHIQL_PATHS else self.page_policy


_COMMON_RAW = [(name.encode(), value.encode()) for name, value in COMMON.items()]


def _content_type(raw: list[tuple[bytes, bytes]]) -> bytes:
    return next((value.lower() for name, value in raw if name.lower() == b"content-type"), b"")
