"""``/static``: versioned URLs for the pages' files, and their cache headers.

A page names ``/static/<file>?v=<version>`` or ``/static/vendor/<file>?v=<version>`` (the
first 12 hex digits of the file's SHA-256); an answer for the current version may be kept
for a year, anything else (no version, an old one) for five minutes. The pages' scripts
and styles are files, not inline blocks, so the pages' CSP can forbid inline script.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR = "vendor"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
_STATIC_URL = re.compile(r"/static/((?:vendor/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*)(?=[\"'])")


def asset_version(path: Path | str) -> str:
    """The version of a file: the first 12 hex digits of its SHA-256 (cached until it changes)."""
    stat_result = Path(path).stat()
    return _digest(str(path), stat_result.st_mtime_ns, stat_result.st_size)


@lru_cache(maxsize=64)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]


def versioned_page(path: Path) -> str:
    """The HTML page at ``path`` with ``?v=<version>`` on each URL of a file in ``static/``
    or ``static/vendor/`` (names of files that do not exist are left as they are)."""

    def versioned(match: re.Match[str]) -> str:
        file = STATIC_DIR / match[1]
        return f"{match[0]}?v={asset_version(file)}" if file.is_file() else match[0]

    return _STATIC_URL.sub(versioned, path.read_text(encoding="utf-8"))


class StaticAssets(StaticFiles):
    """``StaticFiles`` with ``Cache-Control``: a year for the current version of a file."""

    def __init__(self, directory: PathLike) -> None:
        super().__init__(directory=directory)
        root = Path(directory)
        for folder in (root, root / VENDOR):
            for file in sorted(folder.iterdir()) if folder.is_dir() else []:
                if file.is_file():
                    asset_version(file)  # hash now, at startup, not on the first request

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = await self._cache_control(path, scope)
        return response

    async def _cache_control(self, path: str, scope: Scope) -> str:
        parts = Path(path).parts
        wanted = QueryParams(scope.get("query_string", b"").decode("latin-1")).get("v")
        if not (len(parts) == 1 or (len(parts) == 2 and parts[0] == VENDOR)) or not wanted:
            return SHORT_CACHE
        current = await anyio.to_thread.run_sync(self._version, path)
        return IMMUTABLE_CACHE if wanted == current else SHORT_CACHE

    def _version(self, path: str) -> str | None:
        full_path, stat_result = self.lookup_path(path)
        if stat_result is None:
            return None
        return _digest(full_path, stat_result.st_mtime_ns, stat_result.st_size)
