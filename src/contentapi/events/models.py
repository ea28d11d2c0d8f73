"""The webhook outbox: a delivery row is written in the same transaction as the change."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class WebhookDelivery(Model):
    """One event for one receiver, retried with backoff until delivered or given up."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=1000)
    event = fields.CharField(max_length=64)
    payload = fields.TextField()  # the exact JSON body that is signed and sent
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)
    failed_at = fields.DatetimeField(null=True)  # gave up after the last attempt
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_delivery"
        indexes = (("delivered_at", "failed_at", "next_attempt_at"),)


class ContentVersion(Model):
    """One row: a number every write that readers can see moves on, in its transaction.

    Processes that keep answers (the response cache) compare it with what they last saw,
    so a write in any process, the command line included, reaches all of them.
    """

    id = fields.IntField(primary_key=True)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "content_version"
