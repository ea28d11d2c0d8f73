"""Media files in an export: read in chunks on the way out, staged on the way in.

An import writes each file into a staging folder inside the media folder (the same file
system, so moving it into place is a rename), checks its size and SHA-256, and moves the
files into place only when every row has been written, just before the commit. Each
move is noted in a journal file (not in memory), so a failed commit takes them back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from contentapi.transfer.format import CHUNK_BYTES, Problem, TransferError

READ_BYTES = 1024 * 1024
_JOURNAL = ".journal"
_BACKUP = ".replaced"
_STAGED = "files"


def safe_name(name: str) -> bool:
    """True for a relative path inside the media folder (no ``..``, no hidden parts)."""
    if not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    if path.is_absolute():
        return False
    return all(part not in ("", ".", "..") and not part.startswith(".") for part in path.parts)


def chunk_count(size: int) -> int:
    """How many chunk lines a file of ``size`` bytes has."""
    return -(-size // CHUNK_BYTES)


def file_digest(path: Path) -> tuple[int, str]:
    """The size and SHA-256 (hex) of a file, read in pieces."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while piece := source.read(READ_BYTES):
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()


def read_chunks(path: Path, expected_sha256: str) -> Iterator[str]:
    """The file as base64 chunks; raises if it changed since it was hashed."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while piece := source.read(CHUNK_BYTES):
            digest.update(piece)
            yield base64.b64encode(piece).decode("ascii")
    if digest.hexdigest() != expected_sha256:
        raise TransferError(Problem.BAD_MEDIA, f"the media file {path} changed during the export")


def _content_named(name: str, sha256: str) -> bool:
    """True when ``name`` is the store's name for content with this hash (``ab/ab12...``)."""
    stem = PurePosixPath(name).stem
    return stem == sha256 and PurePosixPath(name).parent.name == sha256[:2]


def _same(target: Path, name: str, size: int, sha256: str) -> bool:
    if target.stat().st_size != size:
        return False
    if _content_named(name, sha256):
        return True  # the store names files by their hash: same name, same bytes
    return file_digest(target) == (size, sha256)


class Staging:
    """Files of one import, held apart until the rows are written."""

    def __init__(self, media_dir: Path, *, merge: bool) -> None:
        self.media_dir = media_dir
        self.merge = merge
        self.folder: Path | None = None
        self._file: IO[bytes] | None = None
        self._digest = hashlib.sha256()
        self._size = 0
        self._target: tuple[str, int, str, int] | None = None  # name, size, sha256, line
        self.files = 0
        self.bytes = 0
        self.published = 0

    def _root(self) -> Path:
        if self.folder is None:
            self.media_dir.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix=".import-", dir=self.media_dir))
        return self.folder

    def begin(self, name: str, size: int, sha256: str, line: int) -> bool:
        """Start a file; False when the media folder has this very file already."""
        if not safe_name(name):
            raise TransferError(Problem.BAD_MEDIA, f"{name!r} is not a media file name", line)
        target = self.media_dir / name
        if target.is_file() and _same(target, name, size, sha256):
            self._target = None
            return False
        if target.exists() and self.merge:
            raise TransferError(
                Problem.CONFLICT,
                f"the media folder holds another file named {name}; a merge does not "
                "replace files that rows here may use",
                line,
            )
        staged = self._root() / _STAGED / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        self._file = staged.open("wb")
        self._digest = hashlib.sha256()
        self._size = 0
        self._target = (name, size, sha256, line)
        return True

    def write(self, data: str, line: int) -> None:
        """One chunk (base64) of the file begun; ignored for a file already there."""
        try:
            piece = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise TransferError(Problem.BAD_MEDIA, "the chunk is not base64", line) from None
        if self._target is None:
            return
        self._size += len(piece)
        if self._size > self._target[1]:
            raise TransferError(
                Problem.BAD_MEDIA, f"the file {self._target[0]} is longer than its size", line
            )
        self._digest.update(piece)
        assert self._file is not None
        self._file.write(piece)

    def finish(self) -> None:
        """Check the file begun: its size and SHA-256 must be those of its record."""
        if self._target is None:
            return
        name, size, sha256, line = self._target
        assert self._file is not None
        self._file.close()
        self._file = None
        self._target = None
        if self._size != size or self._digest.hexdigest() != sha256:
            raise TransferError(
                Problem.BAD_MEDIA,
                f"the media file {name} does not match its size and SHA-256 (damaged file?)",
                line,
            )
        self.files += 1
        self.bytes += size

    def publish(self) -> None:
        """Move every staged file into the media folder (call just before the commit)."""
        if self.folder is None:
            return
        staged_root = self.folder / _STAGED
        with (self.folder / _JOURNAL).open("a", encoding="utf-8") as journal:
            for directory, _, names in os.walk(staged_root):
                for file_name in names:
                    staged = Path(directory) / file_name
                    name = staged.relative_to(staged_root).as_posix()
                    target = self.media_dir / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if target.exists():  # an unused file of an empty site: kept aside
                        backup = self.folder / _BACKUP / name
                        backup.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(target, backup)
                        journal.write(f"R {name}\n")
                    else:
                        journal.write(f"N {name}\n")
                    journal.flush()
                    os.replace(staged, target)
                    self.published += 1

    def undo(self) -> None:
        """Take back what :meth:`publish` moved (the commit failed)."""
        if self.folder is None or not (self.folder / _JOURNAL).is_file():
            return
        with (self.folder / _JOURNAL).open(encoding="utf-8") as journal:
            for entry in journal:
                kind, name = entry.rstrip("\n").split(" ", 1)
                target = self.media_dir / name
                target.unlink(missing_ok=True)
                if kind == "R":
                    os.replace(self.folder / _BACKUP / name, target)

    def close(self) -> None:
        """Remove the staging folder (after a commit, or after a failure)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
