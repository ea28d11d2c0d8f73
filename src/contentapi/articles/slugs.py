"""Slugs: lowercase ``[a-z0-9-]``, made from the title when none is given.

Norwegian letters are spelled out the way Norwegian URLs usually do it:
æ -> ae, ø -> o, å -> aa; other accents are dropped (é -> e), anything else
becomes a hyphen.
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# letters that do not decompose to ASCII; Norwegian first, then Sámi and a few others
_SPELLED = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "aa", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l", "þ": "th"}
)


def slugify(text: str) -> str:
    """``"Innovasjonspris til Træna kommune"`` -> ``"innovasjonspris-til-traena-kommune"``."""
    text = unicodedata.normalize("NFC", text).lower().translate(_SPELLED)
    # accents come off in NFKD; what is left under them (ǽ -> æ) is spelled out too
    text = unicodedata.normalize("NFKD", text).translate(_SPELLED)
    text = text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def is_valid_slug(slug: str) -> bool:
    """True for a slug this API would accept."""
    return len(slug) <= MAX_SLUG_LENGTH and bool(SLUG.match(slug))
