"""Log hygiene: what callers sent reaches the log escaped, capped and on one line.

A record's message (with its arguments filled in) and its exception text are rewritten
before any handler formats them: control characters (ESC among them, so no ANSI
colours), bidi controls and line separators are shown escaped (``\\x1b``, ``\\n``,
``\\u202e``), so a value cannot forge a line or a "CRITICAL"; the message is cut to
2,000 characters. A traceback keeps its frames (file, line, function, code) but each
exception's own text, which is where request values end up ("Length of 'xxx...'"), is
cut to 200 characters, and the whole exception text to 6,000. One record, one line.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import TextIO

MAX_MESSAGE = 2000
MAX_EXCEPTION_MESSAGE = 200
MAX_EXCEPTION_TEXT = 6000
LOGGERS = ("contentapi",)  # our own; the handler installed here serves them all
EXTRA_LOGGERS = ("uvicorn.error",)  # uvicorn logs exceptions of the app there
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# C0, DEL, C1, the line and paragraph separators, bidi embeddings/overrides/isolates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_DONE = "_contentapi_safe"  # a record already rewritten (several filters may see it)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line with unsafe characters escaped, cut to about ``limit``."""
    cut = len(text) - limit
    if cut > 0:
        text = f"{text[:limit]}... [{cut} more characters]"
    return _UNSAFE.sub(_escape_one, text)


def _exception_lines(exc: BaseException, seen: set[int]) -> list[str]:
    """Traceback lines of ``exc`` and what caused it, each exception's text capped."""
    seen.add(id(exc))
    lines: list[str] = []
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None and id(cause) not in seen:
        lines += _exception_lines(cause, seen)
        lines.append(
            "The above exception was the direct cause of the following exception:"
            if exc.__cause__ is not None
            else "During handling of the above exception, another exception occurred:"
        )
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):")
        lines += "".join(traceback.format_tb(exc.__traceback__)).rstrip("\n").split("\n")
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in {"builtins", "__main__"}:
        name = f"{module}.{name}"
    try:
        text = str(exc)
    except Exception:  # a __str__ that fails must not take the log down with it
        text = "<unprintable>"
    lines.append(f"{name}: {escape(text, MAX_EXCEPTION_MESSAGE)}" if text else name)
    return lines


def format_exception(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None],
) -> str:
    """An exception as :mod:`traceback` writes it, its messages capped, not yet escaped."""
    return "\n".join(_exception_lines(exc_info[1], set()))


class SafeRecords(logging.Filter):
    """Rewrites each record it sees: message and exception text escaped and capped.

    As a handler's filter it covers every logger whose records reach the handler; as a
    logger's filter, the records made on that logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Make ``record`` safe in place; never drops one."""
        if getattr(record, _DONE, False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # bad arguments for the format: keep the format itself
            message = str(record.msg)
        record.msg, record.args = escape(message), None
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, exc, tb = record.exc_info
            text = format_exception((exc_type or type(exc), exc, tb))
            record.exc_text = escape(text, MAX_EXCEPTION_TEXT)
        elif record.exc_text:
            record.exc_text = escape(record.exc_text, MAX_EXCEPTION_TEXT)
        if record.stack_info:
            record.stack_info = escape(record.stack_info, MAX_EXCEPTION_TEXT)
        setattr(record, _DONE, True)
        return True


class SafeFormatter(logging.Formatter):
    """A formatter that writes each record safely on one line, whoever logged it."""

    def __init__(self, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._safe = SafeRecords()

    def format(self, record: logging.LogRecord) -> str:
        """The record on one line (see :class:`SafeRecords`)."""
        self._safe.filter(record)
        text = super().format(record)
        return text.replace("\n", " | ")  # exception text comes after a newline


def install(
    level: int = logging.INFO,
    stream: TextIO | None = None,
    extra_loggers: Iterable[str] = EXTRA_LOGGERS,
) -> logging.Handler:
    """Log the app's loggers (``contentapi.*``) to ``stream`` (stderr) safely, one line each.

    Call it once before serving; calling it again replaces the handler it installed.
    Loggers named in ``extra_loggers`` (uvicorn's error log) get the same rewriting as
    a filter, whatever handler and format they have.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(SafeFormatter())
    handler.addFilter(SafeRecords())
    handler._contentapi = True  # type: ignore[attr-defined]
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "_contentapi", False)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        # records still propagate: this handler runs first and rewrites them in place, so
        # a root handler (pytest's caplog, an operator's) sees them made safe too
    for name in extra_loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SafeRecords) for f in logger.filters):
            logger.addFilter(SafeRecords())
    return handler
