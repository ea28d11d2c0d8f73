"""Authentication and authorisation: tokens, principals, permissions."""
