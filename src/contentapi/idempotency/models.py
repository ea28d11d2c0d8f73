"""What a create with an idempotency key made, kept for a day."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class IdempotencyKey(Model):
    """A caller's key for one create, the hash of its input and the id it made."""

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=100)  # who: "token:12" or "client:<salted hash>"
    operation = fields.CharField(max_length=50)  # the mutation: "createArticle"
    key = fields.CharField(max_length=100)
    input_hash = fields.CharField(max_length=64)  # SHA-256 of the input, hex
    result_id = fields.IntField()  # the primary key of what was made
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_key"
        unique_together = (("scope", "operation", "key"),)
        indexes = (("created_at",),)
