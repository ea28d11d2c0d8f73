"""The query cost limit: what a query may cost, known before anything runs.

Shopify/GitHub style. A field that returns an object costs 1 (a list of objects too: its
size is not known), a scalar or enum costs 0. A connection (a field returning a
``...Connection`` with ``first``/``last``) costs 1, plus its page size times what one
item costs (``edges``/``nodes`` and all below them), plus its other fields once
(``pageInfo``). The page size is ``first`` or ``last``, from the document or the
variables, else the default page size (20), never more than a page may hold (100).
Fragments count where they are spread; selections on several types (``... on Article``
and ``... on Image``) are added up, so the figure is an upper bound.

A list that is not a connection but takes a size (:data:`SIZED_LISTS`: ``related(first:)``)
costs 1 plus its size times what one item costs, like a connection's items.

``articles(first: 20) { edges { node { title } } }`` costs 1 + 20 x (1 + 1) = 41; the
same with ``comments(first: 20) { edges { node { body } } }`` in each node costs 861.

A query over ``max_query_cost`` is refused with ``QUERY_TOO_COMPLEX`` (``extensions.cost``
and ``extensions.maxCost``) before execution. A request with ``"extensions": {"cost":
true}`` gets its cost in the answer's ``extensions``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef
from strawberry.extensions import SchemaExtension

from contentapi.errors import ErrorCode
from contentapi.graphql.relay import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

ITEM_FIELDS = frozenset({"edges", "nodes"})  # what a connection holds once per item
PAGE_ARGUMENTS = ("first", "last")
ASK = "cost"  # the request extension that asks for the cost: {"extensions": {"cost": true}}
CACHED_DOCUMENTS = 256  # as many as the parser cache keeps
# plain lists sized by an argument: (type, field) -> (argument, its default)
SIZED_LISTS: dict[tuple[str, str], tuple[str, int]] = {
    ("Article", "related"): ("first", 5),
}
CACHED_VARIANTS = 32  # page sizes from variables, per document and operation


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation ``operation_name`` of a valid ``document``."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes = _PageSizes(operation, variables or {})
    return _Costing(schema, fragments, sizes).selections(root, operation.selection_set)


def page_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables any ``first``/``last`` of the document names (they change its cost)."""
    found: dict[str, None] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            for node in _fields(definition.selection_set):
                for argument in node.arguments or ():
                    value = argument.value
                    if argument.name.value in PAGE_ARGUMENTS and isinstance(value, VariableNode):
                        found[value.name.value] = None
    return tuple(found)


