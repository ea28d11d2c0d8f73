"""One error vocabulary for the whole app; nothing here knows GraphQL."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable codes clients can branch on (``extensions.code`` / ``UserError.code``)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    UNKNOWN_LOCALE = "UNKNOWN_LOCALE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    BAD_REQUEST = "BAD_REQUEST"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"


class DomainError(Exception):
    """An expected failure with a stable code, and the input field it concerns."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        extensions: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.extensions = extensions or {}


class ConfigError(Exception):
    """The configuration (environment, locale files) cannot be used; raised at start."""
