"""Placeholder photos for the demo: small generated landscapes with their credit line.

Each picture is drawn from its key (the same key, the same bytes): a sky gradient, a sun,
ridges of mountains and a fjord, in the image's colour, with a caption band. The text is
set in DejaVu Sans, which has every Norwegian letter (``Ø``, ``Æ``, ``Å``); without it,
Pillow's built-in bitmap font (Latin-1, so it has them too) is drawn and scaled up, never
a font that would print "▯rsta" for "Ørsta".
"""

from __future__ import annotations

import hashlib
import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = (1600, 900)
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian: fonts-dejavu-core
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch, Fedora
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
Colour = tuple[int, int, int]


@lru_cache(maxsize=8)
def text_font(size: int) -> ImageFont.FreeTypeFont | None:
    """DejaVu Sans at ``size``, or None when no DejaVu file is installed."""
    for path in FONT_FILES:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return None


def draw_text(picture: Image.Image, at: tuple[int, int], text: str, size: int) -> None:
    """Write ``text`` in white at ``at``, ``size`` pixels high, with a font that has it."""
    font = text_font(size)
    if font is not None:
        ImageDraw.Draw(picture).text(at, text, font=font, fill="white")
        return
    # Pillow's own bitmap font covers Latin-1 (all of æ ø å Æ Ø Å): drawn small, scaled up
    bitmap = ImageFont.load_default_imagefont()
    box = bitmap.getbbox(text)
    small = Image.new("L", (box[2] + 1, box[3] + 1), 0)
    ImageDraw.Draw(small).text((0, 0), text, font=bitmap, fill=255)
    scale = max(1, round(size / 11))
    mask = small.resize((small.width * scale, small.height * scale), Image.Resampling.NEAREST)
    picture.paste((255, 255, 255), at, mask)


def _mix(a: Colour, b: Colour, share: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * share),
        round(a[1] + (b[1] - a[1]) * share),
        round(a[2] + (b[2] - a[2]) * share),
    )


def _noise(seed: bytes, count: int) -> list[float]:
    """``count`` numbers from 0 to 1, the same for the same seed."""
    out: list[float] = []
    block = 0
    while len(out) < count:
        digest = hashlib.sha256(seed + block.to_bytes(4, "big")).digest()
        out += [byte / 255 for byte in digest]
        block += 1
    return out[:count]


def _ridge(width: int, base: int, height: int, values: list[float]) -> list[tuple[int, int]]:
    """A mountain ridge across the picture: a few peaks, smoothed, closed at the bottom."""
    peaks = len(values)
    points = []
    for x in range(0, width + 1, 20):
        t = x / width * (peaks - 1)
        i = min(int(t), peaks - 2)
        share = (1 - math.cos((t - i) * math.pi)) / 2  # cosine steps between the peaks
        level = values[i] + (values[i + 1] - values[i]) * share
        points.append((x, round(base - level * height)))
    return [(0, SIZE[1]), *points, (width, SIZE[1])]


def landscape(key: str, colour: Colour) -> Image.Image:
    """The picture of ``key`` in ``colour``, without text."""
    width, height = SIZE
    noise = _noise(key.encode(), 64)
    sky_top = _mix(colour, (255, 255, 255), 0.15)
    sky_low = _mix(colour, (255, 236, 200), 0.65)
    gradient = Image.linear_gradient("L").resize(SIZE)  # black at the top, white below
    picture = Image.composite(
        Image.new("RGB", SIZE, sky_low), Image.new("RGB", SIZE, sky_top), gradient
    )
    glow = Image.new("RGB", SIZE, (0, 0, 0))
    sun_x, sun_y = round(width * (0.2 + 0.6 * noise[0])), round(height * (0.18 + 0.15 * noise[1]))
    ImageDraw.Draw(glow).ellipse(
        (sun_x - 150, sun_y - 150, sun_x + 150, sun_y + 150), fill=(90, 70, 40)
    )
    picture.paste(
        Image.eval(picture, lambda v: min(255, v + 60)),
        (0, 0),
        glow.convert("L").filter(ImageFilter.GaussianBlur(80)),
    )
    draw = ImageDraw.Draw(picture)
    draw.ellipse((sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60), fill=(255, 244, 214))
    water = round(height * 0.72)
    for layer in range(3):  # far ridges pale, near ones dark
        values = noise[8 + layer * 7 : 15 + layer * 7]
        shade = _mix(colour, (20, 24, 30), 0.25 + 0.25 * layer)
        shade = _mix(shade, sky_low, 0.5 - 0.2 * layer)
        base = water - 10 + layer * 25
        draw.polygon(_ridge(width, base, 260 - layer * 60, values), fill=shade)
    fjord = _mix(colour, (12, 30, 48), 0.55)
    draw.rectangle((0, water + 40, width, height), fill=fjord)
    for row in range(8):  # light on the water
        y = water + 60 + row * 22
        span = round(200 - row * 15 + 80 * noise[40 + row])
        draw.line(
            (sun_x - span, y, sun_x + span, y), fill=_mix(fjord, (255, 244, 214), 0.35), width=3
        )
    return picture


def placeholder_jpeg(key: str, credit: str, colour: Colour, title: str | None = None) -> bytes:
    """A generated landscape with a caption band: ``title`` (else the key) and the credit."""
    picture = landscape(key, colour)
    band = Image.new("RGB", (SIZE[0], 170), (0, 0, 0))
    picture.paste(
        Image.blend(picture.crop((0, SIZE[1] - 170, SIZE[0], SIZE[1])), band, 0.55),
        (0, SIZE[1] - 170),
    )
    draw_text(picture, (60, SIZE[1] - 150), title or key, 56)
    draw_text(picture, (60, SIZE[1] - 74), credit, 40)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()
