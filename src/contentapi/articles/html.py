"""Article bodies are HTML from a documented allowlist, cleaned with nh3 on the way in."""

from __future__ import annotations

from html import unescape

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "a",
        "figure",
        "figcaption",
        "abbr",
        "q",
        "cite",
    }
)
# no URL attribute but href: nh3 checks the scheme of href, not of e.g. <q cite>
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(html: str) -> str:
    """``html`` with everything outside the allowlist removed (scripts, handlers, js: links)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The words of ``html`` without any markup (for searching)."""
    return unescape(nh3.clean(html, tags=set(), attributes={})).strip()


def search_text(title: str, lead: str | None, body: str) -> str:
    """What search matches against: title, lead and body text, case-folded."""
    return "\n".join((title, lead or "", plain_text(body))).casefold()
