"""Hot fields that graphql-core resolves directly, without Strawberry's per-field wrapper.

Strawberry wraps every resolver: for each call it builds its own ``Info``, converts the
arguments and runs the field's extensions. That costs a few microseconds, paid about 80
times on a front page of 20 (measured: 15 % of its time). The fields named here have no
field extensions or permission classes, take only arguments of plain scalar types
named the same in Python and in GraphQL, and read nothing of their info but
``context``, which graphql-core's own info has too; so graphql-core may call them as
they are. :func:`resolve_directly` checks each of these conditions when the schema is
built, and a field that stops meeting them stops the build, with its name.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types.base import StrawberryOptional

HOT_FIELDS: tuple[tuple[str, str], ...] = (
    ("Article", "id"),
    ("Article", "body"),
    ("Article", "leadImage"),
    ("Article", "videos"),
    ("Article", "tags"),
    ("Article", "comments"),
    ("Article", "commentCount"),
    ("Article", "commentCountLabel"),
    ("Image", "id"),
    ("Image", "url"),
    ("Video", "id"),
    ("Comment", "id"),
    ("ArticleEdge", "cursor"),
    ("CommentEdge", "cursor"),
)
_SCALARS = (int, str, bool, float)


def resolve_directly(
    schema: strawberry.Schema, fields: tuple[tuple[str, str], ...] = HOT_FIELDS
) -> None:
    """Let graphql-core call these fields' resolvers itself (see the module's doc)."""
    for type_name, field_name in fields:
        definition = schema.get_type_by_name(type_name)
        found = [
            f
            for f in getattr(definition, "fields", ())
            if schema.config.name_converter.get_graphql_name(f) == field_name
        ]
        if not found or found[0].base_resolver is None:
            raise TypeError(f"{type_name}.{field_name}: no such field with a resolver")
        field = found[0]
        resolver = field.base_resolver
        assert resolver is not None
        if field.extensions or field.permission_classes:
            raise TypeError(f"{type_name}.{field_name} has extensions: Strawberry must run it")
        for argument in field.arguments:
            kind = argument.type
            if isinstance(kind, StrawberryOptional):
                kind = kind.of_type
            name = schema.config.name_converter.get_graphql_name(argument)
            if kind not in _SCALARS or argument.python_name != name:
                raise TypeError(f"{type_name}.{field_name}({argument.python_name}) is not plain")
        takes_info = "info" in inspect.signature(resolver.wrapped_func).parameters
        graphql_type = schema._schema.type_map[type_name]
        graphql_type.fields[field_name].resolve = _direct(resolver.wrapped_func, takes_info)  # type: ignore[attr-defined]


def _direct(function: Callable[..., Any], takes_info: bool) -> Callable[..., Any]:
    if takes_info:

        def with_info(source: Any, info: Any, **arguments: Any) -> Any:
            return function(source, info, **arguments)

        return with_info

    def without_info(source: Any, info: Any, **arguments: Any) -> Any:
        return function(source, **arguments)

    return without_info
