"""Resized copies of images: a fixed set of widths, made on first request, kept on disk."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
MAX_REQUEST_WIDTH = 10_000
# stored names are content hashes: "ab/ab12...ef.jpg"; nothing else is ever served
STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png|webp|gif)$")


def rendition_width(requested: int, original: int) -> int | None:
    """The stored width that serves ``requested``; None when the original serves it.

    Any width rounds up to the next fixed width, so nobody can fill the disk with sizes.
    """
    for width in WIDTHS:
        if width >= requested:
            return width if width < original else None
    return None


def _make(source: Path, target: Path, width: int) -> bool:
    fmt = Image.registered_extensions().get(source.suffix.lower(), "JPEG")
    with Image.open(source) as opened:
        if width >= opened.width:
            return False  # never larger than the original
        if opened.format == "JPEG":
            # decode at a smaller scale straight from the JPEG (DCT scaling): a 12 MP photo
            # is never held at full size just to be shrunk
            opened.draft("RGB", (width, max(1, round(opened.height * width / opened.width))))
        img: Image.Image = ImageOps.exif_transpose(opened)
        height = max(1, round(img.height * width / img.width))
        if fmt == "JPEG":
            img = img.convert("RGB")
        resized = img.resize((width, height), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a temporary file of its own, then an atomic rename: concurrent first requests are safe
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            resized.save(out, format=fmt, quality=85)  # EXIF is not carried over
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


async def ensure_rendition(media_dir: Path, file: str, width: int) -> Path | None:
    """The path of ``file`` at ``width``, made now if missing.

    None when ``file`` is not a stored name, the source is gone, or the original is not
    wider than ``width``.
    """
    if width not in WIDTHS or not STORED_NAME.match(file):
        return None
    source = media_dir / file
    target = media_dir / f"w{width}" / file
    if target.is_file():
        return target
    if not source.is_file():
        return None
    made = await asyncio.to_thread(_make, source, target, width)
    return target if made else None
