"""The words of search: one tokenizer, the Norwegian stopwords and Snowball stems.

A word is a run of letters and digits (Unicode ``\\w`` without ``_``, which PostgreSQL's
parser and SQLite's unicode61 tokenizer both treat as a separator) in case-folded NFC
text. Stems come from the Snowball Norwegian (Bokmål) stemmer, through PyStemmer on
SQLite; PostgreSQL's ``norwegian`` text search configuration runs the same algorithm.
``norwegian.stop`` is PostgreSQL's copy of the Snowball stopword list (nb and nn).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

import Stemmer

WORD = re.compile(r"[^\W_]+")
STEM_CACHE = 200_000  # distinct words kept stemmed (PyStemmer's cache; its default is 10,000)
STOPWORDS: frozenset[str] = frozenset(
    files(__package__).joinpath("norwegian.stop").read_text(encoding="utf-8").split()
)
# PyStemmer keeps state per instance and is not for concurrent use: everything here runs
# on the event loop's thread
_stemmer = Stemmer.Stemmer("norwegian", STEM_CACHE)
STEMMER = f"snowball-norwegian/pystemmer-{Stemmer.version()}"


def folded(text: str) -> str:
    """``text`` as search compares it: case-folded, in NFC."""
    return unicodedata.normalize("NFC", text.casefold())


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, in order."""
    return WORD.findall(folded(text))


def stem(word: str) -> str:
    """The Snowball Norwegian stem of a case-folded word."""
    found: str = _stemmer.stemWord(word)
    return found


@lru_cache(maxsize=STEM_CACHE)
def indexed(word: str) -> str:
    """What the SQLite index holds for one word: the word, and its stem when that differs."""
    root = stem(word)
    return word if root == word else f"{word} {root}"


def index_text(text: str) -> str:
    """A column of the SQLite index: each word of ``text`` followed by its stem."""
    return " ".join(map(indexed, words(text)))
