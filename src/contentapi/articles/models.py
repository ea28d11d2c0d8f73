"""Articles: a language-independent article and one translation per locale."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from contentapi.media.models import Image, Video


class PublicationStatus(StrEnum):
    """Where a translation is in its life."""

    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"


class MediaRole(StrEnum):
    """How a medium is used in an article."""

    LEAD = "LEAD"
    INLINE = "INLINE"
    GALLERY = "GALLERY"


class Article(Model):
    """The article itself, which holds no language (nb and nn are peers)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True, null=True)  # stable import key
    original_locale = fields.CharField(max_length=35, null=True)  # where translations start
    comments_open = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "article"


class ArticleTranslation(Model):
    """One locale's version of an article."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="translations", on_delete=fields.CASCADE
    )
    article_id: int
    locale = fields.CharField(max_length=35)
    title = fields.CharField(max_length=300)
    slug = fields.CharField(max_length=200)
    lead = fields.TextField(null=True)
    body = fields.TextField()
    status = fields.CharEnumField(PublicationStatus, max_length=16, default=PublicationStatus.DRAFT)
    published_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()
    version = fields.IntField(default=1)
    # the translation this one was made from, and that translation's version then
    source_locale = fields.CharField(max_length=35, null=True)
    source_version = fields.IntField(null=True)
    # made by machine translation and not yet saved by a person
    machine_translated = fields.BooleanField(default=False)
    # title, lead and body text without markup, case-folded (Unicode-aware on any database)
    search_text = fields.TextField(default="")

    class Meta:
        table = "article_translation"
        unique_together = (("article", "locale"), ("locale", "slug"))
        indexes = (
            ("locale", "status", "published_at"),
            ("locale", "updated_at"),
            ("locale", "status", "updated_at"),
        )


class ArticleListing(Model):
    """The read model of article lists: which translation each requested locale serves.

    One row per article, requested locale and live translation in that locale's chain
    (``rank`` 0 is the requested locale itself). A row is served from ``published_at``
    until ``shadowed_from``, when a better-ranked translation of the same article goes
    live (a scheduled one), so "visible now" is a plain range test that an index answers
    in list order. Derived from ``ArticleTranslation`` by ``articles.listing``, in the
    same transaction as every write that changes what is visible; never written elsewhere.
    """

    id = fields.IntField(primary_key=True)
    requested_locale = fields.CharField(max_length=35)
    article_id = fields.IntField()
    translation: fields.ForeignKeyRelation[ArticleTranslation] = fields.ForeignKeyField(
        "contentapi.ArticleTranslation", related_name="listings", on_delete=fields.CASCADE
    )
    translation_id: int
    locale = fields.CharField(max_length=35)  # of the translation served
    rank = fields.IntField()  # its place in the requested locale's chain
    published_at = fields.DatetimeField()  # served from then on (and the sort key)
    shadowed_from = fields.DatetimeField(null=True)  # until a better one goes live
    updated_at = fields.DatetimeField()  # the other sort key

    class Meta:
        table = "article_listing"
        unique_together = (("requested_locale", "article_id", "rank"),)
        indexes = (
            ("requested_locale", "published_at", "article_id", "shadowed_from"),
            ("requested_locale", "updated_at", "article_id"),
            # includeFallbacks: false, rank 0 only (never shadowed): the page in
            # publication order and its count from the index alone
            ("requested_locale", "rank", "published_at", "article_id"),
        )


class ReadModelState(Model):
    """What a derived table was last built for (a fingerprint of the configuration)."""

    name = fields.CharField(max_length=64, primary_key=True)
    fingerprint = fields.CharField(max_length=2000)

    class Meta:
        table = "read_model_state"


class Tag(Model):
    """A subject, with a name per locale."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True)

    class Meta:
        table = "tag"


class TagTranslation(Model):
    """A tag's name in one locale."""

    id = fields.IntField(primary_key=True)
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "contentapi.Tag", related_name="translations", on_delete=fields.CASCADE
    )
    tag_id: int
    locale = fields.CharField(max_length=35)
    name = fields.CharField(max_length=100)

    class Meta:
        table = "tag_translation"
        unique_together = (("tag", "locale"),)


