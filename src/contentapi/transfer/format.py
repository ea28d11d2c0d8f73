"""The export format (JSON Lines, version 1): which records there are, and how values look.

Every stored table is either a record type here (copied row by row, by primary key) or
derived (rebuilt after an import); ``tests/test_transfer.py`` fails on a table that is
neither, and on a column that a record type does not name, so nothing is forgotten.
The field lists are the format: a change to them is a new :data:`VERSION`
(docs/export-format.md says how versions evolve).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from contentapi.articles.models import (
    Article,
    ArticleAuthor,
    ArticleAuthorRole,
    ArticleImage,
    ArticlePending,
    ArticleRevision,
    ArticleTag,
    ArticleTranslation,
    ArticleUnit,
    ArticleVideo,
    Tag,
    TagTranslation,
)
from contentapi.auth.models import ApiToken
from contentapi.comments.models import AppSecret, Comment
from contentapi.events.models import WebhookDelivery
from contentapi.idempotency.models import IdempotencyKey
from contentapi.media.models import (
    Image,
    ImageTranslation,
    Video,
    VideoCaption,
    VideoTranslation,
)

FORMAT = "contentapi-export"
VERSION = 2  # 2: bylines (article_author, article_author_role, article_unit), video_caption
READS = (1, 2)  # a version-1 file has no bylines or captions: it imports without them
HEADER = "header"
MEDIA_FILE = "media_file"  # a file of the media folder, then its chunks
MEDIA_CHUNK = "media_chunk"
END = "end"
CHUNK_BYTES = 768 * 1024  # of a media file per chunk line (1 MiB once in base64)
MAX_LINE_BYTES = 16 * 1024 * 1024  # a longer line is refused, not read into memory
BATCH_ROWS = 1000  # rows per read (export) and per insert (import)

# tables that are not exported: each is rebuilt or moved on by the import
DERIVED_TABLES = {
    "article_listing": "rebuilt by listing.rebuild(locales)",
    "read_model_state": "written by the rebuilds (which configuration they were made for)",
    "content_version": "moved on by the import, so running servers drop their caches",
    "tortoise_migrations": "the schema's own record, written by `contentapi migrate`",
    "sqlite_sequence": "SQLite's record of the last ids (follows the rows)",
    "article_search": "the SQLite search index (FTS5), rebuilt by search.index.rebuild()",
}
# columns of exported tables that the database computes (not written, not read)
DERIVED_COLUMNS = {
    ("article_translation", "search_vector"): "PostgreSQL's search column, made from search_text",
}
# models of these modules are derived too: the search index, rebuilt by index.rebuild()
DERIVED_MODULES = ("contentapi.articles.search",)
LOCALE_COLUMNS = ("locale", "source_locale", "original_locale")  # checked against the config


class Problem(StrEnum):
    """Why a file cannot be imported (or a site exported): stable codes for scripts."""

    NOT_AN_EXPORT = "NOT_AN_EXPORT"  # the first line is no header of this format
    UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION"
    BAD_LINE = "BAD_LINE"  # not a JSON object, or too long
    CUT_OFF = "CUT_OFF"  # ends mid-line or before its end record
    UNKNOWN_TYPE = "UNKNOWN_TYPE"
    OUT_OF_ORDER = "OUT_OF_ORDER"
    BAD_FIELD = "BAD_FIELD"
    UNKNOWN_LOCALE = "UNKNOWN_LOCALE"
    MISSING_REFERENCE = "MISSING_REFERENCE"
    BAD_MEDIA = "BAD_MEDIA"
    COUNT_MISMATCH = "COUNT_MISMATCH"
    CONFLICT = "CONFLICT"
    NOT_EMPTY = "NOT_EMPTY"
    NO_DATABASE = "NO_DATABASE"
    UNREADABLE = "UNREADABLE"


class TransferError(Exception):
    """An export or import that cannot go on; nothing was written."""

    def __init__(self, problem: Problem, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.problem = problem
        self.line = line


class Kind(StrEnum):
    """How a column's value is written."""

    INT = "integer"
    BOOL = "boolean"
    FLOAT = "number"
    TEXT = "string"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """One field of a record: a column of its table."""

    name: str
    kind: Kind
    null: bool
    max_length: int | None = None
    choices: frozenset[str] | None = None  # an enum's values
    references: str | None = None  # the record type whose primary key this holds


