"""GraphQL errors: every error leaves with ``extensions.code``; no traceback leaves at all.

Domain errors keep their code and message. Limits on query size become
QUERY_TOO_COMPLEX, other parse and validation errors BAD_REQUEST, database faults
(locked, read-only, gone, unreachable) UNAVAILABLE with ``extensions.retryAfter``, and
anything unexpected is logged in full and sent as INTERNAL_ERROR with a fixed message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import strawberry
from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import PreExecutionError

from contentapi import db
from contentapi.errors import DomainError, DomainErrors, ErrorCode

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

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


def classify(error: GraphQLError, ctx: Context | None = None) -> GraphQLError:
    """Give one error its code, masking what was not meant for clients."""
    original = error.original_error
    if isinstance(original, DomainErrors) and original.errors:
        original = original.errors[0]
    if isinstance(original, DomainError):
        extra: dict[str, object] = dict(original.extensions)
        if original.field:
            extra["field"] = original.field
        return coded_error(error, original.code, localized(ctx, original), extra)
    if isinstance(original, GraphQLError) and original is not error:
        return classify(original, ctx)
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        if any(marker in error.message for marker in _TOO_COMPLEX_MARKERS):
            return coded_error(error, ErrorCode.QUERY_TOO_COMPLEX)
        return coded_error(error, ErrorCode.BAD_REQUEST)
    if isinstance(error, GraphQLSyntaxError):
        return coded_error(error, ErrorCode.BAD_REQUEST)
    if isinstance(original, InvalidOperationTypeError):
        # the only place this happens: a query or mutation sent over a websocket
        return coded_error(
            error,
            ErrorCode.BAD_REQUEST,
            "Websockets carry subscriptions only; send queries and mutations over HTTP",
        )
    if db.unavailable(original):
        # a fault of the database, not a bug: once in the log, without a traceback (whose
        # frames would hold request values), and a code the client may retry on
        logger.error(
            "Database unavailable in %s: %s: %s", error.path, type(original).__name__, original
        )
        return coded_error(
            error,
            ErrorCode.UNAVAILABLE,
            db.UNAVAILABLE_MESSAGE,
            {"retryAfter": db.RETRY_AFTER_SECONDS},
        )
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
        ctx = self.execution_context.context
        ctx = ctx if hasattr(ctx, "runtime") else None
        if errors:
            result.errors = [classify(e, ctx) for e in errors]  # type: ignore[union-attr]
        if ctx is not None:  # what the response cache and the HTTP headers need to know
            ctx.hints.errors = bool(errors)
            ctx.hints.executed = result is not None and not isinstance(result, PreExecutionError)
            with contextlib.suppress(Exception):  # no operation in a document that failed
                ctx.hints.operation = self.execution_context.operation_type.value


@strawberry.type(description="An expected failure of a mutation, in the caller's language.")
class UserError:
    """A problem with the input; ``field`` names it, ``code`` is stable."""

    field: str | None = strawberry.field(description="Input field the error is about.")
    code: str = strawberry.field(description="Stable code, e.g. SLUG_TAKEN or CONFLICT.")
    message: str = strawberry.field(description="Message in the request's locale.")


def localized(ctx: Context | None, error: DomainError) -> str:
    """``error``'s message from the catalogs in the request's locale: the key
    ``error.<CODE>.<field>`` where there is one (e.g. a comment's CONFLICT), else
    ``error.<CODE>``."""
    if ctx is None:
        return error.message
    chain = ctx.chain(ctx.negotiated_locale)
    found = None
    if error.field:
        found = ctx.runtime.catalogs.lookup(f"error.{error.code.value}.{error.field}", chain)
    if found is None:
        found = ctx.runtime.catalogs.lookup(f"error.{error.code.value}", chain)
    if found is None:
        return error.message
    text = found.text
    for name, value in error.params.items():
        text = text.replace(f"%({name})s", str(value))
    return text


def user_errors(ctx: Context, exc: DomainError | DomainErrors) -> list[UserError]:
    """The payload errors for a failed write."""
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [UserError(field=e.field, code=e.code.value, message=localized(ctx, e)) for e in errors]
