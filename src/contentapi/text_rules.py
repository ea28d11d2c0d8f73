"""Which characters text from callers may hold: one rule for every domain and argument.

Refused everywhere (``INVALID_TEXT``):

- C0 controls other than tab, newline and carriage return, DEL and the C1 controls
  (NUL among them: PostgreSQL cannot store it and SQLite's LIKE stops at it);
- the bidirectional embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069), which make text read differently from how it is stored
  ("Trojan Source", CVE-2021-42574). The marks U+200E, U+200F and U+061C change no
  order of what follows and are allowed: mixed-direction text needs them.

Refused in names, titles and other short required texts: a value made only of
invisible characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen) and
white space, with at least one invisible character. White space alone stays "required"
(``REQUIRED``), as before; zero-width characters inside visible text (emoji sequences,
ZWNJ in Persian) are fine.
"""

from __future__ import annotations

import re

from contentapi.errors import DomainError, ErrorCode

# what may never be stored or searched for
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# characters that show nothing by themselves
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_INVISIBLE_OR_SPACE = re.compile(rf"^[\s{INVISIBLE}]*$")


def has_forbidden(text: str) -> bool:
    """True when ``text`` holds a control character or a bidi embedding/override/isolate."""
    return FORBIDDEN.search(text) is not None


def invisible_only(text: str) -> bool:
    """True for text that shows nothing but has an invisible character (not just spaces)."""
    return _INVISIBLE.search(text) is not None and _INVISIBLE_OR_SPACE.match(text) is not None


def blank(text: str) -> bool:
    """True for text that shows nothing at all: empty, white space or invisible only."""
    return _INVISIBLE_OR_SPACE.match(text) is not None


def text_error(field: str, text: str | None, *, shown: bool = False) -> DomainError | None:
    """``INVALID_TEXT`` for ``field`` when ``text`` breaks the rule, else None.

    ``shown``: a name, title or alt text, which must show something (invisible-only is
    refused; white space alone is left to the caller's REQUIRED).
    """
    if not text:
        return None
    if has_forbidden(text):
        reason = "has control or text-direction characters"
    elif shown and invisible_only(text):
        reason = "has only invisible characters"
    else:
        return None
    return DomainError(
        ErrorCode.INVALID_TEXT, f"{field} {reason}", field=field, params={"field": field}
    )
