"""The demo's placeholder photos write Norwegian letters, never tofu boxes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from contentapi.demo import pictures

TOFU = "\U0010fffd"  # a private-use code point no font has: drawn as the missing-glyph box


def written(text: str, size: int = 48) -> bytes:
    canvas = Image.new("RGB", (600, 120), (0, 0, 0))
    pictures.draw_text(canvas, (10, 10), text, size)
    return canvas.tobytes()


def test_the_font_has_the_norwegian_letters() -> None:
    assert pictures.text_font(48) is not None, "install fonts-dejavu-core (.ci/run does)"
    for letter in "ØÆÅøæå":
        assert written(f"{letter}rsta") != written(f"{TOFU}rsta"), letter
        assert written(f"{letter}rsta") != written("Orsta"), letter


def test_without_dejavu_the_bitmap_font_still_writes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pictures, "FONT_FILES", (Path("/nowhere/DejaVuSans.ttf"),))
    pictures.text_font.cache_clear()
    try:
        assert pictures.text_font(48) is None
        assert written("Ørsta") != written("Orsta") != written("")
        assert written("Træna og Åsnes") != written("Trana og Asnes")
    finally:
        pictures.text_font.cache_clear()


def test_a_placeholder_is_a_generated_jpeg_with_its_credit() -> None:
    data = pictures.placeholder_jpeg("gen-07-kommuneplan", "Foto: Ørsta kommune", (46, 112, 84))
    assert data == pictures.placeholder_jpeg(
        "gen-07-kommuneplan", "Foto: Ørsta kommune", (46, 112, 84)
    )  # the same key, the same bytes
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG" and picture.size == pictures.SIZE
        colours = picture.convert("RGB").resize((160, 90)).getcolors(160 * 90)
        assert colours is not None and len(colours) > 200  # a picture, not a flat fill
    other = pictures.placeholder_jpeg("gen-07-kommuneplan", "Foto: Orsta kommune", (46, 112, 84))
    assert other != data
