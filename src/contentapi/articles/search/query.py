"""The query language, parsed once in Python and written out for either database.

A query is words (:mod:`words`); every word must match (AND). ``word*`` matches words
that begin so (``innovasjon*``: Innovasjonsprisen); any other word matches its stem or
itself, and the extra forms of :mod:`inflection`. Stopwords are dropped (not from a
prefix). Nothing of the user's text reaches SQL but words of letters and digits, and
those go as parameters (PostgreSQL) or as quoted strings inside one parameter (FTS5).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from contentapi.articles.search.inflection import variants
from contentapi.articles.search.words import STOPWORDS, WORD, folded, stem

_TERM = re.compile(rf"({WORD.pattern})(\*?)")


@dataclass(frozen=True)
class Term:
    """One word of a query: all of a query's terms must match."""

    word: str  # case-folded
    prefix: bool  # word* : any word that begins with ``word``
    forms: tuple[str, ...]  # the word and its extra forms (empty for a prefix)

    @cached_property
    def keys(self) -> frozenset[str]:
        """The forms and their stems: an indexed word matches when it is one of them."""
        return frozenset((*self.forms, *map(stem, self.forms)))

    def matches(self, word: str, root: str) -> bool:
        """Whether a case-folded word of a text (with its stem) matches this term."""
        if self.prefix:
            return word.startswith(self.word) or root.startswith(self.word)
        return word in self.keys or root in self.keys


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query; without terms it matches nothing (and no SQL is sent)."""

    terms: tuple[Term, ...]

    @property
    def key(self) -> str:
        """A short digest of the terms, tying a cursor to its query."""
        text = " ".join(t.word + ("*" if t.prefix else "") for t in self.terms)
        return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()

    def fts5(self) -> str:
        """The FTS5 MATCH expression (one parameter): quoted strings, OR, AND."""
        parts = []
        for term in self.terms:
            if term.prefix:
                parts.append(f"{_quoted(term.word)}*")
            else:
                parts.append("(" + " OR ".join(map(_quoted, sorted(term.keys))) + ")")
        return " AND ".join(parts)

    def tsquery(self) -> tuple[str, list[str]]:
        """A PostgreSQL tsquery expression with ``?`` placeholders, and its parameters.

        A word: its forms stemmed by the ``norwegian`` configuration or as they are
        (``simple``); a prefix: ``word:*`` in ``simple``. The index holds both kinds.
        """
        parts: list[str] = []
        params: list[str] = []
        for term in self.terms:
            if term.prefix:
                parts.append("to_tsquery('simple', ?)")
                params.append(f"{term.word}:*")
            else:
                forms = " | ".join(term.forms)  # words of letters and digits: no operators
                parts.append("(to_tsquery('norwegian', ?) || to_tsquery('simple', ?))")
                params += [forms, forms]
        return " && ".join(parts), params


def parse(text: str) -> SearchQuery:
    """The terms of a query text, in order, without repeats or stopwords."""
    terms: dict[tuple[str, bool], Term] = {}
    for match in _TERM.finditer(folded(text)):
        word, prefix = match[1], bool(match[2])
        if not prefix and word in STOPWORDS:
            continue
        forms = () if prefix else (word, *variants(word))
        terms.setdefault((word, prefix), Term(word, prefix, forms))
    return SearchQuery(tuple(terms.values()))


def _quoted(word: str) -> str:
    """An FTS5 string: whatever it holds is text, never syntax."""
    return '"' + word.replace('"', '""') + '"'
