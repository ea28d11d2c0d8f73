"""Time and peak memory to make a 1280 px rendition of a 12-megapixel JPEG.

Each run is a fresh process, so its peak resident memory (VmHWM) belongs to that one
rendition (plus the interpreter and Pillow, measured alone as the baseline).

    .venv/bin/python bench/renditions.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

CHILD = """
import json, sys, time
from pathlib import Path
from PIL import Image
from contentapi.media import renditions

def high_water_kib():  # VmHWM: this process's peak resident memory (reset by exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

source, target, width = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
made = renditions._make(source, target, width) if width else True
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_kib": high_water_kib(), "made": made}))
"""


def camera_photo(path: Path) -> None:
    """A 4000 x 3000 JPEG with texture (noise compresses like a real photo, not like a flat)."""
    noise = Image.effect_noise((4000, 3000), 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    photo = Image.blend(noise, gradient, 0.5)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())


def run(source: Path, target: Path, width: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), str(target), str(width)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target.unlink(missing_ok=True)
    return dict(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "ab" / ("ab" + "0" * 62 + ".jpg")
        source.parent.mkdir()
        camera_photo(source)
        target = Path(tmp) / "w1280" / source.parent.name / source.name
        baseline = run(source, target, 0)["peak_kib"]
        results = [run(source, target, 1280) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_kib"] for r in results)
        print(
            f"12 MP JPEG ({source.stat().st_size / 1e6:.1f} MB, 4000 x 3000) -> 1280 px wide, "
            f"{args.runs} runs, each in a fresh process"
        )
        print("| median time | peak RSS | of which the rendition (over the bare process) |")
        print("| ---: | ---: | ---: |")
        print(
            f"| {seconds * 1000:.0f} ms | {peak / 1024:.0f} MiB | "
            f"{(peak - baseline) / 1024:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
