"""Reading figures of an article's body: plain text, word count, reading time, excerpt.

Only the body counts (the title and the lead are shown beside it and are not part of
the reading time); a word is a run of characters between spaces that holds a letter or
a digit ("–" alone is none). Reading time is at :data:`WORDS_PER_MINUTE`, rounded up,
at least one minute.
"""

from __future__ import annotations

import math

from contentapi.articles.html import plain_text

WORDS_PER_MINUTE = 200  # an ordinary adult reading Norwegian prose on a screen
ELLIPSIS = "…"
MIN_EXCERPT = 1
MAX_EXCERPT = 1000
DEFAULT_EXCERPT = 200


def words(html: str) -> list[str]:
    """The words of an HTML body's text."""
    return [w for w in plain_text(html).split() if any(c.isalnum() for c in w)]


def word_count(html: str) -> int:
    """How many words the body has."""
    return len(words(html))


def reading_minutes(html: str) -> int:
    """Minutes to read the body at :data:`WORDS_PER_MINUTE`, rounded up; at least 1."""
    return max(1, math.ceil(word_count(html) / WORDS_PER_MINUTE))


def excerpt(html: str, length: int = DEFAULT_EXCERPT) -> str:
    """The body as plain text, at most ``length`` characters (the ellipsis included).

    Markup is stripped and whitespace collapsed; a longer text is cut at the last word
    boundary that leaves room for "…" (a single word longer than that is cut inside it).
    """
    text = plain_text(html)
    if len(text) <= length:
        return text
    room = length - len(ELLIPSIS)
    cut = text[: room + 1]
    boundary = cut.rfind(" ")
    kept = cut[:boundary] if boundary > 0 else text[:room]
    return kept.rstrip(" ,;:.–-") + ELLIPSIS
