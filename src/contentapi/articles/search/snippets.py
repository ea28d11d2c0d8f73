"""Snippets: about 30 words of a result's text around its best match, matches marked.

Made in Python for a page's rows on either database, from the lead and the body's plain
text: the window of :data:`WINDOW` words holding the most of the query's terms (then the
most matches) is shown, each matching word in ``<mark>``, everything else HTML-escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from contentapi.articles.html import plain_text
from contentapi.articles.models import ArticleTranslation
from contentapi.articles.search.query import SearchQuery, Term
from contentapi.articles.search.words import WORD, folded, stem

WINDOW = 30  # words shown
LEAD_IN = 5  # words shown before the first match of the window
MAX_TEXT = 200_000  # characters looked through (a body may hold 500,000)


def snippet(text: str, query: SearchQuery, seen: dict[str, frozenset[int]] | None = None) -> str:
    """HTML of the best window of ``text`` for ``query`` (its start when nothing matches).

    ``seen`` keeps what each word matched, for the texts of one page (words repeat).
    """
    text = text[:MAX_TEXT]
    spans = [m.span() for m in WORD.finditer(text)]
    if not spans:
        return ""
    seen = {} if seen is None else seen
    hits: list[tuple[int, frozenset[int]]] = []  # (word number, the terms it matches)
    for number, (a, b) in enumerate(spans):
        word = text[a:b]
        found = seen.get(word)
        if found is None:
            found = seen[word] = _matched(query.terms, word)
        if found:
            hits.append((number, found))
    start = 0
    if hits:
        start = max(0, min(_best_first(hits) - LEAD_IN, len(spans) - WINDOW))
    end = min(len(spans), start + WINDOW)
    marked = [number for number, _ in hits if start <= number < end]
    out = ["…" if start > 0 else ""]
    position = spans[start][0] if start > 0 else 0
    for number in marked:
        a, b = spans[number]
        out += [escape(text[position:a]), "<mark>", escape(text[a:b]), "</mark>"]
        position = b
    stop = spans[end][0] if end < len(spans) else len(text)
    out.append(escape(text[position:stop].rstrip()))
    if end < len(spans):
        out.append("…")
    return "".join(out)


def _matched(terms: Sequence[Term], word: str) -> frozenset[int]:
    """Which of the terms a word of the text matches (by index)."""
    low = folded(word)
    root = stem(low)
    return frozenset(i for i, term in enumerate(terms) if term.matches(low, root))


def _best_first(hits: Sequence[tuple[int, frozenset[int]]]) -> int:
    """The first match of the window with the most terms, then the most matches.

    Windows start at a match (no better one starts elsewhere); two pointers over the
    matches alone, so a long text with few matches costs little.
    """
    counts: Counter[int] = Counter()
    best, best_first, right = (0, 0), hits[0][0], 0
    for left, (first, _) in enumerate(hits):
        while right < len(hits) and hits[right][0] < first + WINDOW:
            counts.update(hits[right][1])
            right += 1
        score = (sum(1 for n in counts.values() if n > 0), right - left)
        if score > best:
            best, best_first = score, first
        counts.subtract(hits[left][1])
    return best_first


@dataclass(frozen=True)
class Shown:
    """A result's snippet, and the body it came from (the page's body field reads it)."""

    html: str
    body: str


async def snippets(translation_ids: Sequence[int], query: SearchQuery) -> dict[int, Shown]:
    """The snippet of each translation of a page, by id; one statement for them all."""
    ids = list(translation_ids)
    if not ids:
        return {}
    rows = await ArticleTranslation.filter(id__in=ids).values_list("id", "lead", "body")
    found: dict[int, Shown] = {}
    seen: dict[str, frozenset[int]] = {}
    for pk, lead, body in rows:
        text = f"{lead or ''}\n{plain_text(str(body))}"
        found[int(str(pk))] = Shown(snippet(text, query, seen), str(body))
    return found
