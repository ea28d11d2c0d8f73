"""WebVTT caption files: a strict check of the format before anything is stored.

The W3C WebVTT syntax, checked as a conforming file (not as leniently as a browser
reads one): UTF-8, the ``WEBVTT`` signature, blocks apart by blank lines, NOTE, STYLE and
REGION blocks, and cues whose timings are well formed, end after they start, and start
in order. A file that is not such a file is ``UNSUPPORTED_MEDIA``; one with no cue too
(it would caption nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contentapi.errors import DomainError, ErrorCode

SUFFIX = ".vtt"
CONTENT_TYPE = "text/vtt; charset=utf-8"
MAX_BYTES = 1_000_000  # a two-hour film has some 150 kB of captions
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+(.*))?$")
_SETTING = re.compile(r"^(vertical|line|position|size|align|region):(\S+)$")
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start`` to ``end`` (milliseconds)."""

    start: int
    end: int
    text: str


def _unsupported(why: str, line: int | None = None) -> DomainError:
    where = f" (line {line})" if line is not None else ""
    return DomainError(
        ErrorCode.UNSUPPORTED_MEDIA, f"Not a WebVTT file: {why}{where}", field="file"
    )


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def parse(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file; UNSUPPORTED_MEDIA when it is not one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _unsupported("it is not UTF-8 text") from None
    text = text.removeprefix("\ufeff")
    if _FORBIDDEN.search(text):
        raise _unsupported("it holds control characters")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _SIGNATURE.match(lines[0]):
        raise _unsupported("the first line is not 'WEBVTT'", 1)
    number = 1
    while number < len(lines) and lines[number] != "":  # the header's other lines
        if "-->" in lines[number]:
            raise _unsupported("a cue needs a blank line before it", number + 1)
        number += 1
    cues: list[Cue] = []
    while number < len(lines):
        if lines[number] == "":
            number += 1
            continue
        start_line = number
        block = []
        while number < len(lines) and lines[number] != "":
            block.append(lines[number])
            number += 1
        cues.extend(_block(block, start_line + 1, cues))
    if not cues:
        raise _unsupported("it has no cues")
    return cues


def _block(block: list[str], line: int, cues: list[Cue]) -> list[Cue]:
    """The cue of one block (none for a comment, style or region block)."""
    first = block[0]
    if re.match(r"^NOTE(?:[ \t]|$)", first):
        if any("-->" in part for part in block):
            raise _unsupported("a NOTE may not hold '-->'", line)
        return []
    if first in {"STYLE", "REGION"} or re.match(r"^(?:STYLE|REGION)[ \t]*$", first):
        if cues:
            raise _unsupported(f"{first.strip()} blocks come before the first cue", line)
        if any("-->" in part for part in block):
            raise _unsupported(f"a {first.strip()} block may not hold '-->'", line)
        return []
    timing_at = 0 if "-->" in first else 1
    if timing_at >= len(block):
        raise _unsupported("a cue identifier without a timing line", line)
    match = _TIMING.match(block[timing_at])
    if match is None:
        raise _unsupported("a timing is not 'hh:mm:ss.ttt --> hh:mm:ss.ttt'", line + timing_at)
    start = _ms(*match.group(1, 2, 3, 4))
    end = _ms(*match.group(5, 6, 7, 8))
    if end <= start:
        raise _unsupported("a cue ends before it starts", line + timing_at)
    if cues and start < cues[-1].start:
        raise _unsupported("the cues are not in order of their start", line + timing_at)
    for setting in (match.group(9) or "").split():
        if not _SETTING.match(setting):
            raise _unsupported(f"unknown cue setting {setting[:40]!r}", line + timing_at)
    payload = block[timing_at + 1 :]
    if any("-->" in part for part in payload):
        raise _unsupported("a cue's text may not hold '-->'", line + timing_at + 1)
    return [Cue(start, end, "\n".join(payload))]


def check(data: bytes, max_bytes: int = MAX_BYTES) -> list[Cue]:
    """FILE_TOO_LARGE past ``max_bytes``, UNSUPPORTED_MEDIA when not WebVTT; the cues."""
    if len(data) > max_bytes:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            f"The file is over {max_bytes:,} bytes",
            field="file",
            params={"max_bytes": max_bytes},
        )
    return parse(data)


def render(cues: list[tuple[str, str, str]]) -> bytes:
    """A WebVTT file of ``(start, end, text)`` cues (times as ``mm:ss.ttt``)."""
    blocks = [f"{start} --> {end}\n{text}" for start, end, text in cues]
    return ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode("utf-8")
