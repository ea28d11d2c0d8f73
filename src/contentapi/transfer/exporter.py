"""Writing the export: a header, every table by primary key, the media files, an end.

Memory stays flat whatever the site's size: rows are read ``BATCH_ROWS`` at a time and
written line by line, files are read in chunks. Nothing depends on the clock or the
database engine, so the same content gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from contentapi.transfer import media
from contentapi.transfer.format import (
    BY_NAME,
    END,
    FORMAT,
    HEADER,
    MEDIA_CHUNK,
    MEDIA_FILE,
    RECORD_TYPES,
    VERSION,
    Problem,
    TransferError,
    write_value,
)
from contentapi.transfer.progress import NoProgress, Progress
from contentapi.transfer.snapshot import Snapshot, batches, count, last_id


@dataclass
class ExportSummary:
    """What was written."""

    counts: dict[str, int]
    files: int = 0
    file_bytes: int = 0
    missing_files: list[str] = field(default_factory=list)  # the first few names
    missing_count: int = 0  # images and captions whose file is not in the media folder


MISSING_SHOWN = 5
FILE_TABLES = ("image", "video_caption")  # tables whose "file" names a media file


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


async def export_site(
    view: Snapshot,
    out: IO[bytes],
    locales: Sequence[str],
    media_dir: Path,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write everything ``view`` holds, and the media files its images name, to ``out``."""
    progress = progress or NoProgress()
    counts = {record.name: await count(view, record) for record in RECORD_TYPES}
    last_ids = {r.name: await last_id(view, r) for r in RECORD_TYPES if r.int_pk}
    progress.start(sum(counts.values()))
    header = {"type": HEADER, "format": FORMAT, "version": VERSION, "locales": list(locales)}
    out.write(_line({**header, "counts": counts, "last_ids": last_ids}))
    for record in RECORD_TYPES:
        columns = record.columns
        async for rows in batches(view, record):
            for row in rows:
                values: dict[str, Any] = {"type": record.name}
                for column in columns:
                    values[column.name] = write_value(column, row[column.name])
                out.write(_line(values))
            progress.advance(len(rows))
    summary = ExportSummary(counts)
    await _export_files(view, out, media_dir, summary)
    out.write(_line({"type": END, "records": sum(counts.values()), "files": summary.files}))
    return summary


async def _export_files(
    view: Snapshot, out: IO[bytes], media_dir: Path, summary: ExportSummary
) -> None:
    """Each file an image or a video caption names, once, in the order of the first row
    naming it (images first)."""
    for table in FILE_TABLES:
        async for rows in batches(view, BY_NAME[table], ["id", "file"]):
            fresh: dict[str, None] = {}  # the batch's names on disk, in order, once
            for row in rows:
                name = str(row["file"])
                if name in fresh:
                    continue
                if media.safe_name(name) and (media_dir / name).is_file():
                    fresh[name] = None
                else:
                    summary.missing_count += 1
                    if len(summary.missing_files) < MISSING_SHOWN:
                        summary.missing_files.append(name)
            if not fresh:
                continue
            names = list(fresh)
            marks = ", ".join("?" * len(names))
            seen = await view.fetch(
                f'SELECT DISTINCT "file" FROM "{table}" WHERE "id" < ? AND "file" IN ({marks})',
                [rows[0]["id"], *names],
            )
            earlier = {str(row["file"]) for row in seen}
            for name in names:
                if name not in earlier:
                    _export_file(out, media_dir, name, summary)


def _export_file(out: IO[bytes], media_dir: Path, name: str, summary: ExportSummary) -> None:
    path = media_dir / name
    size, sha256 = media.file_digest(path)
    chunks = media.chunk_count(size)
    out.write(
        _line({"type": MEDIA_FILE, "name": name, "size": size, "sha256": sha256, "chunks": chunks})
    )
    written = 0
    for data in media.read_chunks(path, sha256):
        out.write(_line({"type": MEDIA_CHUNK, "data": data}))
        written += 1
    if written != chunks:  # the file changed size between the two reads
        raise TransferError(Problem.BAD_MEDIA, f"the media file {path} changed during the export")
    summary.files += 1
    summary.file_bytes += size
