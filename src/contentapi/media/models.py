"""Media: images and video clips and their per-locale texts (articles hold the links)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

# the texts each kind of medium has per locale: the main one (required) first
TEXT_FIELDS = {"image": ("alt", "caption"), "video": ("title", "caption")}


class Image(Model):
    """A stored picture. ``file`` is relative to the media folder."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True, null=True)
    file = fields.CharField(max_length=255)
    width = fields.IntField()
    height = fields.IntField()
    credit = fields.CharField(max_length=200, null=True)
    content_type = fields.CharField(max_length=50, default="image/jpeg")
    # where crops should centre, as fractions of width and height (0 to 1)
    focal_x = fields.FloatField(null=True)
    focal_y = fields.FloatField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "image"
        indexes = (("created_at", "id"),)  # the media library, newest first


class ImageTranslation(Model):
    """An image's alt text and caption in one locale."""

    id = fields.IntField(primary_key=True)
    image: fields.ForeignKeyRelation[Image] = fields.ForeignKeyField(
        "contentapi.Image", related_name="translations", on_delete=fields.CASCADE
    )
    image_id: int
    locale = fields.CharField(max_length=35)
    alt = fields.CharField(max_length=500)
    caption = fields.TextField(null=True)

    class Meta:
        table = "image_translation"
        unique_together = (("image", "locale"),)


class Video(Model):
    """A film clip hosted elsewhere (a provider page or a direct file)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True, null=True)
    url = fields.CharField(max_length=1000)
    embed_url = fields.CharField(max_length=1000, null=True)
    duration_seconds = fields.IntField(null=True)
    credit = fields.CharField(max_length=200, null=True)
    thumbnail: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "contentapi.Image", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    thumbnail_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "video"
        indexes = (("created_at", "id"),)


class VideoTranslation(Model):
    """A video's title and caption in one locale."""

    id = fields.IntField(primary_key=True)
    video: fields.ForeignKeyRelation[Video] = fields.ForeignKeyField(
        "contentapi.Video", related_name="translations", on_delete=fields.CASCADE
    )
    video_id: int
    locale = fields.CharField(max_length=35)
    title = fields.CharField(max_length=300)
    caption = fields.TextField(null=True)

    class Meta:
        table = "video_translation"
        unique_together = (("video", "locale"),)


class VideoCaption(Model):
    """A WebVTT caption file for a video in one locale (``file`` as for images)."""

    id = fields.IntField(primary_key=True)
    video: fields.ForeignKeyRelation[Video] = fields.ForeignKeyField(
        "contentapi.Video", related_name="captions", on_delete=fields.CASCADE
    )
    video_id: int
    locale = fields.CharField(max_length=35)
    file = fields.CharField(max_length=255)
    size = fields.IntField()  # bytes
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "video_caption"
        unique_together = (("video", "locale"),)  # also the index of a video's captions
