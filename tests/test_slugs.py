from __future__ import annotations

import pytest

from contentapi.articles.slugs import is_valid_slug, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Innovasjonspris til Træna kommune", "innovasjonspris-til-traena-kommune"),
        ("Ærlig talt — 100 % «sant»!", "aerlig-talt-100-sant"),
        ("Øvre Årdal", "ovre-aardal"),
        ("Ŋuorra Đ ŧ", "nuorra-d-t"),
        ("Čáhcesuolu", "cahcesuolu"),
        ("Straße", "strasse"),
        ("ǽ ǿ", "ae-o"),
        ("   ", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_valid_slugs() -> None:
    assert is_valid_slug("a-b-1")
    for bad in ("A", "a--b", "-a", "a-", "æ", "a b", "a" * 201):
        assert not is_valid_slug(bad), bad
