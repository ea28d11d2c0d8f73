"""``import --merge``: add what the database lacks, matched by natural keys.

A record is the same as a row already here when its natural key matches one that was
here before the import: an app secret by name, a token by its hash, a tag by key, an
image by key (else by file), a video by key (else by URL), an article by key (else by any
translation's locale and slug). A matched row wins whole: what hangs on the file's
record (translations, revisions, links, comments) is left out. Everything else is added,
with its own id where that is free and a new one (past every id here) where it is taken;
references follow. Idempotency keys and webhook deliveries are the source's own traffic
and are not merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from contentapi.articles.models import ArticleTranslation
from contentapi.transfer.format import BATCH_ROWS, Problem, RecordType, TransferError
from contentapi.transfer.reader import Lines, parse

Row = tuple[int, dict[str, Any]]  # line number, values

NOT_MERGED = ("idempotency_key", "webhook_delivery")
# the column naming the row a record belongs to: left out with it when that row matched
OWNER = {
    "tag_translation": "tag_id",
    "image_translation": "image_id",
    "video_translation": "video_id",
    "video_caption": "video_id",
    "article_translation": "article_id",
    "article_revision": "article_id",
    "article_pending": "article_id",
    "article_tag": "article_id",
    "article_image": "article_id",
    "article_video": "article_id",
    "article_author": "article_id",
    "article_author_role": "author_id",  # left out with an author that was left out
    "article_unit": "article_id",
    "comment": "article_id",
}
LINKS = {"article_tag": "tag_id", "article_image": "image_id", "article_video": "video_id"}
REFERENCED = ("tag", "image", "video", "article", "article_author")  # whose new ids are remembered
_TRANSLATION_PREFIX = b'{"type":"article_translation"'


class Merge:
    """The decisions of one merge: which records match rows here, and the ids that moved."""

    def __init__(self, slug_matches: dict[int, tuple[int, int]], last_ids: dict[str, int]) -> None:
        self.slug_matches = slug_matches  # article id in the file -> (id here, line)
        self.last_ids = last_ids  # the file's highest id per table
        self.matched: dict[str, dict[Any, Any]] = defaultdict(dict)
        self.renumbered: dict[str, dict[int, int]] = defaultdict(dict)
        self.before: dict[str, int] = {}  # the highest id here before the import
        self.next_id: dict[str, int] = {}
        self.added: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()  # matched a row here
        self.left_out: Counter[str] = Counter()  # belonged to a matched row, or not merged
        self.dropped: dict[str, set[Any]] = defaultdict(set)  # ids left out, by table

    def resolve(self, kind: str, value: Any) -> Any:
        """Where a reference to ``kind`` ``value`` in the file points here."""
        if value in self.matched[kind]:
            return self.matched[kind][value]
        return self.renumbered[kind].get(value, value)

    async def plan(self, record: RecordType, rows: list[Row]) -> list[Row]:
        """The rows of a batch to insert, with ids and references as they are here."""
        name = record.name
        if name in NOT_MERGED:
            self.left_out[name] += len(rows)
            return []
        if record.int_pk and name not in self.before:
            top = await record.model.all().order_by("-id").first().values_list("id", flat=True)
            self.before[name] = int(str(top)) if top is not None else 0
        owner = OWNER.get(name)
        kept: list[Row] = []
        for line, values in rows:
            if owner is not None:
                parent = record.column(owner).references
                assert parent is not None
                if values[owner] in self.matched[parent] or values[owner] in self.dropped[parent]:
                    self.left_out[name] += 1
                    self.dropped[name].add(values[record.pk])  # what hangs on it goes too
                    continue
            for column in record.columns:
                if column.references is not None and values[column.name] is not None:
                    values[column.name] = self.resolve(column.references, values[column.name])
            kept.append((line, values))
        kept = await self._match(record, kept)
        if name in LINKS:
            kept = await self._distinct_links(record, kept)
        if record.int_pk:
            await self._number(record, kept)
        self.added[name] += len(kept)
        return kept

    async def _match(self, record: RecordType, rows: list[Row]) -> list[Row]:
        """Drop (and remember) the records that match a row that was here."""
        name = record.name
        model = record.model
        pk = record.pk
        found: dict[tuple[str, Any], Any] = {}  # (natural key column, value) -> pk here
        for column in _match_columns(name):
            wanted = {v[column] for _, v in rows if v[column] is not None}
            if not wanted:
                continue
            query = model.filter(**{f"{column}__in": list(wanted)})
            if record.int_pk:
                query = query.filter(**{f"{pk}__lte": self.before[name]})
            for value, here in await query.order_by(pk).values_list(column, pk):
                found.setdefault((column, value), here)
        kept = []
        for line, values in rows:
            here = self._here(name, line, values, found)
            if here is None:
                kept.append((line, values))
            else:
                self.matched[name][values[pk]] = here
                self.existing[name] += 1
        return kept

    def _here(
        self, name: str, line: int, values: dict[str, Any], found: dict[tuple[str, Any], Any]
    ) -> Any:
        columns = _match_columns(name)
        if not columns:
            return None
        first = columns[0]
        if values[first] is not None or len(columns) == 1:
            here = found.get((first, values[first]))
        else:
            here = found.get((columns[1], values[columns[1]]))
        if name != "article":
            return here
        slug = self.slug_matches.get(values["id"])
        if here is None and slug is not None:
            if values["key"] is not None:  # a new article whose slug is taken here
                raise TransferError(
                    Problem.CONFLICT,
                    f"article {values['id']} (key {values['key']!r}) is not in this database, "
                    f"but this translation's slug belongs to article {slug[0]} here; "
                    "change one of the slugs and try again",
                    slug[1],
                )
            return slug[0]
        return here

    async def _distinct_links(self, record: RecordType, rows: list[Row]) -> list[Row]:
        """Links made twice by matching (two images of the file are one here): keep one."""
        other = LINKS[record.name]
        articles = list({v["article_id"] for _, v in rows})
        pairs = set(
            await record.model.filter(article_id__in=articles).values_list("article_id", other)
        )
        kept = []
        for line, values in rows:
            pair = (values["article_id"], values[other])
            if pair in pairs:
                self.left_out[record.name] += 1
                continue
            pairs.add(pair)
            kept.append((line, values))
        return kept

    async def _number(self, record: RecordType, rows: list[Row]) -> None:
        """Keep each id that is free here; give taken ones new ids past every id here and
        in the file (so no id the file keeps later is taken by one given now)."""
        if not rows:
            return
        name = record.name
        ids = [values["id"] for _, values in rows]
        taken = set(await record.model.filter(id__in=ids).values_list("id", flat=True))
        top = max(self.next_id.get(name, 0), self.before[name], self.last_ids.get(name, 0))
        for _, values in rows:
            if values["id"] in taken:
                top += 1
                if name in REFERENCED:
                    self.renumbered[name][values["id"]] = top
                values["id"] = top
        self.next_id[name] = top


def _match_columns(name: str) -> tuple[str, ...]:
    """The natural key of a record type: its first column, else its second."""
    return {
        "app_secret": ("key",),
        "api_token": ("token_hash",),
        "tag": ("key",),
        "image": ("key", "file"),
        "video": ("key", "url"),
        "article": ("key",),
    }.get(name, ())


async def slug_matches(path: Path) -> dict[int, tuple[int, int]]:
    """Articles of the file with a translation whose locale and slug are taken here:
    file id -> (the article here, the translation's line). A first pass over the file."""
    lines = Lines(path)
    matches: dict[int, tuple[int, int]] = {}
    try:
        for batch in _translations(lines.raw()):
            slugs = list({slug for _, _, _, slug in batch})
            here = {
                (locale, slug): article
                for locale, slug, article in await ArticleTranslation.filter(
                    slug__in=slugs
                ).values_list("locale", "slug", "article_id")
            }
            for line, article, locale, slug in batch:
                target = here.get((locale, slug))
                if target is not None:
                    matches.setdefault(article, (int(target), line))
    finally:
        lines.close()
    return matches


def _translations(lines: Iterator[tuple[int, bytes]]) -> Iterator[list[tuple[int, int, str, str]]]:
    batch: list[tuple[int, int, str, str]] = []
    for number, line in lines:
        if not line.startswith(_TRANSLATION_PREFIX):
            continue
        record = parse(line, number)
        article, locale, slug = record.get("article_id"), record.get("locale"), record.get("slug")
        if type(article) is int and isinstance(locale, str) and isinstance(slug, str):
            batch.append((number, article, locale, slug))  # bad values: the import says so
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch
