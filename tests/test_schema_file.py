"""The committed SDL is what the code exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contentapi.graphql.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export_sdl(), (
        "schema/schema.graphql is stale: run 'contentapi export-schema > schema/schema.graphql'"
    )


def test_export_schema_command_prints_it() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "contentapi", "export-schema"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_every_public_field_is_described() -> None:
    sdl = export_sdl()
    lines = sdl.splitlines()
    undocumented = [
        line.strip()
        for i, line in enumerate(lines)
        if line.startswith("  ")
        and ":" in line
        and not lines[i - 1].strip().endswith('"""')
        and not line.strip().startswith('"""')
    ]
    assert undocumented == []
