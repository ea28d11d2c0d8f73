"""Reading an export into the database: all of it in one transaction, or nothing.

The file is read line by line and inserted ``BATCH_ROWS`` rows at a time; each batch's
references are looked up in the database (where the rows they name went before them),
so memory does not grow with the file. Media files are staged and moved into the media
folder just before the commit (and taken back if it fails). The derived tables are
rebuilt inside the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tortoise.connection import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from contentapi.articles import listing
from contentapi.articles.search import index
from contentapi.comments.models import AppSecret
from contentapi.events.models import WebhookDelivery
from contentapi.events.outbox import move_content_version
from contentapi.i18n import Locales
from contentapi.transfer import media
from contentapi.transfer.format import (
    BATCH_ROWS,
    BY_NAME,
    END,
    HEADER,
    LOCALE_COLUMNS,
    MEDIA_CHUNK,
    MEDIA_FILE,
    ORDER,
    RECORD_TYPES,
    Problem,
    RecordType,
    TransferError,
    read_value,
)
from contentapi.transfer.merge import Merge, Row, slug_matches
from contentapi.transfer.progress import NoProgress, Progress
from contentapi.transfer.reader import Header, Lines, check_header

_SHA256 = frozenset("0123456789abcdef")


@dataclass
class ImportSummary:
    """What the import wrote."""

    added: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)  # merge: matched a row here
    left_out: Counter[str] = field(default_factory=Counter)  # merge: not added
    files: int = 0
    file_bytes: int = 0
    listing_rows: int = 0
    indexed: int = 0
    pending_webhooks: int = 0  # deliveries this database's servers will still send


async def import_site(
    path: Path,
    locales: Locales,
    media_dir: Path,
    *,
    merge: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import the export at ``path``; raises :class:`TransferError` (nothing imported)."""
    progress = progress or NoProgress()
    lines = Lines(path, progress.advance)
    staging = media.Staging(media_dir, merge=merge)
    published = False
    try:
        progress.start(path.stat().st_size)
        records = lines.records()
        first = next(records, None)
        if first is None:
            raise TransferError(Problem.CUT_OFF, f"{path} is empty")
        header = check_header(*first)
        async with in_transaction():
            plan = Merge(await slug_matches(path), header.last_ids) if merge else None
            if plan is None:
                await _refuse_content()
            loader = _Loader(locales, plan, staging, header)
            await loader.run(records)
            summary = loader.summary
            summary.listing_rows = await listing.rebuild(locales) or 0
            summary.indexed = await index.rebuild()
            summary.pending_webhooks = await WebhookDelivery.filter(
                delivered_at=None, failed_at=None
            ).count()
            await move_content_version()  # running servers drop what they kept
            await _advance_sequences()
            published = True
            staging.publish()
    except BaseException:
        if published:
            staging.undo()
        raise
    finally:
        staging.close()
        lines.close()
    await index.optimize()  # committed: settle the index, and statistics for the planner
    summary.files, summary.file_bytes = staging.files, staging.bytes
    return summary


async def _refuse_content() -> None:
    """An import without ``--merge`` goes into an empty database only."""
    held = []
    for record in RECORD_TYPES:
        if record.model is AppSecret:
            continue  # made by the first start; the file's salt replaces it
        rows = await record.model.all().count()
        if rows:
            held.append(f"{record.name}: {rows}")
    if held:
        raise TransferError(
            Problem.NOT_EMPTY,
            f"the database is not empty ({', '.join(held)}); import into an empty "
            "database, or add --merge to add what it lacks",
        )


async def _advance_sequences() -> None:
    """PostgreSQL: rows came with their ids, so move each id sequence past them."""
    client = connections.get("default")
    if client.capabilities.dialect != "postgres":
        return  # SQLite takes the next id from the table itself
    for record in RECORD_TYPES:
        if record.int_pk:
            table = record.name
            await client.execute_query(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX("id") FROM "{table}"), 0) + 1, false)'
            )


async def _insert(record: RecordType, rows: list[dict[str, Any]]) -> None:
    """Insert rows as ``bulk_create`` does (its statement, each field's database form),
    without making a model instance of each: the values are checked already."""
    model = record.model
    client = model._choose_db(True)
    executor = client.executor_class(model=model, db=client)
    fields_map = model._meta.fields_map
    names = executor.regular_columns_all
    # given the class, not an instance: no auto_now_add (every time is in the file)
    await client.execute_many(
        executor.insert_query_all,
        [[fields_map[name].to_db_value(row[name], model) for name in names] for row in rows],
    )


