"""GraphQL types and fields for media."""
