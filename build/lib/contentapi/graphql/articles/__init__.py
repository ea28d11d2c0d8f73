"""GraphQL types and fields for articles."""
