"""Resized copies of images: a fixed set of widths, made on first request, kept on disk.

A rendition keeps the original's format (``/media/w640/ab/ab12...ef.jpg``), or is WebP
(``/media/w640/ab/ab12...ef.webp``: the same content name, the suffix says the format).
A WebP copy can also be had at the original's own width, so a ``srcset`` of WebP files
covers every size up to the original.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
MAX_REQUEST_WIDTH = 10_000
# stored names are content hashes: "ab/ab12...ef.jpg"; nothing else is ever served
STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png|webp|gif)$")
# where a WebP rendition's source may be, tried in this order (one name is stored)
SOURCE_SUFFIXES = (".jpg", ".png", ".gif", ".webp")
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
WEBP_QUALITY = 80


class ImageFormat(Enum):
    """The file format of a rendition."""

    ORIGINAL = "ORIGINAL"  # the format the image was uploaded in
    WEBP = "WEBP"


@dataclass(frozen=True)
class Rendition:
    """One file of an image's ``srcset``: its size and its name under the media folder."""

    width: int
    height: int
    path: str  # "ab/ab12...ef.jpg" (the original) or "w640/ab/ab12...ef.webp"
    content_type: str


def rendition_width(requested: int, original: int) -> int | None:
    """The stored width that serves ``requested``; None when the original serves it.

    Any width rounds up to the next fixed width, so nobody can fill the disk with sizes.
    """
    for width in WIDTHS:
        if width >= requested:
            return width if width < original else None
    return None


def _height(width: int, original: tuple[int, int]) -> int:
    return max(1, round(original[1] * width / original[0]))


def rendition_path(file: str, width: int | None, original_width: int, fmt: ImageFormat) -> str:
    """The name under the media folder of ``file`` at a fixed ``width`` (None: full size)."""
    stem, suffix = os.path.splitext(file)
    if fmt is ImageFormat.ORIGINAL or suffix == ".webp":
        return file if width is None else f"w{width}/{file}"
    return f"w{original_width if width is None else width}/{stem}.webp"


def renditions(file: str, width: int, height: int, fmt: ImageFormat) -> list[Rendition]:
    """Every fixed width narrower than the original, then the original's size, in ``fmt``."""
    suffix = os.path.splitext(file)[1]
    kind = CONTENT_TYPES[".webp"] if fmt is ImageFormat.WEBP else CONTENT_TYPES.get(suffix, "")
    found = [
        Rendition(w, _height(w, (width, height)), rendition_path(file, w, width, fmt), kind)
        for w in WIDTHS
        if w < width
    ]
    found.append(Rendition(width, height, rendition_path(file, None, width, fmt), kind))
    return found


def _make(source: Path, target: Path, width: int, fmt: str) -> bool:
    with Image.open(source) as opened:
        full = width == opened.width and (fmt != "WEBP" or source.suffix == ".webp")
        if width > opened.width or full:
            return False  # never larger than the original; full size is the original itself
        if opened.format == "JPEG":
            # decode at a smaller scale straight from the JPEG (DCT scaling): a 12 MP photo
            # is never held at full size just to be shrunk
            opened.draft("RGB", (width, max(1, round(opened.height * width / opened.width))))
        img: Image.Image = ImageOps.exif_transpose(opened)
        height = max(1, round(img.height * width / img.width))
        if fmt == "JPEG":
            img = img.convert("RGB")
        elif fmt == "WEBP" and img.mode not in {"RGB", "RGBA"}:
            img = img.convert("RGBA" if "transparency" in img.info or "A" in img.mode else "RGB")
        resized = (
            img
            if img.size == (width, height)
            else img.resize((width, height), Image.Resampling.LANCZOS)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # a temporary file of its own, then an atomic rename: concurrent first requests are safe
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            quality = WEBP_QUALITY if fmt == "WEBP" else 85
            resized.save(out, format=fmt, quality=quality)  # EXIF is not carried over
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _source(media_dir: Path, file: str) -> Path | None:
    """The stored original a rendition name is made from: the same name, or for a WebP
    name, the one stored file with that content name."""
    stem, suffix = os.path.splitext(file)
    if suffix != ".webp":
        path = media_dir / file
        return path if path.is_file() else None
    for candidate in SOURCE_SUFFIXES:
        path = media_dir / f"{stem}{candidate}"
        if path.is_file():
            return path
    return None


def content_type(file: str) -> str:
    """The type a rendition is served with (the name's suffix says it)."""
    return CONTENT_TYPES[os.path.splitext(file)[1]]


async def ensure_rendition(media_dir: Path, file: str, width: int) -> Path | None:
    """The path of ``file`` at ``width``, made now if missing.

    ``file`` is a stored name, or a stored name with ``.webp`` for its suffix (a WebP copy
    of it). ``width`` is one of :data:`WIDTHS`, or for a WebP copy also the original's
    width. None when ``file`` is not such a name, the source is gone, or the original is
    not wider than ``width``.
    """
    if not STORED_NAME.match(file) or not 1 <= width <= MAX_REQUEST_WIDTH:
        return None
    target = media_dir / f"w{width}" / file
    if target.is_file():
        return target
    source = _source(media_dir, file)
    if source is None:
        return None
    to_webp = file.endswith(".webp")
    if width not in WIDTHS:
        if not to_webp:
            return None
        with Image.open(source) as probe:  # the header only: the full-size WebP copy
            if probe.width != width:
                return None
    fmt = "WEBP" if to_webp else Image.registered_extensions().get(source.suffix, "JPEG")
    made = await asyncio.to_thread(_make, source, target, width, fmt)
    return target if made else None
