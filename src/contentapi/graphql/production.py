"""Production mode (``CONTENTAPI_ENV=production``) for anonymous callers: no introspection
(``__schema``, ``__type``; ``__typename`` stays) and no "Did you mean ...?" hints, which
would spell out the schema field by field.

A caller with a valid token sees both as in development. The view checks the token
before the query runs, so the extensions here only read what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule
from strawberry.extensions import SchemaExtension

from contentapi.errors import ErrorCode

# graphql-core's suggestions (pyutils.did_you_mean) always end a message so
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
SUGGESTION = re.compile(r" Did you mean .*\?$", re.DOTALL)


class NoAnonymousIntrospection(ValidationRule):
    """Refuses ``__schema`` and ``__type`` (once each, not every field under them)."""

    def enter_field(self, node: FieldNode, *_args: object) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(
                    f"Introspection ('{node.name.value}') needs a token on this server",
                    node,
                    extensions={"code": ErrorCode.FORBIDDEN.value},
                )
            )


ANONYMOUS_RULES = (NoAnonymousIntrospection,)  # one tuple: the validation cache key


def _anonymous(context: Any) -> bool:
    # a context that is not ours (schema export, tests of the schema alone) is nobody
    return bool(getattr(context, "anonymous", True))


class AnonymousLimits(SchemaExtension):
    """For anonymous callers: introspection refused (a validation rule, so the validation
    cache keeps the two kinds of caller apart by their rules) and suggestions removed
    from every error message."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        anonymous = _anonymous(context.context)
        if anonymous:
            context.validation_rules = context.validation_rules + ANONYMOUS_RULES
        yield
        result = context.result
        errors = getattr(result, "errors", None)
        if anonymous and errors:
            result.errors = [without_suggestion(e) for e in errors]  # type: ignore[union-attr]


def without_suggestion(error: GraphQLError) -> GraphQLError:
    """``error`` without a trailing "Did you mean ...?" (nor the error it wraps: a
    variable's coercion error is reported with its inner message)."""
    message = SUGGESTION.sub("", error.message)
    original = error.original_error
    wrapped = isinstance(original, GraphQLError) and original is not error
    inner = without_suggestion(original) if wrapped else original  # type: ignore[arg-type]
    if message == error.message and inner is original:
        return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=inner,
        extensions=error.extensions,
    )
