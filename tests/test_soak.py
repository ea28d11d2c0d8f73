"""The bounded soak (``bench/soak.py``): 16 connections of mixed reads and writes against
a real server for about a minute, the SQLite database write-locked for 5 s and the
server's (private) Redis killed for 5 s in the middle.

It must end with every acknowledged write in the database, every answer JSON with a code
on its errors, no 5xx but a coded 503, no ``INTERNAL_ERROR``, no answer later than the
request timeout plus a margin (measured by the client), and the server taking writes
again once the faults are over. Correctness only: the figures (requests, answers by
code, p50/p99) are printed and written to ``test-output/soak.json``, never asserted.

``CONTENTAPI_SOAK_SECONDS`` sets the duration (default 60, at least 20).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from bench.soak import run_soak
from tests.conftest import TEST_OUTPUT

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="redis-server is not installed (apt-get install redis-server; .ci/run does)",
    ),
]

SECONDS = max(20.0, float(os.environ.get("CONTENTAPI_SOAK_SECONDS", "60")))


async def test_soak_with_a_locked_database_and_redis_down_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = await run_soak(tmp_path, seconds=SECONDS, connections=16)
    TEST_OUTPUT.mkdir(exist_ok=True)
    (TEST_OUTPUT / "soak.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    with capsys.disabled():
        print(f"\n{report.line()}")
    assert report.requests > 0 and report.faults.keys() == {"db-locked", "redis-down"}
    acknowledged = report.acknowledged
    assert acknowledged.get("comment") and acknowledged.get("create"), acknowledged
    assert not report.missing, f"acknowledged, then lost: {report.missing[:20]}"
    assert not report.problems, (
        f"{report.problems} bad answers {report.problem_kinds};\nfirst of each kind:\n"
        + "\n".join(report.problem_samples)
    )
    assert not report.recovered, report.recovered
