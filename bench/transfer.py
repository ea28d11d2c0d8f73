"""Transfer benchmark: ``contentapi export`` and ``import`` of the generated archive.

Fills a fresh SQLite database with ``contentapi load-archive --articles SIZE`` (nb, 70 %
also nn, three photos, a clip and 15 comments per article), gives the first
``--media-files`` photos real files of ``--media-bytes`` each (the archive's photos have
none), then times, each as its own process: the export to a file, the import into
``--target`` (an empty database; default a new SQLite file), and, unless
``--no-verify``, an export of the target, which must be byte-identical. Reports seconds,
rows/s, the file's size and each process's peak RSS (``os.wait4``'s rusage of that very
process), so runs at two sizes show whether memory grows with the site.

    .venv/bin/python bench/transfer.py [--size 100000] [--target postgres://…/db --wipe]
        [--media-files 20] [--media-bytes 5000000] [--json bench/results/transfer.json]
"""

from __future__ import annotations

import argparse
import asyncio
import filecmp
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg


def timed(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``contentapi COMMAND`` and return its wall seconds and peak RSS (MiB)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "contentapi", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"contentapi {' '.join(command)} failed:\n{out}{err}")
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def give_files(database: Path, media: Path, count: int, size: int) -> int:
    """Real files for the first ``count`` archive photos (deterministic bytes)."""
    with sqlite3.connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                'SELECT "file" FROM "image" ORDER BY "id" LIMIT ?', [count]
            )
        ]
    rng = random.Random(13)
    for name in names:
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    return len(names)


async def wipe(url: str) -> None:
    """Drop and make again the PostgreSQL schema of ``url`` (only with --wipe)."""
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles (default 100000)")
    parser.add_argument("--target", help="database URL to import into (default: new SQLite)")
    parser.add_argument("--wipe", action="store_true", help="drop the PostgreSQL target's schema")
    parser.add_argument("--media-files", type=int, default=20)
    parser.add_argument("--media-bytes", type=int, default=5_000_000)
    parser.add_argument("--no-verify", action="store_true", help="skip the second export")
    parser.add_argument("--json", type=Path, help="append the result to this JSON Lines file")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    folder.mkdir(parents=True, exist_ok=True)
    source_db = folder / "source.sqlite3"
    for stale in folder.glob("source.sqlite3*"):
        stale.unlink()
    base = {k: v for k, v in os.environ.items() if not k.startswith("CONTENTAPI_")}
    source = {
        **base,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{source_db}",
        "CONTENTAPI_MEDIA_DIR": str(folder / "source-media"),
    }
    target_url = args.target or f"sqlite://{folder / 'target.sqlite3'}"
    if target_url.startswith("sqlite://"):
        for stale in folder.glob("target.sqlite3*"):
            stale.unlink()
    elif args.wipe:
        asyncio.run(wipe(target_url))
    target = {
        **base,
        "CONTENTAPI_DATABASE_URL": target_url,
        "CONTENTAPI_MEDIA_DIR": str(folder / "target-media"),
    }

    print(f"archive of {args.size:,} articles in {folder} …", flush=True)
    load = timed(["load-archive", "--articles", str(args.size)], source)
    files = give_files(source_db, folder / "source-media", args.media_files, args.media_bytes)
    export_file = folder / "site.jsonl"
    exported = timed(["export", "-o", str(export_file)], source)
    with export_file.open("rb") as lines:
        header = json.loads(lines.readline())
    rows = sum(header["counts"].values())
    imported = timed(["import", str(export_file)], target)
    result: dict[str, Any] = {
        "size": args.size,
        "target": target_url.split("://", 1)[0],
        "rows": rows,
        "media_files": files,
        "file_mib": round(export_file.stat().st_size / 2**20, 1),
        "load_archive": load,
        "export": {**exported, "rows_per_s": round(rows / exported["seconds"])},
        "import": {**imported, "rows_per_s": round(rows / imported["seconds"])},
    }
    if not args.no_verify:
        again = folder / "again.jsonl"
        result["export_of_target"] = timed(["export", "-o", str(again)], target)
        result["byte_identical"] = filecmp.cmp(again, export_file, shallow=False)
        again.unlink()
    print(json.dumps(result, indent=2))
    if args.json:
        with args.json.open("a") as out:
            out.write(json.dumps(result) + "\n")
    if not args.keep:
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        folder.rmdir()
    if result.get("byte_identical") is False:
        raise SystemExit("the export of the target differs from the first export")


if __name__ == "__main__":
    main()
