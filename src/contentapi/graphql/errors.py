"""GraphQL errors: every error leaves with ``extensions.code``; no traceback leaves at all.

Domain errors keep their code and message. Limits on query size become
QUERY_TOO_COMPLEX, other parse and validation errors BAD_REQUEST, and anything
unexpected is logged in full and sent as INTERNAL_ERROR with a fixed message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from contentapi.errors import DomainError, ErrorCode

logger = logging.getLogger("contentapi.errors")

INTERNAL_MESSAGE = "Internal error; it has been logged."
_TOO_COMPLEX_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found. Allowed",
    "Document contains more than",
    "Maximum introspection depth exceeded",
)


def coded_error(
    error: GraphQLError,
    code: ErrorCode,
    message: str | None = None,
    extra: dict[str, object] | None = None,
) -> GraphQLError:
    """A copy of ``error`` with ``extensions.code`` and without its original exception."""
    return GraphQLError(
        message if message is not None else error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(extra or {}), "code": code.value},
    )


def classify(error: GraphQLError) -> GraphQLError:
    """Give one error its code, masking what was not meant for clients."""
    original = error.original_error
    if isinstance(original, DomainError):
        extra: dict[str, object] = dict(original.extensions)
        if original.field:
            extra["field"] = original.field
        return coded_error(error, original.code, original.message, extra)
    if isinstance(original, GraphQLError) and original is not error:
        return classify(original)
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        if any(marker in error.message for marker in _TOO_COMPLEX_MARKERS):
            return coded_error(error, ErrorCode.QUERY_TOO_COMPLEX)
        return coded_error(error, ErrorCode.BAD_REQUEST)
    if isinstance(error, GraphQLSyntaxError):
        return coded_error(error, ErrorCode.BAD_REQUEST)
    logger.error(
        "Unexpected error in %s",
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return coded_error(error, ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE)


class ErrorCodes(SchemaExtension):
    """Runs :func:`classify` over every error of every result."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        # ExecutionResult, graphql-core's result or PreExecutionError: all carry .errors
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [classify(e) for e in errors]  # type: ignore[union-attr]
