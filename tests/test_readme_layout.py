"""The README's layout section names what is in src/contentapi, and nothing that is not."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "contentapi"


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout\n", 1)[1]
    return section.split("```\n", 2)[1]


def test_the_layout_names_every_package_and_module() -> None:
    block = layout_block()
    named = set(re.findall(r"\b([a-z_0-9]+(?:/|\.py))", block))
    packages = {f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    modules = {p.name for p in PACKAGE.glob("*.py") if not p.name.startswith("__")}
    assert packages | modules <= named, sorted((packages | modules) - named)
    for package in ("articles", "comments", "translation"):
        files = {p.name for p in (PACKAGE / package).glob("*.py") if p.name != "__init__.py"}
        assert files <= named, (package, sorted(files - named))


def test_the_layout_names_nothing_that_is_gone() -> None:
    block = layout_block().split("tests/", 1)[0]  # what follows is outside the package
    for name in set(re.findall(r"\b([a-z_0-9]+\.py)\b", block)):
        assert list(PACKAGE.rglob(name)), f"README names {name}, which is not in src/contentapi"
