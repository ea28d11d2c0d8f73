"""The root schema: merges each domain's Query; adds limits, caches and error codes."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import validate_document
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from contentapi.graphql.articles.mutations import ArticleMutation
from contentapi.graphql.articles.queries import ArticleQuery
from contentapi.graphql.articles.subscriptions import ArticleSubscription
from contentapi.graphql.articles.tags import Tag
from contentapi.graphql.articles.types import Article
from contentapi.graphql.comments.mutations import CommentMutation
from contentapi.graphql.comments.queries import CommentQuery, CommentSubscription
from contentapi.graphql.comments.types import Comment
from contentapi.graphql.cost import CostCache, QueryCost
from contentapi.graphql.direct import resolve_directly
from contentapi.graphql.errors import ErrorCodes, classify
from contentapi.graphql.i18n.queries import I18nQuery
from contentapi.graphql.media.library import MediaLibraryQuery
from contentapi.graphql.media.mutations import MediaMutation
from contentapi.graphql.media.types import Image, Video
from contentapi.graphql.node import NodeQuery
from contentapi.graphql.production import AnonymousLimits
from contentapi.graphql.translation import TranslationQuery
from contentapi.settings import Settings

Query = merge_types(
    "Query",
    (NodeQuery, ArticleQuery, CommentQuery, I18nQuery, TranslationQuery, MediaLibraryQuery),
)
Mutation = merge_types("Mutation", (CommentMutation, ArticleMutation, MediaMutation))
Subscription = merge_types("Subscription", (CommentSubscription, ArticleSubscription))


CACHED_DOCUMENTS = 256


class QuietParserCache(ParserCache):
    """ParserCache that leaves a failed parse to Strawberry, and keeps no long document.

    Raising inside the parse hook skips every extension's exit, so our ErrorCodes would
    never see the error; Strawberry's own parse reports it the normal way. A document
    longer than ``max_bytes`` (only token holders and the persisted-query manifest may
    send one) is parsed each time, so the cache's memory stays bounded.
    """

    def __init__(self, maxsize: int, max_bytes: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_bytes = max_bytes

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if len(context.query or "") > self.max_bytes:
            yield  # Strawberry parses it, uncached
            return
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            context.graphql_document = None
        yield


class BoundedValidationCache(ValidationCache):
    """ValidationCache that keeps no long document (see :class:`QuietParserCache`).

    The cache is keyed by the document and the rules, so anonymous callers in production
    (one more rule) and token holders never share an entry.
    """

    def __init__(self, maxsize: int, max_bytes: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_bytes = max_bytes

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if len(context.query or "") > self.max_bytes:
            # validated here, uncached, so the cost check after this sees the result
            assert context.graphql_document is not None
            context.pre_execution_errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
            yield
            return
        yield from super().on_validate()


class Schema(strawberry.Schema):
    """Strawberry's schema, without its own error logging (ErrorCodes logs what matters).

    Streams (websockets) carry subscriptions only: reads and writes go over HTTP, where
    the body limit and a fresh token check apply to every request.
    """

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> AsyncGenerator[Any, None]:
        source = await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types=(OperationType.SUBSCRIPTION,),
        )
        return _classified(source, context_value)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


async def _classified(source: AsyncGenerator[Any, None], ctx: Any) -> AsyncGenerator[Any, None]:
    """Each streamed result with its errors coded and masked, as over HTTP."""
    try:
        async for result in source:
            errors = getattr(result, "errors", None)
            if errors:
                result.errors = [
                    classify(e, ctx if hasattr(ctx, "runtime") else None) for e in errors
                ]
            yield result
    finally:
        await source.aclose()


def build_schema(settings: Settings) -> Schema:
    """The schema with the configured limits; caches on so repeated queries skip parsing,
    validation and costing."""
    # The limiters make a new rule class per instance, which would defeat the validation
    # cache (it is keyed by the rules); make the rules once and add the same ones each time.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    costs = CostCache(CACHED_DOCUMENTS)
    cached_bytes = settings.max_query_bytes  # longer documents are never cached
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        ErrorCodes,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QuietParserCache(CACHED_DOCUMENTS, cached_bytes),
        lambda: AddValidationRules(limit_rules),
        *([AnonymousLimits] if settings.production else []),
        lambda: BoundedValidationCache(CACHED_DOCUMENTS, cached_bytes),
        # after the validation step: it costs only valid documents
        lambda: QueryCost(settings.max_query_cost, costs, cached_bytes),
    ]
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Article, Image, Video, Tag, Comment],
        extensions=extensions,
    )
    resolve_directly(schema)  # the hot fields skip Strawberry's per-field wrapper
    return schema


def export_sdl() -> str:
    """The SDL of the schema with default settings, as committed in schema/."""
    return build_schema(Settings()).as_str() + "\n"
