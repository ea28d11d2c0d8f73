"""Look-ahead: which fields a query selects below the field being resolved.

A list resolver uses it to load, for the whole page at once, only what will be read.
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
)


def selected(info: strawberry.Info[Any, Any], *path: str) -> frozenset[str]:
    """Names of the fields selected under ``path`` (e.g. "edges", "node") of this field."""
    raw = info._raw_info  # graphql-core's own info: the AST of this field's selection
    nodes: list[FieldNode] = list(raw.field_nodes)
    for name in path:
        nodes = [
            f
            for node in nodes
            for f in _fields(node.selection_set, raw.fragments)
            if f.name.value == name
        ]
    return frozenset(
        f.name.value for node in nodes for f in _fields(node.selection_set, raw.fragments)
    )


def _fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)