@dataclass(frozen=True)
class RecordType:
    """The records of one table: its name is the table's."""

    name: str
    model: type[Model]
    columns: tuple[Column, ...]

    @property
    def pk(self) -> str:
        """The primary key's column."""
        return str(self.model._meta.db_pk_column)

    @property
    def int_pk(self) -> bool:
        """True when the primary key is a number (an id the database hands out)."""
        return self.column(self.pk).kind is Kind.INT

    def column(self, name: str) -> Column:
        """The column ``name``."""
        return next(c for c in self.columns if c.name == name)


def _kind(field: fields.Field[Any]) -> Kind:
    if isinstance(field, fields.BooleanField):
        return Kind.BOOL
    if isinstance(field, fields.DatetimeField):
        return Kind.DATETIME
    if isinstance(field, fields.FloatField):
        return Kind.FLOAT
    if isinstance(field, fields.IntField | fields.BigIntField | fields.SmallIntField):
        return Kind.INT
    if isinstance(field, fields.CharField | fields.TextField):
        return Kind.TEXT
    raise TypeError(f"no export form for {type(field).__name__}")  # a new kind of column


_MODELS: dict[str, type[Model]] = {
    model.__name__: model
    for model in (
        AppSecret,
        ApiToken,
        Tag,
        TagTranslation,
        Image,
        ImageTranslation,
        Video,
        VideoTranslation,
        VideoCaption,
        Article,
        ArticleTranslation,
        ArticleRevision,
        ArticlePending,
        ArticleTag,
        ArticleImage,
        ArticleVideo,
        ArticleAuthor,
        ArticleAuthorRole,
        ArticleUnit,
        Comment,
        IdempotencyKey,
        WebhookDelivery,
    )
}


def _record(model: type[Model], names: tuple[str, ...]) -> RecordType:
    meta = model._meta
    # foreign keys: their column and the table they point at (read from the field, as
    # this runs before Tortoise starts and links the models up)
    relations = {}
    for fk in (*meta.fk_fields, *meta.o2o_fields):
        relation = meta.fields_map[fk]
        target = _MODELS[str(getattr(relation, "model_name", "")).rpartition(".")[2]]
        column = getattr(relation, "source_field", None) or f"{fk}_id"
        relations[column] = (relation, str(target._meta.db_table))
    columns = []
    for name in names:
        if name in relations:
            relation, table = relations[name]
            columns.append(Column(name, Kind.INT, bool(relation.null), references=table))
            continue
        field = meta.fields_map[meta.fields_db_projection_reverse.get(name, name)]
        enum = getattr(field, "enum_type", None)
        columns.append(
            Column(
                name=name,
                kind=_kind(field),
                null=bool(field.null),
                max_length=getattr(field, "max_length", None),
                choices=frozenset(str(e.value) for e in enum) if enum else None,
            )
        )
    return RecordType(str(meta.db_table), model, tuple(columns))


