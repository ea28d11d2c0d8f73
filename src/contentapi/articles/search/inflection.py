"""A small supplement to the Snowball stemmer, for the forms it does not join (Nynorsk).

Snowball Norwegian is written for Bokmål, yet it joins most Nynorsk inflection (kommunane,
løysingane, offentlege, kasta, publiserte); together with the exact words the index also
holds, agent nouns in -ar meet their forms too (ordførar, ordføraren). What stays apart,
measured in ``tests/api/test_search.py``: the past tense of e-verbs (kjøpte, prøvde,
arbeidde against kjøpe, prøve, arbeide: common in Nynorsk, where most verbs end in -e)
and adjectives whose stem ends in a vowel (nye against ny).

The supplement works on the query only: a query word also looks for these other forms,
each stemmed by the database's own stemmer. Both databases index the same thing as
before and take the same extra forms, so a rule changed here needs no reindexing.
Strong verbs (vedtok, gjekk, sette) are left alone: no suffix rule reaches them.
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiouyæøå")
_OPEN_ENDINGS = frozenset("iyuå")  # ny, fri, tru, blå: adjectives that add a bare -e
MIN_VERB_STEM = 3  # letters before the ending: "side" is no past tense of "si"
# no infinitive ends so: plural nouns (kommunane, finalistene), and -ere verbs, which
# Snowball joins by itself (publisere, publiserte)
_NOT_INFINITIVE = ("ane", "ene", "ere")


@lru_cache(maxsize=4096)
def variants(word: str) -> tuple[str, ...]:
    """Other forms of a case-folded query word to look for as well (maybe none)."""
    found: list[str] = []
    stem = word[:-1]
    if (
        word.endswith("e")
        and not word.endswith(_NOT_INFINITIVE)
        and len(stem) >= MIN_VERB_STEM
        and stem[-1] not in _VOWELS
    ):
        found += [stem + "te", stem + "de"]  # kjøpe -> kjøpte, prøve -> prøvde
    base = word[:-2]
    if word.endswith(("te", "de")) and len(base) >= MIN_VERB_STEM and base[-1] not in _VOWELS:
        found.append(base + "e")  # kjøpte -> kjøpe, arbeidde -> arbeide
    if 2 <= len(word) <= 3 and word[-1] in _OPEN_ENDINGS:
        found.append(word + "e")  # ny -> nye
    if 3 <= len(word) <= 4 and word.endswith("e") and stem[-1] in _OPEN_ENDINGS:
        found.append(stem)  # nye -> ny
    return tuple(form for form in dict.fromkeys(found) if form != word)
