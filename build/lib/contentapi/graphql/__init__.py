"""The GraphQL schema: per-domain packages merged in :mod:`contentapi.graphql.schema`."""
