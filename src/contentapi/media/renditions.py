"""Resized copies of images: a fixed set of widths, made on first request, kept on disk."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
MAX_REQUEST_WIDTH = 10_000


def rendition_width(requested: int, original: int) -> int | None:
    """The stored width that serves ``requested``; None when the original serves it.

    Any width rounds up to the next fixed width, so nobody can fill the disk with sizes.
    """
    for width in WIDTHS:
        if width >= requested:
            return width if width < original else None
    return None


def _make(source: Path, target: Path, width: int) -> None:
    fmt = Image.registered_extensions().get(source.suffix.lower(), "JPEG")
    with Image.open(source) as opened:
        img: Image.Image = ImageOps.exif_transpose(opened)
        height = max(1, round(img.height * width / img.width))
        if fmt == "JPEG":
            img = img.convert("RGB")
        resized = img.resize((width, height), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    resized.save(tmp, format=fmt, quality=85)  # EXIF is not carried over
    tmp.replace(target)


async def ensure_rendition(media_dir: Path, file: str, width: int) -> Path | None:
    """The path of ``file`` at ``width``, made now if missing; None if the source is gone."""
    source = media_dir / file
    target = media_dir / f"w{width}" / file
    if target.is_file():
        return target
    if not source.is_file():
        return None
    await asyncio.to_thread(_make, source, target, width)
    return target
