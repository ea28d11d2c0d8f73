"""GraphQL types and fields for comments."""
