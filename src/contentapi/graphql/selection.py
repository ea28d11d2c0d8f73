"""Look-ahead: which fields a query selects below the field being resolved.

A resolver uses it to load, for all its objects at once, only what will be read.
Fragments (named and inline) count as their fields; a field under ``@include`` or
``@skip`` counts as selected, which at worst loads something that is not shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    value_from_ast_untyped,
)


def selected(info: strawberry.Info[Any, Any], *path: str) -> frozenset[str]:
    """Names of the fields selected under ``path`` (e.g. "edges", "node") of this field."""
    return frozenset(f.name.value for f in _children(info, path))


def arguments(info: strawberry.Info[Any, Any], name: str, *path: str) -> list[dict[str, Any]]:
    """The arguments of each selection of field ``name`` under ``path`` (variables filled in).

    One dict per time the field is selected (aliases can select it with other arguments).
    """
    given: Any = info._raw_info.variable_values  # a dict at run time, whatever the stubs say
    variables = getattr(given, "coerced", given)
    return [
        {arg.name.value: _value(arg.value, variables) for arg in f.arguments or ()}
        for f in _children(info, path)
        if f.name.value == name
    ]


def _value(node: ValueNode, variables: dict[str, Any]) -> Any:
    value = value_from_ast_untyped(node, variables)
    return None if value is Undefined else value  # a variable left out is null


def _children(info: strawberry.Info[Any, Any], path: tuple[str, ...]) -> list[FieldNode]:
    raw = info._raw_info  # graphql-core's own info: the AST of this field's selection
    nodes: list[FieldNode] = list(raw.field_nodes)
    for name in path:
        nodes = [f for node in nodes for f in _fields(node, raw.fragments) if f.name.value == name]
    return [f for node in nodes for f in _fields(node, raw.fragments)]


def _fields(
    node: FieldNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    yield from _in_set(node.selection_set, fragments)


def _in_set(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _in_set(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _in_set(fragment.selection_set, fragments)
