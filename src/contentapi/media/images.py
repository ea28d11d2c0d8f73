"""Decoding uploaded pictures: the type comes from the bytes, never from the file name."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from contentapi.errors import DomainError, ErrorCode

FORMATS = {
    "JPEG": (".jpg", "image/jpeg"),
    "PNG": (".png", "image/png"),
    "WEBP": (".webp", "image/webp"),
    "GIF": (".gif", "image/gif"),
}
ALIASES = {"MPO": "JPEG"}  # many cameras' JPEGs carry MPF data; Pillow calls them MPO


@dataclass(frozen=True)
class Picture:
    """A decoded upload, ready to store: EXIF removed, orientation applied."""

    data: bytes
    suffix: str
    content_type: str
    width: int
    height: int


def decode(data: bytes, max_pixels: int) -> Picture:
    """Check and clean an upload; UNSUPPORTED_MEDIA or IMAGE_TOO_LARGE when it is not fit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = ALIASES.get(probe.format or "", probe.format or "")
                width, height = probe.size
                if kind not in FORMATS:
                    raise _unsupported(f"{kind or 'this'} is not JPEG, PNG, WebP or GIF")
                frames = int(getattr(probe, "n_frames", 1))  # every frame of an animation counts
                if width * height * frames > max_pixels:
                    raise DomainError(
                        ErrorCode.IMAGE_TOO_LARGE,
                        f"{width} × {height} pixels × {frames} frames is more than "
                        f"{max_pixels:,} pixels",
                        field="file",
                        params={"max": max_pixels},
                    )
                probe.verify()  # structure and checksums, without decoding every pixel
            with Image.open(io.BytesIO(data)) as img:
                img.load()  # a truncated file fails here
                upright = ImageOps.exif_transpose(img)
                suffix, content_type = FORMATS[kind]
                options: dict[str, object] = {"quality": 92} if kind in {"JPEG", "WEBP"} else {}
                if img.info.get("icc_profile"):  # keep the colours right, drop all else
                    options["icc_profile"] = img.info["icc_profile"]
                if kind in {"JPEG", "GIF"}:
                    options["comment"] = b""  # no camera or editor comments
                out = io.BytesIO()
                if kind == "GIF" and frames > 1:
                    img.save(out, format=kind, save_all=True, **options)  # every frame
                else:
                    upright.save(out, format=kind, **options)  # no EXIF (GPS) is written
                return Picture(out.getvalue(), suffix, content_type, *upright.size)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(
            ErrorCode.IMAGE_TOO_LARGE,
            "Too many pixels to decode safely",
            field="file",
            params={"max": max_pixels},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _unsupported("the file could not be read as a picture") from None


def _unsupported(why: str) -> DomainError:
    return DomainError(ErrorCode.UNSUPPORTED_MEDIA, f"Not a usable picture: {why}", field="file")