class ArticleTag(Model):
    """An article's tag, in display order."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="tag_links", on_delete=fields.CASCADE
    )
    article_id: int
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "contentapi.Tag", related_name="article_links", on_delete=fields.CASCADE
    )
    tag_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "article_tag"
        unique_together = (("article", "tag"),)
        indexes = (("tag_id", "article_id"),)  # a tag's articles, for tag-filtered lists


class ArticleRevision(Model):
    """Every saved state of a translation: who, when, and every field."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="revisions", on_delete=fields.CASCADE
    )
    article_id: int
    locale = fields.CharField(max_length=35)
    number = fields.IntField()  # 1, 2, 3 ... per article and locale
    version = fields.IntField()  # the translation's version this revision saved
    title = fields.CharField(max_length=300)
    slug = fields.CharField(max_length=200)
    lead = fields.TextField(null=True)
    body = fields.TextField()
    status = fields.CharEnumField(PublicationStatus, max_length=16)
    published_at = fields.DatetimeField(null=True)
    minor_edit = fields.BooleanField(default=False)
    action = fields.CharField(max_length=32)  # create, update, translate, revert, ...
    # saved as pending changes of a live translation (readers did not see it)
    pending = fields.BooleanField(default=False, db_default=False)
    author = fields.CharField(max_length=200)
    created_at = fields.DatetimeField()

    class Meta:
        table = "article_revision"
        unique_together = (("article", "locale", "number"),)
        indexes = (("author", "locale", "article_id"),)  # the editor list's author filter


class ArticlePending(Model):
    """Changes to a live translation kept for review ("changed", as Contentful says).

    Readers see the translation as it is until the changes are published
    (``publishArticle``, now or at ``publish_at``) or dropped (``discardDraft``). At most
    one per translation. ``version`` continues the translation's numbering; publishing
    needs the translation to still be at ``base_version``, else CONFLICT.
    """

    id = fields.IntField(primary_key=True)
    translation: fields.OneToOneRelation[ArticleTranslation] = fields.OneToOneField(
        "contentapi.ArticleTranslation", related_name="pending", on_delete=fields.CASCADE
    )
    translation_id: int
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="pending_changes", on_delete=fields.CASCADE
    )  # the translation's, for loading and exporting by article
    article_id: int
    title = fields.CharField(max_length=300)
    slug = fields.CharField(max_length=200)
    lead = fields.TextField(null=True)
    body = fields.TextField()
    version = fields.IntField()
    base_version = fields.IntField()  # the live version these changes were made on
    source_locale = fields.CharField(max_length=35, null=True)
    source_version = fields.IntField(null=True)
    machine_translated = fields.BooleanField(default=False)
    author = fields.CharField(max_length=200)  # who saved them last
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    publish_at = fields.DatetimeField(null=True)  # scheduled to go live then

    class Meta:
        table = "article_pending"
        indexes = (("publish_at",),)


class ArticleImage(Model):
    """An image used in an article, with its role and order."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="image_links", on_delete=fields.CASCADE
    )
    article_id: int
    image: fields.ForeignKeyRelation[Image] = fields.ForeignKeyField(
        "contentapi.Image", related_name="article_links", on_delete=fields.RESTRICT
    )
    image_id: int
    role = fields.CharEnumField(MediaRole, max_length=16)
    position = fields.IntField(default=0)

    class Meta:
        table = "article_image"
        unique_together = (("article", "image"),)


class ArticleVideo(Model):
    """A video used in an article, with its order."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="video_links", on_delete=fields.CASCADE
    )
    article_id: int
    video: fields.ForeignKeyRelation[Video] = fields.ForeignKeyField(
        "contentapi.Video", related_name="article_links", on_delete=fields.RESTRICT
    )
    video_id: int
    role = fields.CharEnumField(MediaRole, max_length=16, default=MediaRole.INLINE)
    position = fields.IntField(default=0)

    class Meta:
        table = "article_video"
        unique_together = (("article", "video"),)


class ArticleAuthor(Model):
    """A person in the byline of an article, in display order.

    The name is the same in every locale; the role is per locale (:class:`ArticleAuthorRole`).
    """

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="authors", on_delete=fields.CASCADE
    )
    article_id: int
    position = fields.IntField(default=0)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "article_author"
        indexes = (("article_id", "position"),)


class ArticleAuthorRole(Model):
    """The role of a byline author in one locale ("juryleiar" in nn, "juryleder" in nb)."""

    id = fields.IntField(primary_key=True)
    author: fields.ForeignKeyRelation[ArticleAuthor] = fields.ForeignKeyField(
        "contentapi.ArticleAuthor", related_name="roles", on_delete=fields.CASCADE
    )
    author_id: int
    locale = fields.CharField(max_length=35)
    role = fields.CharField(max_length=200)

    class Meta:
        table = "article_author_role"
        unique_together = (("author", "locale"),)


class ArticleUnit(Model):
    """The name of the publishing unit of an article in one locale.

    One row per locale; a locale without one falls back through its chain.
    """

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "contentapi.Article", related_name="units", on_delete=fields.CASCADE
    )
    article_id: int
    locale = fields.CharField(max_length=35)
    name = fields.CharField(max_length=300)

    class Meta:
        table = "article_unit"
        unique_together = (("article", "locale"),)
