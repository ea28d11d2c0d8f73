"""Reading an export line by line: each line whole, JSON, an object with a type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from contentapi.transfer.format import (
    BY_NAME,
    FORMAT,
    HEADER,
    MAX_LINE_BYTES,
    READS,
    VERSION,
    Problem,
    TransferError,
)


@dataclass(frozen=True)
class Header:
    """What the first line says: rows per record type, and each table's highest id."""

    counts: dict[str, int]
    last_ids: dict[str, int]


class Lines:
    """The lines of an export file, numbered from 1; refuses a cut-off or overlong line."""

    def __init__(self, path: Path, advance: Callable[[int], None] | None = None) -> None:
        try:
            self.file: IO[bytes] = path.open("rb")
        except OSError as exc:
            raise TransferError(Problem.UNREADABLE, f"cannot read {path}: {exc.strerror}") from None
        self.path = path
        self.number = 0
        self.advance = advance

    def close(self) -> None:
        """Close the file."""
        self.file.close()

    def raw(self) -> Iterator[tuple[int, bytes]]:
        """Each line's number and bytes (without the line end)."""
        while True:
            line = self.file.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            self.number += 1
            if self.advance is not None:
                self.advance(len(line))
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE_BYTES:
                    raise TransferError(
                        Problem.BAD_LINE,
                        f"the line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB",
                        self.number,
                    )
                raise TransferError(
                    Problem.CUT_OFF,
                    "the line is cut off (the file ends without a line end): "
                    "the file is incomplete",
                    self.number,
                )
            yield self.number, line

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each line's number and object."""
        for number, line in self.raw():
            yield number, parse(line, number)


def parse(line: bytes, number: int) -> dict[str, Any]:
    """One line's object; it must be JSON and have a ``type``."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise TransferError(Problem.BAD_LINE, f"not valid JSON ({exc})", number) from None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise TransferError(Problem.BAD_LINE, 'not a JSON object with a "type"', number)
    return value


def check_header(number: int, record: dict[str, Any]) -> Header:
    """The header line (the file's first), after checking its format and version."""
    if record.get("type") != HEADER or record.get("format") != FORMAT:
        raise TransferError(
            Problem.NOT_AN_EXPORT,
            f"this is not a contentapi export (the first line must be its {FORMAT} header)",
            number,
        )
    version = record.get("version")
    if type(version) is not int or version not in READS:
        raise TransferError(
            Problem.UNSUPPORTED_VERSION,
            f"the file is format version {version!r}; this contentapi reads versions "
            f"{READS[0]} to {VERSION}",
            number,
        )
    if record.keys() != {"type", "format", "version", "locales", "counts", "last_ids"}:
        raise TransferError(
            Problem.BAD_FIELD, "the header needs locales, counts and last_ids", number
        )
    counts, last_ids = record["counts"], record["last_ids"]
    for name, table in (("counts", counts), ("last_ids", last_ids)):
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and type(v) is int and v >= 0 for k, v in table.items()
        ):
            raise TransferError(Problem.BAD_FIELD, f"the header's {name} are not numbers", number)
    unknown = sorted((set(counts) | set(last_ids)) - set(BY_NAME))
    if unknown:
        raise TransferError(
            Problem.UNKNOWN_TYPE, f"the header names unknown record types {unknown}", number
        )
    return Header(counts, last_ids)
