"""The media library: every image and video, newest first, for editors.

One list over both kinds (``created_at`` descending, then id, then kind, so that an image
and a video made at the same moment with the same id still have one order), paged by a
keyset, narrowed by kind, use, missing alt text and a text search. Each page is one
statement for its positions, one for its videos and one for its images (the videos'
thumbnails come along); the count is one more, sent only when asked for.

Use means a link from an article (``article_image``, ``article_video``): this module names
those tables in SQL only, as media imports no other domain. An article in the bin still
holds its links (it can be restored, and ``deleteMedia`` refuses what it holds), so its
media count as used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.connection import connections

from contentapi import sql
from contentapi.media.models import Image, Video


class MediaKind(StrEnum):
    """Images or videos (also the last part of a list's order)."""

    IMAGE = "IMAGE"
    VIDEO = "VIDEO"


@dataclass(frozen=True)
class MediaFilter:
    """Narrowing of the media list; every part is optional, the parts combine with AND."""

    kind: MediaKind | None = None
    unused: bool | None = None  # True: no article links it; False: one does
    missing_alt_in: str | None = None  # a configured locale: images without alt text in it
    search: str | None = None  # a case-insensitive substring of the credit or a text


@dataclass(frozen=True)
class MediaKey:
    """Where a medium stands in the list: newest first, then higher id, then VIDEO."""

    created_at: datetime
    id: int
    kind: MediaKind


@dataclass(frozen=True)
class MediaPage:
    """A page of the list: the media in order, with their keys for the cursors."""

    items: list[tuple[MediaKey, Image | Video]]
    has_next: bool
    thumbnails: dict[int, Image]  # the page's videos' still pictures, by id


_TABLES = {MediaKind.IMAGE: ("image", "image_translation", "image_id", "article_image")}
_TABLES[MediaKind.VIDEO] = ("video", "video_translation", "video_id", "article_video")
_TEXTS = {MediaKind.IMAGE: ("alt", "caption"), MediaKind.VIDEO: ("title", "caption")}


def _dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


def text_pattern(text: str, dialect: str) -> str:
    """A case-insensitive substring pattern for ``text``: a GLOB (SQLite) or a regular
    expression (PostgreSQL), every cased letter as a set of its cases ("ø" -> ``[øØ]``).

    Neither database folds the case of letters outside ASCII by itself everywhere
    (SQLite's LIKE and LOWER never do; PostgreSQL's depend on the database's locale), and
    Norwegian credits and captions are full of Æ, Ø and Å.
    """
    parts: list[str] = []
    for char in text:
        cases = sorted({c for c in (char, char.lower(), char.upper()) if len(c) == 1})
        if len(cases) > 1:
            parts.append(f"[{''.join(cases)}]")  # letters only: nothing to escape
        elif dialect == "postgres":
            parts.append(char if char.isalnum() else "\\" + char)  # \ + non-alnum: literal
        else:
            parts.append(f"[{char}]" if char in "*?[" else char)
    body = "".join(parts)
    return body if dialect == "postgres" else f"*{body}*"


def _branch(
    kind: MediaKind, flt: MediaFilter, after: MediaKey | None, dialect: str
) -> tuple[str, list[Any]]:
    """The WHERE clause of one kind's part of the list, over its table ``m``."""
    _, texts, key, links = _TABLES[kind]
    parts: list[str] = []
    params: list[Any] = []
    if after is not None:
        # later in the list: (created_at, id, kind) below the cursor's; within one kind
        # the kind decides only at an equal (created_at, id)
        op = "<=" if kind < after.kind else "<"
        parts.append(f'(m."created_at", m."id") {op} (?, ?)')
        params += [after.created_at, after.id]
    if flt.unused is not None:
        used = _among(key, links, "", dialect)
        parts.append(f"NOT {used}" if flt.unused else used)
    if flt.missing_alt_in is not None:  # images only (the caller leaves videos out)
        written = _among(key, texts, 'AND s."locale" = ? AND TRIM(s."alt") <> \'\'', dialect)
        parts.append(f"NOT {written}")
        params.append(flt.missing_alt_in)
    search = (flt.search or "").strip()
    if search:
        op = "~" if dialect == "postgres" else "GLOB"
        main, caption = _TEXTS[kind]
        parts.append(
            f'(m."credit" {op} ? OR m."id" IN (SELECT "{key}" FROM "{texts}" '
            f'WHERE "{main}" {op} ? OR "{caption}" {op} ?))'
        )
        params += [text_pattern(search, dialect)] * 3
    return " AND ".join(parts) or "1 = 1", params


def _among(key: str, table: str, condition: str, dialect: str) -> str:
    """``m`` has a row in ``table`` (``s``, pointing at it by ``key``) that meets ``condition``.

    Written per database so that NOT of it stays one pass at 100,000s of rows (the link
    tables have no index by medium): SQLite reads an IN list once into a temporary index,
    but runs a correlated EXISTS per row; PostgreSQL turns NOT EXISTS into a hash anti-join,
    but runs NOT IN per row once the list no longer fits in ``work_mem``.
    """
    if dialect == "postgres":
        return f'EXISTS (SELECT 1 FROM "{table}" s WHERE s."{key}" = m."id" {condition})'
    where = f"WHERE {condition.removeprefix('AND ')}" if condition else ""
    return f'(m."id" IN (SELECT s."{key}" FROM "{table}" s {where}))'


def _kinds(flt: MediaFilter) -> list[MediaKind]:
    if flt.missing_alt_in is not None:
        return [MediaKind.IMAGE] if flt.kind in (None, MediaKind.IMAGE) else []
    return [flt.kind] if flt.kind is not None else [MediaKind.VIDEO, MediaKind.IMAGE]


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def list_media(flt: MediaFilter, first: int, after: MediaKey | None = None) -> MediaPage:
    """The ``first`` media after ``after`` that pass ``flt``, newest first.

    Each kind's part is sorted and cut to the page size on its own, then the two are
    merged: one statement, whose work is a page per kind once the parts are indexed.
    """
    kinds = _kinds(flt)
    if not kinds or first == 0:
        return MediaPage([], has_next=False, thumbnails={})
    dialect = _dialect()
    selects: list[str] = []
    params: list[Any] = []
    for kind in kinds:
        where, more = _branch(kind, flt, after, dialect)
        table = _TABLES[kind][0]
        selects.append(
            f'SELECT * FROM (SELECT \'{kind.value}\' AS "kind", m."id" AS "id", '
            f'm."created_at" AS "created_at" FROM "{table}" m WHERE {where} '
            f'ORDER BY m."created_at" DESC, m."id" DESC LIMIT ?) AS "{kind.value.lower()}"'
        )
        params += [*more, first + 1]
    rows = await sql.fetch(
        f'SELECT * FROM ({" UNION ALL ".join(selects)}) AS "media" '
        'ORDER BY "created_at" DESC, "id" DESC, "kind" DESC LIMIT ?',
        [*params, first + 1],
    )
    keys = [MediaKey(_moment(r["created_at"]), int(r["id"]), MediaKind(r["kind"])) for r in rows]
    found, thumbnails = await _rows(keys[:first])
    items = [
        (key, found[(key.kind, key.id)]) for key in keys[:first] if (key.kind, key.id) in found
    ]
    return MediaPage(items, has_next=len(keys) > first, thumbnails=thumbnails)


async def _rows(
    keys: Sequence[MediaKey],
) -> tuple[dict[tuple[MediaKind, int], Image | Video], dict[int, Image]]:
    """The rows of a page's media by (kind, id), and its videos' thumbnails by id."""
    found: dict[tuple[MediaKind, int], Image | Video] = {}
    video_ids = [k.id for k in keys if k.kind is MediaKind.VIDEO]
    videos = await Video.filter(id__in=video_ids) if video_ids else []
    for video in videos:
        found[(MediaKind.VIDEO, video.id)] = video
    image_ids = [k.id for k in keys if k.kind is MediaKind.IMAGE]
    thumbnail_ids = {v.thumbnail_id for v in videos if v.thumbnail_id is not None}
    wanted = sorted(set(image_ids) | thumbnail_ids)
    images = {row.id: row for row in await Image.filter(id__in=wanted)} if wanted else {}
    for pk in image_ids:
        if pk in images:
            found[(MediaKind.IMAGE, pk)] = images[pk]
    return found, {pk: images[pk] for pk in thumbnail_ids if pk in images}


async def count_media(flt: MediaFilter) -> int:
    """How many media pass ``flt`` (``totalCount``, only when asked): one statement."""
    kinds = _kinds(flt)
    if not kinds:
        return 0
    dialect = _dialect()
    counts: list[str] = []
    params: list[Any] = []
    for kind in kinds:
        where, more = _branch(kind, flt, None, dialect)
        counts.append(f'(SELECT COUNT(*) FROM "{_TABLES[kind][0]}" m WHERE {where})')
        params += more
    rows = await sql.fetch(f'SELECT {" + ".join(counts)} AS "n"', params)
    return int(rows[0]["n"])


MAX_PK = 2**31 - 1  # primary keys are 32-bit on PostgreSQL
_CURSOR_KIND = re.compile(r"^(IMAGE|VIDEO)$")


def key_from(values: Sequence[object]) -> MediaKey | None:
    """A :class:`MediaKey` from a cursor's values ``[moment, id, kind]``, or None."""
    if len(values) != 3 or not isinstance(values[0], str) or not isinstance(values[2], str):
        return None
    pk = values[1]
    if not isinstance(pk, int) or isinstance(pk, bool) or not 1 <= pk <= MAX_PK:
        return None
    if not _CURSOR_KIND.match(values[2]):
        return None
    try:
        moment = datetime.fromisoformat(values[0])
        if moment.tzinfo is None:
            return None
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not a moment, or one outside the years 1 to 9999
        return None
    return MediaKey(moment, pk, MediaKind(values[2]))


def key_values(key: MediaKey) -> list[object]:
    """What a cursor holds of a :class:`MediaKey` (see :func:`key_from`)."""
    return [key.created_at.isoformat(), key.id, key.kind.value]
