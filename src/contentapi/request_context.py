"""The HTTP request being answered: its id, its operation, whether a kept answer served it,
the error codes it answered with and the SQL it sent, for log records and metrics.

The edge (``edge.py``) sets one :class:`RequestInfo` per request in a context variable;
whoever learns something about the request notes it there (the view its operation, the
response cache a hit, a refusal its code) and ``sql.py`` counts the statements. Outside a
request (background jobs, the command line) there is none and every note does nothing.
"""

from __future__ import annotations

import re
import time
from contextvars import ContextVar

ANONYMOUS = "anonymous"  # an operation without a name
INVALID = "invalid"  # a name that is not a GraphQL name, or too long to be a real one
MAX_OPERATION_NAME = 64
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class RequestInfo:
    """What is known about one request so far."""

    __slots__ = (
        "_running",
        "_since",
        "cache",
        "errors",
        "id",
        "method",
        "operation",
        "path",
        "sql_seconds",
        "statements",
    )

    def __init__(self, request_id: str, method: str, path: str) -> None:
        self.id = request_id
        self.method = method
        self.path = path  # without the query string
        self.operation: str | None = None  # the GraphQL operation's name (see operation_name)
        self.cache: str | None = None  # "hit" or "miss" when the response cache was asked
        self.errors: list[str] | None = None  # error codes answered, in order
        self.statements = 0  # SQL statements sent
        self.sql_seconds = 0.0  # time during which at least one of them was running
        self._running = 0
        self._since = 0.0

    def statement_started(self) -> None:
        """A statement was handed to the database."""
        self.statements += 1
        self._running += 1
        if self._running == 1:
            self._since = time.perf_counter()

    def statement_ended(self) -> None:
        """A statement finished (statements run side by side are counted once in time)."""
        if self._running:
            self._running -= 1
            if not self._running:
                self.sql_seconds += time.perf_counter() - self._since


CURRENT: ContextVar[RequestInfo | None] = ContextVar("contentapi_request", default=None)


def current() -> RequestInfo | None:
    """The request being answered in this context, if any."""
    return CURRENT.get()


def note_error(code: str) -> None:
    """The answer carries an error with this code."""
    info = CURRENT.get()
    if info is not None:
        if info.errors is None:
            info.errors = [code]
        else:
            info.errors.append(code)


def note_operation(name: str) -> None:
    """The GraphQL operation this request runs (already passed through operation_name)."""
    info = CURRENT.get()
    if info is not None:
        info.operation = name


def note_cache(hit: bool) -> None:
    """The response cache was asked: it had the answer, or not."""
    info = CURRENT.get()
    if info is not None:
        info.cache = "hit" if hit else "miss"


def operation_name(name: str | None) -> str:
    """An operation's name as logs and metrics show it: names come from callers, so only a
    GraphQL name of at most :data:`MAX_OPERATION_NAME` characters is taken as it is."""
    if name is None:
        return ANONYMOUS
    if len(name) > MAX_OPERATION_NAME or _NAME.fullmatch(name) is None:
        return INVALID
    return name
