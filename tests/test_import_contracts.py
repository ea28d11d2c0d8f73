"""The package layout as a test: the import contracts in .importlinter hold.

The contracts say that HTTP sits on the schema, the schema on the services, the services
on the ORM; that no domain imports GraphQL; that media and i18n import no other domain;
and that events know no domain. A forbidden import anywhere in src/ fails this test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
