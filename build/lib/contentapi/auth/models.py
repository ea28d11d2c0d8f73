"""API tokens: only a hash is stored; the token itself is shown once."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ApiToken(Model):
    """A bearer token with one role, optionally limited to some locales."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    role = fields.CharField(max_length=32)
    locales = fields.CharField(max_length=200, null=True)  # comma-separated, None: all
    token_hash = fields.CharField(max_length=64, unique=True)  # SHA-256 hex
    prefix = fields.CharField(max_length=12)  # first characters, to tell tokens apart
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
