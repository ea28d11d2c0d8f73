"""Article bodies are HTML from a documented allowlist, cleaned with nh3 on the way in."""

from __future__ import annotations

import re
import unicodedata
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


# elements that end a run of text: their words must not run into the next element's
BLOCK_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "figure", "figcaption"}
)
_BLOCK = re.compile(r"</?(?:{})>".format("|".join(sorted(BLOCK_TAGS))))


def plain_text(html: str) -> str:
    """The words of ``html`` without any markup, on one line (searching, snippets).

    Block elements part words ("<p>Hei</p><p>du</p>" is "Hei du", not "Heidu"); the
    first pass leaves only bare block tags, so a pattern finds them safely.
    """
    blocks = nh3.clean(html, tags=set(BLOCK_TAGS), attributes={}, link_rel=None)
    text = nh3.clean(_BLOCK.sub(" ", blocks), tags=set(), attributes={})
    return " ".join(unescape(text).split())


def search_text(title: str, lead: str | None, body: str) -> str:
    """What search matches against: title, lead and body text, case-folded (NFC).

    Three lines, always in this order: title, lead (maybe empty), body text. The search
    index reads its columns from them (PostgreSQL's generated column with split_part).
    """
    lines = (" ".join(part.split()) for part in (title, lead or "", plain_text(body)))
    return unicodedata.normalize("NFC", "\n".join(lines).casefold())