# In import order: a record only points at records of types above it.
RECORD_TYPES: tuple[RecordType, ...] = (
    _record(AppSecret, ("key", "value")),
    _record(
        ApiToken,
        ("id", "name", "role", "locales", "token_hash", "prefix", "created_at", "revoked_at"),
    ),
    _record(Tag, ("id", "key")),
    _record(TagTranslation, ("id", "tag_id", "locale", "name")),
    _record(
        Image,
        (
            "id",
            "key",
            "file",
            "width",
            "height",
            "credit",
            "content_type",
            "focal_x",
            "focal_y",
            "created_at",
        ),
    ),
    _record(ImageTranslation, ("id", "image_id", "locale", "alt", "caption")),
    _record(
        Video,
        (
            "id",
            "key",
            "url",
            "embed_url",
            "duration_seconds",
            "credit",
            "thumbnail_id",
            "created_at",
        ),
    ),
    _record(VideoTranslation, ("id", "video_id", "locale", "title", "caption")),
    _record(VideoCaption, ("id", "video_id", "locale", "file", "size", "created_at", "updated_at")),
    _record(Article, ("id", "key", "original_locale", "comments_open", "created_at", "deleted_at")),
    _record(
        ArticleTranslation,
        (
            "id",
            "article_id",
            "locale",
            "title",
            "slug",
            "lead",
            "body",
            "status",
            "published_at",
            "updated_at",
            "version",
            "source_locale",
            "source_version",
            "machine_translated",
            "search_text",
        ),
    ),
    _record(
        ArticleRevision,
        (
            "id",
            "article_id",
            "locale",
            "number",
            "version",
            "title",
            "slug",
            "lead",
            "body",
            "status",
            "published_at",
            "minor_edit",
            "action",
            "author",
            "created_at",
            "pending",
        ),
    ),
    _record(
        ArticlePending,
        (
            "id",
            "translation_id",
            "article_id",
            "title",
            "slug",
            "lead",
            "body",
            "version",
            "base_version",
            "source_locale",
            "source_version",
            "machine_translated",
            "author",
            "created_at",
            "updated_at",
            "publish_at",
        ),
    ),
    _record(ArticleTag, ("id", "article_id", "tag_id", "position")),
    _record(ArticleImage, ("id", "article_id", "image_id", "role", "position")),
    _record(ArticleVideo, ("id", "article_id", "video_id", "role", "position")),
    _record(ArticleAuthor, ("id", "article_id", "position", "name")),
    _record(ArticleAuthorRole, ("id", "author_id", "locale", "role")),
    _record(ArticleUnit, ("id", "article_id", "locale", "name")),
    _record(
        Comment,
        (
            "id",
            "article_id",
            "locale",
            "author_name",
            "email",
            "body",
            "status",
            "created_at",
            "flag",
            "client_hash",
            "body_hash",
            "moderated_at",
            "moderated_by",
        ),
    ),
    _record(
        IdempotencyKey,
        ("id", "scope", "operation", "key", "input_hash", "result_id", "created_at"),
    ),
    _record(
        WebhookDelivery,
        (
            "id",
            "url",
            "event",
            "payload",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "failed_at",
            "last_error",
            "created_at",
        ),
    ),
)
BY_NAME = {record.name: record for record in RECORD_TYPES}
ORDER = {name: place for place, name in enumerate([*BY_NAME, MEDIA_FILE, END])}

_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def write_datetime(value: datetime | str) -> str:
    """The one form of a moment in the file: UTC, microseconds, ``Z``."""
    if isinstance(value, str):  # SQLite keeps ISO text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the databases keep UTC
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_value(column: Column, value: Any) -> Any:
    """A column's database value as the file holds it (the same from either database)."""
    if value is None:
        return None
    match column.kind:
        case Kind.DATETIME:
            return write_datetime(value)
        case Kind.BOOL:
            return bool(value)
        case Kind.INT:
            return int(value)
        case Kind.FLOAT:
            return float(value)
    return str(value)


def read_value(column: Column, value: Any) -> Any:
    """A field's value from the file, checked; a ``ValueError`` says what is wrong."""
    if value is None:
        if not column.null:
            raise ValueError("may not be null")
        return None
    match column.kind:
        case Kind.INT:
            if type(value) is not int:
                raise ValueError("must be a whole number")
            return value
        case Kind.BOOL:
            if type(value) is not bool:
                raise ValueError("must be true or false")
            return value
        case Kind.FLOAT:
            if type(value) not in (int, float):
                raise ValueError("must be a number")
            return float(value)
        case Kind.DATETIME:
            if not isinstance(value, str) or not _DATETIME.fullmatch(value):
                raise ValueError("must be a UTC time such as 2024-05-01T08:30:00.000000Z")
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is no such time") from None
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if column.max_length is not None and len(value) > column.max_length:
        raise ValueError(f"is longer than {column.max_length} characters")
    if column.choices is not None and value not in column.choices:
        raise ValueError(f"must be one of {', '.join(sorted(column.choices))}")
    return value
