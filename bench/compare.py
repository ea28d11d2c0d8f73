"""Two states of the code on the same data, in one run: ``inprocess.py`` for each source
tree in turn, several rounds, and the ratio of their medians (these machines are noisy, so
only a ratio measured in the same run means anything).

    git worktree add /tmp/old <rev>
    .venv/bin/python bench/compare.py --old /tmp/old/src --database db.sqlite3 \\
        --media media --query q.graphql --variables '{"slug": "..."}' [--no-cache]

Extra arguments after ``--`` go to the new tree's runs only (e.g. ``--client 10.1.2.3
--setting read_rate_limit=1000000/minute``: settings the old tree may not have).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

INPROCESS = Path(__file__).resolve().parent / "inprocess.py"
NEW_SRC = Path(__file__).resolve().parents[1] / "src"


def one_run(src: Path, common: list[str], extra: list[str]) -> float:
    """Microseconds per request of one ``inprocess.py`` run with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, str(INPROCESS), *common, *extra],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"(\d+) µs per request", done.stdout)
    if found is None:
        raise SystemExit(f"no figure in: {done.stdout}{done.stderr}")
    return float(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", required=True, type=Path, help="the old tree's src/")
    parser.add_argument("--database", required=True)
    parser.add_argument("--media", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--variables", default="{}")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-cache", action="store_true")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    common = [
        "--database", args.database, "--media", args.media, "--query", args.query,
        "--variables", args.variables, "--requests", str(args.requests),
    ]  # fmt: skip
    if args.no_cache:
        common.append("--no-cache")
    old: list[float] = []
    new: list[float] = []
    for _ in range(args.rounds):  # alternating, so drift hits both alike
        old.append(one_run(args.old, common, []))
        new.append(one_run(NEW_SRC, common, extra))
    o, n = statistics.median(old), statistics.median(new)
    print(f"old {o:.0f} µs  new {n:.0f} µs  new/old {n / o:.2f}  (runs: old {old} new {new})")


if __name__ == "__main__":
    main()
