"""GraphQL errors: every error leaves with ``extensions.code``; no traceback leaves at all.

Domain errors keep their code. Limits on query size become QUERY_TOO_COMPLEX, other parse
and validation errors BAD_REQUEST, database faults (locked, read-only, gone, unreachable)
UNAVAILABLE with ``extensions.retryAfter``, and anything unexpected is logged in full and
sent as INTERNAL_ERROR with a fixed message.

Every message is the catalog's (``error.<CODE>.<field>``, else ``error.<CODE>``) in the
request's negotiated locale, filled in by :func:`contentapi.i18n.messages.error_message`
(numbers, sizes and field names written for the locale). The codes a developer meets
(:data:`DEVELOPER_CODES`) also keep the English text, which says exactly what was wrong,
in ``extensions.detail``.
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
from contentapi.i18n.messages import error_message

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

logger = logging.getLogger("contentapi.errors")

INTERNAL_MESSAGE = "Internal error; it has been logged."
# codes whose English text is for developers: kept in extensions.detail
DEVELOPER_CODES = frozenset(
    {
        ErrorCode.BAD_REQUEST,
        ErrorCode.UNKNOWN_LOCALE,
        ErrorCode.QUERY_TOO_COMPLEX,
        ErrorCode.INTERNAL_ERROR,
        ErrorCode.UNAVAILABLE,
    }
)

strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Stable error codes, the same in UserError.code and extensions.code.",
)
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
    ctx: Context | None = None,
) -> GraphQLError:
    """A copy of ``error`` with ``extensions.code`` and without its original exception.

    With ``ctx``, a developer's code gets the catalog's message in the request's locale
    and keeps the English one in ``extensions.detail``.
    """
    text = message if message is not None else error.message
    if code in DEVELOPER_CODES:
        extra = {"detail": text, **(extra or {})}  # a DomainError brings its own
        if ctx is not None:
            text = message_for(ctx, code, text)
    return GraphQLError(
        text,
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
        if original.code in DEVELOPER_CODES:
            extra["detail"] = original.message
        return coded_error(error, original.code, localized(ctx, original), extra)
    if isinstance(original, GraphQLError) and original is not error:
        return classify(original, ctx)
    if original is None:
        if error.extensions and "code" in error.extensions:
            return _localized_coded(error, ctx)
        if any(marker in error.message for marker in _TOO_COMPLEX_MARKERS):
            return coded_error(error, ErrorCode.QUERY_TOO_COMPLEX, ctx=ctx)
        return coded_error(error, ErrorCode.BAD_REQUEST, ctx=ctx)
    if isinstance(error, GraphQLSyntaxError):
        return coded_error(error, ErrorCode.BAD_REQUEST, ctx=ctx)
    if isinstance(original, InvalidOperationTypeError):
        # the only place this happens: a query or mutation sent over a websocket
        return coded_error(
            error,
            ErrorCode.BAD_REQUEST,
            "Websockets carry subscriptions only; send queries and mutations over HTTP",
            ctx=ctx,
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
            ctx,
        )
    logger.error(
        "Unexpected error in %s",
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return coded_error(error, ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE, ctx=ctx)


def _localized_coded(error: GraphQLError, ctx: Context | None) -> GraphQLError:
    """An error that came with its code (e.g. the query cost's QUERY_TOO_COMPLEX): a
    developer's code gets its message from the catalogs, once."""
    extensions = error.extensions or {}
    try:
        code = ErrorCode(str(extensions.get("code")))
    except ValueError:
        return error
    if code not in DEVELOPER_CODES or "detail" in extensions:
        return error  # not a developer's code, or classified already
    extra = {k: v for k, v in extensions.items() if k != "code"}
    return coded_error(error, code, error.message, extra, ctx)


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
    code: ErrorCode = strawberry.field(description="Stable code, e.g. SLUG_TAKEN or CONFLICT.")
    message: str = strawberry.field(description="Message in the request's locale.")
    detail: str | None = strawberry.field(
        default=None,
        description="For BAD_REQUEST, UNKNOWN_LOCALE, QUERY_TOO_COMPLEX, INTERNAL_ERROR and "
        "UNAVAILABLE: what exactly was wrong, in English, for developers.",
    )


def message_for(
    ctx: Context,
    code: ErrorCode,
    english: str,
    field: str | None = None,
    params: dict[str, object] | None = None,
) -> str:
    """The catalog's message for ``code`` (``error.<CODE>.<field>`` where there is one, else
    ``error.<CODE>``) in the request's negotiated locale, with ``params`` filled in;
    ``english`` where no catalog has one whose placeholders the params fill."""
    return error_message(
        ctx.runtime.catalogs,
        ctx.runtime.locales,
        ctx.negotiated_locale,
        code.value,
        english,
        field,
        params,
    )


def localized(ctx: Context | None, error: DomainError) -> str:
    """``error``'s message from the catalogs in the request's locale (see
    :func:`message_for`); its English message without a request."""
    if ctx is None:
        return error.message
    return message_for(ctx, error.code, error.message, error.field, error.params)


def user_errors(ctx: Context, exc: DomainError | DomainErrors) -> list[UserError]:
    """The payload errors for a failed write."""
    errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return [
        UserError(
            field=e.field,
            code=e.code,
            message=localized(ctx, e),
            detail=e.message if e.code in DEVELOPER_CODES else None,
        )
        for e in errors
    ]