def _fields(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
            yield from _fields(selection.selection_set)
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


class _PageSizes:
    """``first``/``last`` of a field as a number, variables and their defaults applied."""

    def __init__(self, operation: OperationDefinitionNode, variables: Mapping[str, Any]) -> None:
        self.variables = variables
        self.defaults = {
            d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
        }

    def of(self, node: FieldNode) -> int:
        sizes = [
            self._value(argument.value)
            for argument in node.arguments or ()
            if argument.name.value in PAGE_ARGUMENTS
        ]
        given = [s for s in sizes if s is not None]
        if not given:
            return DEFAULT_PAGE_SIZE
        # out of range is refused by the field itself, with a clearer message than ours
        return max(0, min(max(given), MAX_PAGE_SIZE))

    def of_list(self, node: FieldNode, argument: str, default: int) -> int:
        """The size a sized list's ``argument`` gives (its default when not given)."""
        given = [self._value(a.value) for a in node.arguments or () if a.name.value == argument]
        size = given[0] if given and given[0] is not None else default
        return max(0, min(size, MAX_PAGE_SIZE))

    def _value(self, value: ValueNode | None) -> int | None:
        if isinstance(value, VariableNode):
            name = value.name.value
            if name in self.variables:
                given = self.variables[name]
                return given if isinstance(given, int) and not isinstance(given, bool) else None
            return self._value(self.defaults.get(name))
        if isinstance(value, IntValueNode):
            return int(value.value)
        if value is None or isinstance(value, NullValueNode):
            return None
        return None


@dataclass
class _Costing:
    """One walk over a valid document (fragments are costed once each)."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    sizes: _PageSizes
    _spread: dict[str, int] = field(default_factory=dict)

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(
                    self._condition(selection, parent), selection.selection_set
                )
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        if name not in self._spread:
            definition = self.fragments[name]
            parent = self.schema.get_type(definition.type_condition.name.value)
            self._spread[name] = self.selections(parent, definition.selection_set) if parent else 0
        return self._spread[name]

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> int:
        if node.selection_set is None:
            return 0  # scalars, enums, __typename
        definition = _definition(self.schema, parent, node.name.value)
        if definition is None:
            return 0
        target = get_named_type(definition.type)
        sized = SIZED_LISTS.get((parent.name, node.name.value))
        if sized is not None:
            size = self.sizes.of_list(node, *sized)
            return 1 + size * self.selections(target, node.selection_set)
        if not _is_connection(target, definition):
            return 1 + self.selections(target, node.selection_set)
        items, once = self._split(target, node.selection_set)
        return 1 + self.sizes.of(node) * items + once

    def _split(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> tuple[int, int]:
        """What a connection's selection costs per item, and once."""
        items = once = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost = self.field(parent, selection)
                if selection.name.value in ITEM_FIELDS:
                    items += cost
                else:
                    once += cost
                continue
            if isinstance(selection, InlineFragmentNode):
                inner = selection.selection_set
                target = self._condition(selection, parent)
            else:
                assert isinstance(selection, FragmentSpreadNode)
                definition = self.fragments[selection.name.value]
                inner = definition.selection_set
                target = self.schema.get_type(definition.type_condition.name.value) or parent
            more_items, more_once = self._split(target, inner)
            items, once = items + more_items, once + more_once
        return items, once

    def _condition(self, node: InlineFragmentNode, parent: GraphQLNamedType) -> GraphQLNamedType:
        if node.type_condition is None:
            return parent
        return self.schema.get_type(node.type_condition.name.value) or parent


def _definition(schema: GraphQLSchema, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _is_connection(target: GraphQLNamedType, definition: GraphQLField) -> bool:
    return target.name.endswith("Connection") and any(a in definition.args for a in PAGE_ARGUMENTS)


@dataclass
class _DocumentCosts:
    document: DocumentNode  # held, so its id is not reused while it is cached here
    page_variables: tuple[str, ...]
    costs: dict[tuple[object, ...], int] = field(default_factory=dict)


class CostCache:
    """Costs by document (the parser cache gives the same object for the same text),
    operation and the page sizes its variables give; bounded like the parser cache."""

    def __init__(self, maxsize: int = CACHED_DOCUMENTS) -> None:
        self.maxsize = maxsize
        self._documents: OrderedDict[int, _DocumentCosts] = OrderedDict()

    def cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """:func:`query_cost`, from the cache when this document was costed before."""
        known = self._documents.get(id(document))
        if known is None or known.document is not document:
            known = _DocumentCosts(document, page_variables(document))
            self._documents[id(document)] = known
            while len(self._documents) > self.maxsize:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(id(document))
        given = variables or {}
        key = (operation_name, *(_hashable(given.get(name)) for name in known.page_variables))
        found = known.costs.get(key)
        if found is None:
            found = query_cost(schema, document, operation_name, variables)
            if len(known.costs) >= CACHED_VARIANTS:
                known.costs.clear()
            known.costs[key] = found
        return found


def _hashable(value: object) -> object:
    return value if isinstance(value, int | str | None) else repr(value)


def too_complex(cost: int, max_cost: int) -> GraphQLError:
    """The error for a query over the limit."""
    return GraphQLError(
        f"The query costs {cost}, more than the {max_cost} allowed: ask for smaller pages"
        " (first/last) or fewer nested lists",
        extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value, "cost": cost, "maxCost": max_cost},
    )


class QueryCost(SchemaExtension):
    """Refuses a valid query that costs too much before it runs; reports the cost when
    asked. Listed after the validation step's extension, so it sees its result."""

    def __init__(self, max_cost: int, cache: CostCache, max_cached_bytes: int) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.cache = cache
        self.max_cached_bytes = max_cached_bytes  # longer documents are not kept
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors == []:
            schema = context.schema._schema
            name, variables = context.operation_name, context.variables
            if len(context.query or "") <= self.max_cached_bytes:
                self.cost = self.cache.cost(schema, document, name, variables)
            else:
                self.cost = query_cost(schema, document, name, variables)
            if self.cost > self.max_cost:
                context.pre_execution_errors = [too_complex(self.cost, self.max_cost)]
        yield

    def get_results(self) -> dict[str, Any]:
        asked = self.execution_context.operation_extensions or {}
        if self.cost is None or not asked.get(ASK):
            return {}
        return {"cost": self.cost, "maxCost": self.max_cost}
