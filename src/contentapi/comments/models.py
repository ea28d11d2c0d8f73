"""Reader comments on articles."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class CommentStatus(StrEnum):
    """Moderation state: only APPROVED comments are shown."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SPAM = "SPAM"


class Comment(Model):
    """A reader's comment, in the locale it was written in."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "contentapi.Article", related_name="comments", on_delete=fields.CASCADE
    )
    article_id: int
    locale = fields.CharField(max_length=35)
    author_name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254)
    body = fields.TextField()
    status = fields.CharEnumField(CommentStatus, max_length=16, default=CommentStatus.PENDING)
    created_at = fields.DatetimeField()
    # why it was held: "links" (more than two), "honeypot"; None for an ordinary comment
    flag = fields.CharField(max_length=32, null=True)
    client_hash = fields.CharField(max_length=64, null=True)  # salted: never the address
    body_hash = fields.CharField(max_length=64, null=True)  # for the duplicate check
    moderated_at = fields.DatetimeField(null=True)
    moderated_by = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "comment"
        indexes = (("article_id", "status", "created_at"), ("client_hash", "created_at"))


class AppSecret(Model):
    """Secrets the app makes for itself on first start (the salt for client hashes)."""

    key = fields.CharField(max_length=64, primary_key=True)
    value = fields.CharField(max_length=200)

    class Meta:
        table = "app_secret"
