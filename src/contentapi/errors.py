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
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_TAGS = "TOO_MANY_TAGS"
    INVALID_SLUG = "INVALID_SLUG"
    SLUG_TAKEN = "SLUG_TAKEN"
    MISSING_CONTENT = "MISSING_CONTENT"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INVALID_TEXT = "INVALID_TEXT"
    INVALID_EMAIL = "INVALID_EMAIL"
    COMMENTS_CLOSED = "COMMENTS_CLOSED"
    DUPLICATE = "DUPLICATE"
    UNAVAILABLE = "UNAVAILABLE"
    UNSUPPORTED_MEDIA = "UNSUPPORTED_MEDIA"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    MISSING_ALT_TEXT = "MISSING_ALT_TEXT"
    IN_USE = "IN_USE"
    INVALID_URL = "INVALID_URL"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"  # send the query's text too
    PERSISTED_QUERY_REQUIRED = "PERSISTED_QUERY_REQUIRED"  # only known queries are run here
    TIMEOUT = "TIMEOUT"  # the request took longer than its time; its work was cancelled
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"


class DomainError(Exception):
    """An expected failure with a stable code, and the input field it concerns."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        extensions: dict[str, object] | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message  # English; the API layer may give it in the reader's locale
        self.field = field
        self.extensions = extensions or {}
        self.params = params or {}  # fills %(name)s in a translated message


def not_found(what: str, field: str = "id") -> DomainError:
    """The error for something that does not exist (or is deleted)."""
    return DomainError(ErrorCode.NOT_FOUND, f"No such {what}", field=field, params={"what": what})


class DomainErrors(Exception):
    """Several expected failures found at once (e.g. every invalid field of an input)."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class ConfigError(Exception):
    """The configuration (environment, locale files) cannot be used; raised at start."""