class _Loader:
    """The records of one file, checked and written in batches."""

    def __init__(
        self, locales: Locales, plan: Merge | None, staging: media.Staging, header: Header
    ) -> None:
        self.header = header
        self.locales = frozenset(locales.codes)
        self.plan = plan
        self.staging = staging
        self.summary = ImportSummary()
        self.seen: Counter[str] = Counter()
        self.files = 0
        self.place = -1
        self.last_pk: Any = None
        self.batch: list[Row] = []
        self.record: RecordType | None = None

    async def run(self, records: Iterator[tuple[int, dict[str, Any]]]) -> None:
        """Every record up to the end record, which must be the last line."""
        number = 1
        for number, record in records:
            kind = record["type"]
            if kind == END:
                await self.flush()
                self.end(number, record)
                extra = next(records, None)
                if extra is not None:
                    raise TransferError(
                        Problem.OUT_OF_ORDER, "a line after the end record", extra[0]
                    )
                if self.plan is not None:
                    self.summary.added = self.plan.added
                    self.summary.existing = self.plan.existing
                    self.summary.left_out = self.plan.left_out
                return
            place = ORDER.get(kind)
            if place is None:
                raise self._unknown(kind, number)
            if place < self.place:
                raise TransferError(
                    Problem.OUT_OF_ORDER,
                    f"a {kind} record after later kinds of records; records come in the "
                    "order docs/export-format.md gives",
                    number,
                )
            if place > self.place:
                await self.flush()
                self.place, self.last_pk = place, None
                self.record = BY_NAME.get(kind)
            if kind == MEDIA_FILE:
                self.media_file(number, record, records)
                continue
            assert self.record is not None
            self.batch.append((number, self.decode(self.record, number, record)))
            if len(self.batch) >= BATCH_ROWS:
                await self.flush()
        raise TransferError(
            Problem.CUT_OFF,
            f"the file ends at line {number} without its end record: it is incomplete",
        )

    @staticmethod
    def _unknown(kind: str, number: int) -> TransferError:
        if kind == MEDIA_CHUNK:
            return TransferError(
                Problem.OUT_OF_ORDER, "a media_chunk without its media_file", number
            )
        if kind == HEADER:
            return TransferError(Problem.OUT_OF_ORDER, "a second header", number)
        return TransferError(Problem.UNKNOWN_TYPE, f"unknown record type {kind!r}", number)

    def decode(self, record: RecordType, number: int, raw: dict[str, Any]) -> dict[str, Any]:
        """A record's values, checked against its type (fields, kinds, locales, order)."""
        names = {c.name for c in record.columns}
        given = raw.keys() - {"type"}
        if given != names:
            missing, unknown = sorted(names - given), sorted(given - names)
            what = f"lacks {', '.join(missing)}" if missing else f"has unknown {', '.join(unknown)}"
            raise TransferError(Problem.BAD_FIELD, f"the {record.name} record {what}", number)
        values: dict[str, Any] = {}
        for column in record.columns:
            try:
                values[column.name] = read_value(column, raw[column.name])
            except ValueError as exc:
                raise TransferError(
                    Problem.BAD_FIELD, f"{record.name}.{column.name} {exc}", number
                ) from None
            if column.name in LOCALE_COLUMNS or (record.name, column.name) == (
                "api_token",
                "locales",
            ):
                self.check_locales(record, column.name, values[column.name], number)
        pk = values[record.pk]
        if self.last_pk is not None and pk <= self.last_pk:
            raise TransferError(
                Problem.OUT_OF_ORDER,
                f"{record.name} {pk!r} comes after {self.last_pk!r}: rows come by primary "
                "key, each once",
                number,
            )
        if record.int_pk and pk > self.header.last_ids.get(record.name, 0):
            raise TransferError(
                Problem.BAD_FIELD,
                f"{record.name} {pk} is past the header's last id for {record.name}",
                number,
            )
        self.last_pk = pk
        self.seen[record.name] += 1
        return values

    def check_locales(self, record: RecordType, name: str, value: str | None, number: int) -> None:
        """Content in a locale this site does not serve would be stored and never shown."""
        for code in (value or "").split(","):
            if code and code not in self.locales:
                raise TransferError(
                    Problem.UNKNOWN_LOCALE,
                    f"{record.name}.{name} is {code!r}, which is not configured here "
                    f"(CONTENTAPI_LOCALES={','.join(sorted(self.locales))})",
                    number,
                )

    def media_file(
        self, number: int, record: dict[str, Any], records: Iterator[tuple[int, dict[str, Any]]]
    ) -> None:
        """A media file and its chunks, staged."""
        name, size, sha256, chunks = (record.get(k) for k in ("name", "size", "sha256", "chunks"))
        if (
            record.keys() != {"type", "name", "size", "sha256", "chunks"}
            or not isinstance(name, str)
            or type(size) is not int
            or size < 0
            or not isinstance(sha256, str)
            or len(sha256) != 64
            or not set(sha256) <= _SHA256
            or chunks != media.chunk_count(size)
        ):
            raise TransferError(
                Problem.BAD_MEDIA,
                "a media_file record needs name, size, sha256 (hex) and its chunk count",
                number,
            )
        self.staging.begin(name, size, sha256, number)
        for part in range(chunks):
            following = next(records, None)
            if following is None:
                raise TransferError(
                    Problem.CUT_OFF,
                    f"the file ends inside media file {name}: it is incomplete",
                )
            line, chunk = following
            data = chunk.get("data")
            if (
                chunk["type"] != MEDIA_CHUNK
                or chunk.keys() != {"type", "data"}
                or not isinstance(data, str)
            ):
                raise TransferError(
                    Problem.BAD_MEDIA,
                    f"chunk {part + 1} of {chunks} of media file {name} was expected",
                    line,
                )
            self.staging.write(data, line)
        self.staging.finish()
        self.files += 1

    async def flush(self) -> None:
        """Write the batch: references checked, merged if asked, inserted."""
        if not self.batch:
            return
        record, rows = self.record, self.batch
        self.batch = []
        assert record is not None
        if self.plan is not None:
            rows = await self.plan.plan(record, rows)
            if not rows:
                return
        else:
            self.summary.added[record.name] += len(rows)
        await self.check_references(record, rows)
        if record.model is AppSecret and self.plan is None:
            await AppSecret.filter(key__in=[v["key"] for _, v in rows]).delete()
        try:
            await _insert(record, [values for _, values in rows])
        except IntegrityError as exc:
            raise TransferError(
                Problem.CONFLICT,
                f"lines {rows[0][0]}-{rows[-1][0]} ({record.name}): the database refused "
                f"them: {exc}",
            ) from None

    async def check_references(self, record: RecordType, rows: list[Row]) -> None:
        """Every row a batch names must be here already (it came earlier in the file)."""
        for column in record.columns:
            target = column.references
            if target is None:
                continue
            wanted = {v[column.name] for _, v in rows if v[column.name] is not None}
            if not wanted:
                continue
            parent = BY_NAME[target]
            found = set(
                await parent.model.filter(**{f"{parent.pk}__in": list(wanted)}).values_list(
                    parent.pk, flat=True
                )
            )
            for line, values in rows:
                value = values[column.name]
                if value is not None and value not in found:
                    where = "in the file or in this database" if self.plan else "in the file"
                    raise TransferError(
                        Problem.MISSING_REFERENCE,
                        f"{record.name} {values[record.pk]} names {target} {value} "
                        f"({column.name}), which is not {where} before it",
                        line,
                    )

    def end(self, number: int, record: dict[str, Any]) -> None:
        """The end record: the header's counts and its own totals must be what was read."""
        counts = self.header.counts
        for name in BY_NAME:
            if counts.get(name, 0) != self.seen[name]:
                raise TransferError(
                    Problem.COUNT_MISMATCH,
                    f"the header counts {counts.get(name, 0)} {name} records, the file "
                    f"holds {self.seen[name]}",
                    number,
                )
        if record.keys() != {"type", "records", "files"} or (
            record["records"],
            record["files"],
        ) != (sum(self.seen.values()), self.files):
            raise TransferError(
                Problem.COUNT_MISMATCH,
                f"the end record does not match the {sum(self.seen.values())} records and "
                f"{self.files} media files read",
                number,
            )
