"""Where media files live: a small interface, with a local folder behind it.

Names are the SHA-256 of the content (``ab/ab12...ef.jpg``), so the same file is stored
once and a name never changes meaning (hence the year-long cache headers). Another store
(S3-compatible, say) implements :class:`Storage` and serves its own URLs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    """What the app needs from a file store."""

    def put(self, data: bytes, suffix: str) -> str:
        """Store ``data`` under its content name; return the name."""
        ...

    def exists(self, name: str) -> bool:
        """True when ``name`` is stored."""
        ...


def content_name(data: bytes, suffix: str) -> str:
    """``ab/ab12...ef.jpg``: the SHA-256 of ``data``, fanned out by its first two digits."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{digest[:2]}/{digest}{suffix}"


class LocalStorage:
    """Files in a folder, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, data: bytes, suffix: str) -> str:
        """Store ``data`` once (the same bytes twice are one file)."""
        name = content_name(data, suffix)
        path = self.folder / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return name

    def exists(self, name: str) -> bool:
        """True when ``name`` is stored."""
        return (self.folder / name).is_file()
