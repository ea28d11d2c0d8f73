"""Hot fields skip Strawberry's wrapper only where nothing of it is needed."""

from __future__ import annotations

import pytest

from contentapi.graphql.direct import HOT_FIELDS, resolve_directly
from contentapi.graphql.schema import build_schema
from contentapi.settings import Settings


def test_the_hot_fields_are_resolved_by_graphql_core_itself() -> None:
    schema = build_schema(Settings())
    for type_name, field_name in HOT_FIELDS:
        resolve = schema._schema.type_map[type_name].fields[field_name].resolve  # type: ignore[attr-defined]
        assert resolve.__module__ == "contentapi.graphql.direct", (type_name, field_name)


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        (("Comment", "email"), "has extensions"),  # moderators only: the permission must run
        (("Article", "images"), "is not plain"),  # an enum argument Strawberry converts
        (("Article", "title"), "no such field with a resolver"),  # a plain value already
    ],
)
def test_a_field_that_needs_strawberry_stops_the_build(field: tuple[str, str], reason: str) -> None:
    schema = build_schema(Settings())
    with pytest.raises(TypeError, match=reason):
        resolve_directly(schema, (field,))
