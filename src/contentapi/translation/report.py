"""The language-use report ("målbruk"): how much is published in each written standard.

Counts translations first published in a period, directly in their locale; content a
reader sees only through fallback does not count for the locale asked for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from contentapi.articles.models import ArticleTranslation
from contentapi.articles.visibility import visible


@dataclass(frozen=True)
class LocaleUse:
    """One locale's part of the period's published content."""

    locale: str
    count: int
    share: float
    words: int
    word_share: float
    meets_minimum: bool


@dataclass(frozen=True)
class LanguageUse:
    """The report for a period."""

    total: int
    total_words: int
    minimum_share: float
    by_locale: list[LocaleUse]


async def language_use(
    locales: tuple[str, ...],
    start: datetime | None,
    end: datetime | None,
    now: datetime,
    minimum_share: float,
) -> LanguageUse:
    """Items and words published per locale in ``[start, end)``, with shares of the total."""
    qs = ArticleTranslation.filter(visible(now))
    if start is not None:
        qs = qs.filter(published_at__gte=start)
    if end is not None:
        qs = qs.filter(published_at__lt=end)
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for locale, text in await qs.values_list("locale", "search_text"):
        counts[str(locale)] += 1
        words[str(locale)] += len(str(text).split())
    total, total_words = sum(counts.values()), sum(words.values())
    rows = []
    for code in locales:
        share = counts[code] / total if total else 0.0
        word_share = words[code] / total_words if total_words else 0.0
        rows.append(
            LocaleUse(code, counts[code], share, words[code], word_share, share >= minimum_share)
        )
    return LanguageUse(total, total_words, minimum_share, rows)
