"""``contentapi export`` and ``contentapi import``: the whole site as one JSON Lines file."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from babel.numbers import format_decimal
from tqdm import tqdm

from contentapi import db
from contentapi.settings import Settings
from contentapi.transfer import (
    ExportSummary,
    ImportSummary,
    Problem,
    TransferError,
    export_site,
    import_site,
    snapshot,
)

T = TypeVar("T")


def register(commands: Any) -> None:
    """Add the ``export`` and ``import`` commands."""
    parser = commands.add_parser(
        "export",
        help="write the whole site (rows and media files) to a JSON Lines file",
        description=(
            "Write every stored row (articles, translations, revisions, tags, media and "
            "their files, comments, token hashes, webhook deliveries) of "
            "CONTENTAPI_DATABASE_URL, with the files of CONTENTAPI_MEDIA_DIR, as JSON "
            "Lines (docs/export-format.md). The same content gives the same bytes."
        ),
    )
    parser.add_argument(
        "-o", "--output", required=True, help="the file to write, or - for standard output"
    )
    parser.set_defaults(handler=export_command)
    parser = commands.add_parser(
        "import",
        help="read an export into the database (all or nothing)",
        description=(
            "Read a file made by `contentapi export` into CONTENTAPI_DATABASE_URL (made and "
            "migrated if need be) and its media files into CONTENTAPI_MEDIA_DIR, in one "
            "transaction; then rebuild the article listing and the search index. The "
            "database must be empty unless --merge is given."
        ),
    )
    parser.add_argument("file", type=Path, help="the export to read")
    parser.add_argument(
        "--merge",
        action="store_true",
        help=(
            "add what the database lacks: rows are matched by natural keys (article key "
            "or slug, tag key, image key or file, video key or URL, token hash); a match "
            "keeps the row here; new rows keep their ids where free"
        ),
    )
    parser.set_defaults(handler=import_command)


class _Bar:
    """A tqdm progress bar on standard error, only when it is a terminal."""

    def __init__(self, description: str, unit: str, scale: bool = False) -> None:
        self.description, self.unit, self.scale = description, unit, scale
        self.bar: Any = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty():
            self.bar = tqdm(
                total=total,
                desc=self.description,
                unit=self.unit,
                unit_scale=self.scale,
                file=sys.stderr,
                leave=False,
            )

    def advance(self, amount: int) -> None:
        if self.bar is not None:
            self.bar.update(amount)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _number(value: int) -> str:
    return format_decimal(value, locale="en")


def _fail(message: str) -> int:
    print(f"contentapi: {message}", file=sys.stderr)
    return 1


def _run(work: Callable[[], Coroutine[Any, Any, T]]) -> T | int:
    """Run ``work``; a refusal or a database fault is a message and exit code 1."""
    try:
        return asyncio.run(work())
    except TransferError as exc:
        return _fail(f"{exc} [{exc.problem}]; nothing was written")
    except BrokenPipeError:
        # the reader of standard output went away (``| head``): say so, once
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _fail("the output was closed before the export was complete")
    except Exception as exc:
        if db.unavailable(exc):
            return _fail(f"the database is not available ({exc}); nothing was written")
        raise


@contextlib.contextmanager
def _output(target: str) -> Iterator[IO[bytes]]:
    """Standard output, or a temporary file renamed to ``target`` once it is whole."""
    if target == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_command(args: argparse.Namespace) -> int:
    """Write the export."""
    settings = Settings.from_env()
    bar = _Bar("export", " rows")
    report = sys.stderr if args.output == "-" else sys.stdout

    async def run() -> ExportSummary:
        if ":memory:" in settings.database_url:
            raise TransferError(Problem.NO_DATABASE, "an in-memory database holds nothing")
        problem = await db.existing_database_problem(settings)
        if problem:
            raise TransferError(Problem.NO_DATABASE, f"nothing to export: {problem}")
        async with db.database(settings, global_fallback=False):
            with _output(args.output) as out:
                async with snapshot(settings.database_url) as view:
                    return await export_site(
                        view, out, settings.locales, settings.media_dir, progress=bar
                    )

    try:
        result = _run(run)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    finally:
        bar.close()
    if isinstance(result, int):
        return result
    print(_export_report(result, args.output), file=report)
    if result.missing_count:
        shown = ", ".join(result.missing_files)
        print(
            f"contentapi: warning: {_number(result.missing_count)} images or captions name "
            f"files that are not in {settings.media_dir} (e.g. {shown}); their rows are exported "
            "without the files",
            file=sys.stderr,
        )
    return 0


def _export_report(summary: ExportSummary, output: str) -> str:
    where = "standard output" if output == "-" else output
    lines = [f"exported to {where}:"]
    lines += [f"  {name:<22}{_number(n):>12}" for name, n in summary.counts.items() if n]
    lines.append(
        f"  {'media files':<22}{_number(summary.files):>12}  ({_number(summary.file_bytes)} bytes)"
    )
    return "\n".join(lines)


def import_command(args: argparse.Namespace) -> int:
    """Read the export."""
    settings = Settings.from_env()
    path: Path = args.file
    if not path.is_file():
        return _fail(f"no file at {path}; nothing was written")
    bar = _Bar("import", "B", scale=True)

    async def run() -> ImportSummary:
        # like `contentapi migrate`, the import may make the database it fills
        async with db.database(settings, global_fallback=False, create=True):
            return await import_site(
                path,
                settings.make_locales(),
                settings.media_dir,
                merge=args.merge,
                progress=bar,
            )

    try:
        result = _run(run)
    finally:
        bar.close()
    if isinstance(result, int):
        return result
    print(_import_report(result, path, merge=args.merge))
    return 0


def _import_report(summary: ImportSummary, path: Path, *, merge: bool) -> str:
    if merge:
        lines = [f"merged {path}:", f"  {'':<22}{'added':>12}{'already here':>14}{'left out':>10}"]
        names = [*dict.fromkeys([*summary.added, *summary.existing, *summary.left_out])]
        lines += [
            f"  {name:<22}{_number(summary.added[name]):>12}"
            f"{_number(summary.existing[name]):>14}{_number(summary.left_out[name]):>10}"
            for name in names
        ]
    else:
        lines = [f"imported {path}:"]
        lines += [f"  {name:<22}{_number(n):>12}" for name, n in summary.added.items() if n]
    lines.append(
        f"  {'media files':<22}{_number(summary.files):>12}  ({_number(summary.file_bytes)} bytes)"
    )
    lines.append(
        f"article listing rebuilt ({_number(summary.listing_rows)} rows), search index "
        f"rebuilt ({_number(summary.indexed)} translations)"
    )
    if summary.pending_webhooks:
        lines.append(
            f"{_number(summary.pending_webhooks)} webhook deliveries are pending: servers on "
            "this database will send them to the URLs they name"
        )
    return "\n".join(lines)
