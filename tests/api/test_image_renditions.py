"""Image.renditions and Image.srcset: every listed file answers, in its format and width."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from contentapi.demo.content import SEED
from contentapi.media import renditions
from tests.conftest import gql

QUERY = """query($slug: String!, $locale: String!, $format: ImageFormat!) {
  article(slug: $slug, locale: $locale) { images {
    width height
    renditions(format: $format) { width height url type }
    srcset(format: $format)
  } } }"""


@pytest.mark.parametrize("locale", ["nb", "nn"])
@pytest.mark.parametrize("fmt", ["ORIGINAL", "WEBP"])
async def test_every_rendition_answers_in_its_format_and_width(
    demo_client: httpx.AsyncClient, locale: str, fmt: str
) -> None:
    body = await gql(
        demo_client, QUERY, {"slug": SEED.slug[locale], "locale": locale, "format": fmt}
    )
    assert "errors" not in body, body
    images = body["data"]["article"]["images"]
    assert images
    for image in images:
        listed = image["renditions"]
        widths = [r["width"] for r in listed]
        # every fixed width below the original's, then the original's
        assert widths == [w for w in renditions.WIDTHS if w < image["width"]] + [image["width"]]
        assert listed[-1]["height"] == image["height"]
        assert image["srcset"] == ", ".join(f"{r['url']} {r['width']}w" for r in listed)
        for rendition in listed:
            response = await demo_client.get(rendition["url"])
            assert response.status_code == 200, rendition
            expected = "image/webp" if fmt == "WEBP" else "image/jpeg"
            assert rendition["type"] == expected
            assert response.headers["content-type"] == expected
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
            with Image.open(io.BytesIO(response.content)) as served:
                assert served.format == ("WEBP" if fmt == "WEBP" else "JPEG")
                assert served.size == (rendition["width"], rendition["height"])


async def test_webp_names_and_refusals(demo_client: httpx.AsyncClient) -> None:
    body = await gql(
        demo_client,
        """query($slug: String!) { article(slug: $slug, locale: "nb") {
          leadImage { url width } } }""",
        {"slug": SEED.slug["nb"]},
    )
    image = body["data"]["article"]["leadImage"]
    file = image["url"].split("/media/")[1]
    stem = file.removesuffix(".jpg")
    # a WebP copy at the original's width is there; a JPEG one is the original itself
    full = await demo_client.get(f"/media/w{image['width']}/{stem}.webp")
    assert full.status_code == 200 and full.headers["content-type"] == "image/webp"
    assert (await demo_client.get(f"/media/w{image['width']}/{file}")).status_code == 404
    # other widths than the fixed ones and the original's are never made
    assert (await demo_client.get(f"/media/w777/{stem}.webp")).status_code == 404
    assert (await demo_client.get(f"/media/w1920/{stem}.webp")).status_code == 404
    # a WebP name with no stored original
    assert (await demo_client.get(f"/media/w640/ab/{'a' * 64}.webp")).status_code == 404
    assert (await demo_client.get(f"/media/w640/{stem}.jpg.webp")).status_code == 404


def test_a_png_with_transparency_becomes_a_webp_with_alpha(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    picture = Image.new("RGBA", (700, 400), (10, 20, 30, 0))
    (folder / "ab").mkdir()
    name = f"ab/{'b' * 64}.png"
    picture.save(folder / name, format="PNG")
    target = folder / "w640" / name.replace(".png", ".webp")
    assert renditions._make(folder / name, target, 640, "WEBP")
    with Image.open(target) as made:
        assert made.format == "WEBP" and made.size == (640, 366) and made.mode == "RGBA"
