"""Archive benchmark: the read path at 2,000 and 100,000 articles, in one run.

For each size: a fresh SQLite database filled by ``contentapi load-archive`` (the
product's own loader: nb, 70 % also nn, three photos, a clip and 15 comments per
article), one ``contentapi serve`` process pinned to CPU 0, wrk pinned to CPU 1 with 16
connections. Workloads: the article page in nn (random articles, 30 % fall back to nb),
the front page (20 nb), page 5 of the front page by cursor, a tag-filtered list, and a
comment post (each from its own client address). Prints req/s, p50, p99, SQL statements
per request (counted in-process on the same database) and server RSS, the ratio of each
figure at the large size to the small one, and draws a PNG chart.

    .venv/bin/python bench/archive.py [--sizes 2000,100000] [--duration 10] [--chart docs/x.png]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import logging
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import StatementCounter, serving

from contentapi.app import create_app
from contentapi.settings import Settings

ARTICLE = """query ArticlePage($slug: String!) { article(slug: $slug, locale: "nn") {
  locale title slug lead body publishedAt updatedAt images { url alt caption credit }
  videos { url title } comments(first: 20) { edges { node { authorName body createdAt } } }
  commentCount } }"""
FRONT = """query FrontPage($after: String, $tag: String) {
  articles(locale: "nb", first: 20, after: $after, filter: {tag: $tag}) { edges { cursor
  node { title slug lead publishedAt leadImage { url alt } commentCount } } } }"""
POST = """mutation PostComment($articleId: ID!, $body: String!) { postComment(input: {
  articleId: $articleId, authorName: "Kari Nordmann", email: "kari@example.no", body: $body })
  { comment { id createdAt } errors { field code message } } }"""
JSON = {"Content-Type": "application/json"}
WORKLOADS = ("article nn", "front page", "page 5", "tag list", "post comment")
LUA = r"""
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local seq = 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
math.randomseed(os.time())
request = function()
  seq = seq + 1
  local body = bodies[math.random(#bodies)]:gsub("{{seq}}", tostring(seq))
  local headers = {["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
      math.random(0, 255), math.random(1, 254))}
  return wrk.format("POST", "/graphql", headers, body)
end
response = function(status, headers, body)
  -- a GraphQL error, or a mutation payload's user error, counts as an error
  if status ~= 200 or body:find('"errors":%[{') or body:find('"errors":%[%s*{') then
    bad = bad + 1
  end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  io.write(string.format("answers with errors: %d\n", total))
end
"""


def run(*args: str, env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def request_bodies(db: Path, base: str) -> dict[str, list[str]]:
    """The request bodies of each workload, read from the database and the server."""
    con = sqlite3.connect(db)
    slugs = [
        row[0]
        for row in con.execute(
            "SELECT COALESCE(nn.slug, nb.slug) FROM article_translation nb "
            "LEFT JOIN article_translation nn ON nn.article_id = nb.article_id "
            "AND nn.locale = 'nn' WHERE nb.locale = 'nb' ORDER BY nb.article_id"
        )
    ]
    ids = [row[0] for row in con.execute("SELECT id FROM article ORDER BY id")]
    con.close()
    rng = random.Random(42)
    sample = rng.sample(slugs, min(len(slugs), 1000))
    cursor = None
    with httpx.Client(base_url=base) as client:
        for _ in range(4):
            page = client.post("/graphql", json={"query": FRONT, "variables": {"after": cursor}})
            cursor = page.json()["data"]["articles"]["edges"][-1]["cursor"]

    def gid(pk: int) -> str:
        return base64.urlsafe_b64encode(f"Article:{pk}".encode()).decode().rstrip("=")

    def body(query: str, **variables: Any) -> str:
        return json.dumps({"query": query, "variables": variables})

    return {
        "article nn": [body(ARTICLE, slug=s) for s in sample],
        "front page": [body(FRONT)],
        "page 5": [body(FRONT, after=cursor)],
        "tag list": [body(FRONT, tag="klima")],
        "post comment": [
            body(POST, articleId=gid(pk), body=f"Godt skrive, takk ({pk}-{{{{seq}}}})")
            for pk in rng.sample(ids, min(len(ids), 500))
        ],
    }


async def count_statements(db: Path, bodies: dict[str, list[str]]) -> dict[str, int]:
    """SQL statements per request of each workload, on a copy, in-process, warm."""
    copy = db.with_name("count.sqlite3")
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the WAL's pages too, which a file copy would miss
    # the response cache off: what is counted is the computation, not a kept answer
    settings = Settings(
        database_url=f"sqlite://{copy}",
        comment_rate_limit="1000000/minute",
        cache_max_bytes=0,
        allowed_hosts=("bench",),
        read_rate_limit=None,  # one client (10.1.2.3) sends every request
    )
    app = create_app(settings)
    counter = StatementCounter()
    logger = logging.getLogger("tortoise.db_client")
    counts: dict[str, int] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, found in bodies.items():
                content = found[0].replace("{{seq}}", "warm")
                await client.post("/graphql", content=content, headers=JSON)
                logger.setLevel(logging.DEBUG)
                logger.addHandler(counter)
                counter.n = 0
                answer = await client.post(
                    "/graphql", content=found[-1].replace("{{seq}}", "x"), headers=JSON
                )
                logger.removeHandler(counter)
                logger.setLevel(logging.WARNING)
                assert '"errors":[{' not in answer.text and "data" in answer.json(), answer.text
                counts[name] = counter.n
    return counts


def wrk(base: str, bodies: list[str], duration: float, connections: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp) / "bench.lua", Path(tmp) / "bodies.txt"
        script.write_text(LUA)
        listing.write_text("\n".join(bodies) + "\n")
        command = ["wrk", "-t1", f"-c{connections}", f"-d{duration:.0f}s", "--latency"]
        command += ["-s", str(script), f"{base}/graphql"]
        env = {**os.environ, "BENCH_BODIES": str(listing)}
        warm = [*command[:3], "-d2s", *command[4:]]
        subprocess.run(["taskset", "-c", "1", *warm], env=env, check=True, capture_output=True)
        out = subprocess.run(
            ["taskset", "-c", "1", *command], env=env, check=True, capture_output=True, text=True
        ).stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"answers with errors: (\d+)", out)
    assert rps and bad, out
    return {
        "rps": float(rps.group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": float(bad.group(1)) if bad else 0.0,
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure(size: int, folder: Path, duration: float, connections: int) -> dict[str, Any]:
    db = folder / f"archive-{size}.sqlite3"
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{db}",
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
        "CONTENTAPI_PUBLIC_URL": "http://127.0.0.1:8000",
        "CONTENTAPI_COMMENT_RATE_LIMIT": "1000000/minute",
    }
    began = time.perf_counter()
    run(sys.executable, "-m", "contentapi", "load-archive", "--articles", str(size), env=env)
    load_seconds = time.perf_counter() - began
    async with serving(env, cpu=0) as (base, server):
        bodies = request_bodies(db, base)
        counts = await count_statements(db, bodies)
        results = {}
        for name in WORKLOADS:
            results[name] = wrk(base, bodies[name], duration, connections)
            results[name]["sql"] = counts[name]
        rss = rss_mib(server.pid)
    return {"size": size, "load_s": load_seconds, "rss_mib": rss, "results": results}


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| articles | workload | req/s | p50 ms | p99 ms | SQL/request | errors |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        for name in WORKLOADS:
            x = r["results"][name]
            lines.append(
                f"| {r['size']:,} | {name} | {x['rps']:.0f} | {x['p50']:.1f} | {x['p99']:.1f} "
                f"| {x['sql']} | {x['errors']:.0f} |"
            )
    lines.append("")
    lines.append("| articles | load time s | server RSS MiB after the run |")
    lines.append("| ---: | ---: | ---: |")
    for r in runs:
        lines.append(f"| {r['size']:,} | {r['load_s']:.0f} | {r['rss_mib']:.0f} |")
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        lines.append("")
        lines.append(
            f"| workload | req/s at {large['size']:,} ÷ at {small['size']:,} "
            "| p50 ratio | p99 ratio | time per request ratio |"
        )
        lines.append("| --- | ---: | ---: | ---: | ---: |")
        for name in WORKLOADS:
            a, b = small["results"][name], large["results"][name]
            lines.append(
                f"| {name} | {b['rps'] / a['rps']:.2f} | {b['p50'] / a['p50']:.2f} "
                f"| {b['p99'] / a['p99']:.2f} | {a['rps'] / b['rps']:.2f} |"
            )
        lines.append(f"| server RSS | {large['rss_mib'] / small['rss_mib']:.2f} | | | |")
    return "\n".join(lines)


def chart(runs: list[dict[str, Any]], path: Path) -> None:
    """Grouped bars of req/s per workload, one colour per archive size."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, margin = 900, 420, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    top = max(r["results"][n]["rps"] for r in runs for n in WORKLOADS) * 1.15
    colours = ["#2e5d8c", "#c0703a", "#4a8c5c"]
    group = (width - 2 * margin) / len(WORKLOADS)
    bar = group / (len(runs) + 1)
    draw.line((margin, height - margin, width - margin, height - margin), fill="black")
    for i, name in enumerate(WORKLOADS):
        x0 = margin + i * group + bar / 2
        for j, r in enumerate(runs):
            value = r["results"][name]["rps"]
            h = (height - 2 * margin) * value / top
            box = (x0 + j * bar, height - margin - h, x0 + (j + 1) * bar - 4, height - margin)
            draw.rectangle(box, fill=colours[j % len(colours)])
            draw.text((box[0], box[1] - 16), f"{value:.0f}", fill="black", font=font)
        draw.text((x0, height - margin + 8), name, fill="black", font=font)
    draw.text(
        (margin, 15), "requests/s, one server process, 16 connections", fill="black", font=font
    )
    for j, r in enumerate(runs):
        x = width - margin - 170
        draw.rectangle((x, 15 + 20 * j, x + 14, 29 + 20 * j), fill=colours[j % len(colours)])
        draw.text((x + 20, 14 + 20 * j), f"{r['size']:,} articles", fill="black", font=font)
    image.save(path)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,100000")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per workload")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--chart", type=Path, default=Path("docs/benchmarks-archive.png"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("taskset"):
        raise SystemExit("needs wrk and taskset (apt-get install wrk util-linux)")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            runs.append(await measure(size, Path(tmp), args.duration, args.connections))
            print(f"{size} articles measured", file=sys.stderr)
    print(table(runs))
    chart(runs, args.chart)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
