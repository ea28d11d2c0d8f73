"""Security headers on every answer (the edge, ``edge.py``, adds them): CSP, ``nosniff``,
no framing, a referrer policy.

Pages get a policy that lets them load only this server's own scripts (no inline script
anywhere), and film clips (``<video>`` and its captions ``<track>``) from here or any
https address, where editors link their video files; everything else (JSON, media,
scripts, styles) gets ``default-src 'none'``, so a file opened on its own can run
nothing. GraphiQL's page allows inline *styles*: its dialogs (react-remove-scroll) add
``<style>`` elements and CodeMirror's search box carries ``style`` attributes; its
scripts are as strict as the reader page's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_PAGE = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'{media}; "
    "media-src 'self' https:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
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


class SecurityPolicy:
    """The headers for every HTTP answer that does not set its own (the edge adds them)."""

    def __init__(self, public_url: str | None = None) -> None:
        self.page_policy = page_policy(public_url).encode()

    def extend(self, raw: list[tuple[bytes, bytes]], path: str) -> None:
        """Add the headers an answer at ``path`` lacks to its ``raw`` headers."""
        content_type = b""
        present: set[bytes] = set()
        for name, value in raw:  # one pass: this runs for every answer (names: lower case)
            if name == b"content-type":
                content_type = value.lower()
            elif name in _OURS:
                present.add(name)
        if not present:
            raw += _COMMON_RAW
        else:
            raw += [pair for pair in _COMMON_RAW if pair[0] not in present]
        if b"content-security-policy" not in present:
            raw.append((b"content-security-policy", self.policy(path, content_type)))

    def policy(self, path: str, content_type: bytes) -> bytes:
        """The CSP for an answer at ``path``: by its content type, then by the page."""
        if not content_type.startswith(b"text/html"):
            return _API_POLICY
        return _GRAPHIQL_POLICY if path in GRAPHIQL_PATHS else self.page_policy


_API_POLICY = API_POLICY.encode()
_GRAPHIQL_POLICY = GRAPHIQL_POLICY.encode()
_COMMON_RAW = [(name.encode(), value.encode()) for name, value in COMMON.items()]
_OURS = frozenset([*(name for name, _ in _COMMON_RAW), b"content-security-policy"])
