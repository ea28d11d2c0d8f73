"""Log hygiene: what callers sent reaches the log escaped, capped, redacted and on one line;
one access record per request; text or JSON lines.

A record's message (with its arguments filled in) and its exception text are rewritten
before any handler formats them: control characters (ESC among them, so no ANSI
colours), bidi controls and line separators are shown escaped (``\\x1b``, ``\\n``,
``\\u202e``), so a value cannot forge a line or a "CRITICAL"; the message is cut to
2,000 characters. A traceback keeps its frames (file, line, function, code) but each
exception's own text, which is where request values end up ("Length of 'xxx...'"), is
cut to 200 characters, and the whole exception text to 6,000. E-mail addresses, bearer
credentials and API tokens are replaced wherever they appear. One record, one line.

With ``CONTENTAPI_LOG_FORMAT=json`` every line is one JSON object: ``time``, ``level``,
``logger``, ``message``, ``request_id`` (and ``method``, ``path``) inside a request, an
access record's fields, ``exception``. Nothing logs query strings, variables, bodies,
headers or tokens: the access record holds the path without its query string.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal, TextIO

import orjson

from contentapi.request_context import CURRENT, RequestInfo

MAX_MESSAGE = 2000
MAX_EXCEPTION_MESSAGE = 200
MAX_EXCEPTION_TEXT = 6000
LOGGERS = ("contentapi",)  # our own; the handler installed here serves them all
EXTRA_LOGGERS = ("uvicorn.error",)  # uvicorn logs exceptions of the app there
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS_LOGGER = "contentapi.access"  # one record per HTTP request
MAX_PATH = 200  # characters of a request path in the access record
LogFormat = Literal["text", "json"]

# C0, DEL, C1, the line and paragraph separators, bidi embeddings/overrides/isolates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_DONE = "_contentapi_safe"  # a record already rewritten (several filters may see it)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


# what must never reach a log, wherever it turns up (a database error quoting a row, say)
_SECRET = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<bearer>(?i:bearer)\s+[^\s,;\"']+)"
    r"|(?P<token>cat_[A-Za-z0-9_-]{6,})"  # auth.tokens.TOKEN_PREFIX; its 4-character prefix stays
)


def _hide(match: re.Match[str]) -> str:
    if match["email"]:
        return "[e-mail]"
    if match["bearer"]:
        return "Bearer [redacted]"
    return "cat_[redacted]"


def redact(text: str) -> str:
    """``text`` with e-mail addresses, bearer credentials and API tokens replaced."""
    if "@" not in text and "cat_" not in text and "earer" not in text:
        return text  # almost every message: no regular expression run
    return _SECRET.sub(_hide, text)


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
        record.msg, record.args = redact(escape(message)), None
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, exc, tb = record.exc_info
            text = format_exception((exc_type or type(exc), exc, tb))
            record.exc_text = redact(escape(text, MAX_EXCEPTION_TEXT))
        elif record.exc_text:
            record.exc_text = redact(escape(record.exc_text, MAX_EXCEPTION_TEXT))
        if record.stack_info:
            record.stack_info = redact(escape(record.stack_info, MAX_EXCEPTION_TEXT))
        setattr(record, _DONE, True)
        return True


class SafeFormatter(logging.Formatter):
    """A formatter that writes each record safely on one line, whoever logged it; inside
    a request the line ends with its ``request_id``."""

    def __init__(self, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._safe = SafeRecords()
        self._second, self._stamp = -1, ""

    def format(self, record: logging.LogRecord) -> str:
        """The record on one line (see :class:`SafeRecords`)."""
        self._safe.filter(record)
        text = super().format(record).replace("\n", " | ")  # exception text: after a newline
        info = CURRENT.get()
        return text if info is None else f"{text} request_id={info.id}"

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """As the logging module writes it, the date and time made once a second."""
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        if second != self._second:
            self._second, self._stamp = (
                second,
                time.strftime("%Y-%m-%d %H:%M:%S", self.converter(second)),
            )
        return f"{self._stamp},{int(record.msecs):03d}"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the request's fields."""

    def __init__(self) -> None:
        super().__init__()
        self._safe = SafeRecords()
        self._second, self._stamp = -1, ""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON, made safe first (see :class:`SafeRecords`)."""
        self._safe.filter(record)
        second = int(record.created)
        if second != self._second:  # the date and time made once a second
            self._second = second
            self._stamp = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        entry: dict[str, object] = {
            "time": f"{self._stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        access = getattr(record, "access", None)
        if isinstance(access, dict):
            entry.update(access)
        else:
            info = CURRENT.get()
            if info is not None:
                entry["request_id"] = info.id
                entry["method"] = info.method
                entry["path"] = escape(info.path, MAX_PATH)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return orjson.dumps(entry, default=str).decode()


_access = logging.getLogger(ACCESS_LOGGER)


def log_access(info: RequestInfo, route: str, status: int, seconds: float) -> None:
    """The access record of a finished request (when ``contentapi.access`` logs INFO).

    It runs for every request, so it skips what the logging module does for a record it
    has to work out: the caller's frame, the message's formatting and its escaping (the
    path is escaped and redacted here; the rest are numbers, route templates and
    operation names already made safe)."""
    if not _access.isEnabledFor(logging.INFO):
        return
    milliseconds = round(seconds * 1000, 2)
    path = redact(escape(info.path, MAX_PATH))
    message = (
        f"{info.method} {path} {status} {milliseconds:.2f} ms route={route} "
        f"operation={info.operation or '-'} cache={info.cache or '-'} sql={info.statements}"
    )
    fields = {
        "request_id": info.id,
        "method": info.method,
        "path": path,
        "route": route,
        "status": status,
        "duration_ms": milliseconds,
        "operation": info.operation,
        "cache": info.cache,
        "sql_statements": info.statements,
    }
    record = _access.makeRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 0, message, (), None, extra={"access": fields}
    )
    setattr(record, _DONE, True)
    _access.handle(record)


def install_for(log_format: LogFormat, access_log: bool) -> logging.Handler:
    """:func:`install` for a serving process: the command line's basic root handler is
    dropped first (it would print every record a second time)."""
    logging.getLogger().handlers.clear()
    return install(log_format=log_format, access_log=access_log)


def install(
    level: int = logging.INFO,
    stream: TextIO | None = None,
    extra_loggers: Iterable[str] = EXTRA_LOGGERS,
    log_format: LogFormat = "text",
    access_log: bool = True,
) -> logging.Handler:
    """Log the app's loggers (``contentapi.*``) to ``stream`` (stderr) safely, one line each.

    Call it once before serving; calling it again replaces the handler it installed.
    Text: the handler serves the app's loggers, and loggers named in ``extra_loggers``
    (uvicorn's error log) get the same rewriting as a filter, whatever handler and format
    they have. JSON: the handler sits on the root logger, so every library's records
    (uvicorn's too, when uvicorn is run with ``log_config=None``) are JSON lines.
    Without ``access_log`` there is no access record (it costs about 10 µs a request).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else SafeFormatter())
    handler.addFilter(SafeRecords())
    handler._contentapi = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for logger in (root, *map(logging.getLogger, LOGGERS)):
        for old in [h for h in logger.handlers if getattr(h, "_contentapi", False)]:
            logger.removeHandler(old)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if log_format != "json":
            logger.addHandler(handler)
        # records still propagate: this handler runs first and rewrites them in place, so
        # a root handler (pytest's caplog, an operator's) sees them made safe too
    if log_format == "json":
        root.addHandler(handler)
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.NOTSET if access_log else logging.WARNING)
    for name in extra_loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SafeRecords) for f in logger.filters):
            logger.addFilter(SafeRecords())
    return handler
