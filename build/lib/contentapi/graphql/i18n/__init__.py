"""GraphQL types and fields for i18n."""
