"""A bounded soak: mixed reads and writes against a real server while its database is
write-locked and its Redis is down, then a check that nothing acknowledged was lost.

Starts a private ``redis-server`` on a free port and ``contentapi serve --demo`` on a fresh
SQLite file (request timeout 5 s, comment rate limit out of the way, Redis for events and
rate limits), then runs N concurrent connections of reader traffic (article page, front
page, tag list, interface strings), anonymous comments with unique texts, and editor
writes (createArticle, updateArticle, preview reads) for a fixed time. In the middle,
another connection holds ``BEGIN IMMEDIATE`` on the database file for 5 s, and later Redis
is killed for 5 s and started again.

Every answer is judged: JSON, a code on every error, no 5xx but a coded 503, no
``INTERNAL_ERROR``, no answer later than the request timeout plus a margin (measured
here). At the end every acknowledged write (an answer with an id and no errors) is looked
up in the database file, and one more comment must be accepted once the faults are over.

    .venv/bin/python bench/soak.py [--seconds 60] [--connections 16]

writes ``bench/results/soak-<date>.json``; ``tests/test_soak.py`` runs it for a bounded time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, serving, stop

from contentapi.graphql.relay import from_global_id

REQUEST_TIMEOUT = 5.0  # the server's CONTENTAPI_REQUEST_TIMEOUT_SECONDS during the soak
MARGIN = 5.0  # seconds over the request timeout before an answer counts as too late
FAULT_SECONDS = 5.0  # how long the database stays locked, and Redis stays down

ARTICLE_PAGE = """query($slug: String, $l: String) {
  article(slug: $slug, locale: $l) {
    id title lead body locale isFallback published updated commentCount
    translations { locale slug }
    leadImage { url(width: 960) alt caption credit }
    images(role: INLINE) { url(width: 640) alt caption credit }
    videos { title caption url credit }
    tags { name }
    comments(first: 100) { edges { node { authorName body created } } }
  } }"""
FRONT_PAGE = """query($l: String) { articles(locale: $l, first: 20) { totalCount
  pageInfo { hasNextPage endCursor }
  edges { node { id slug title lead published leadImage { url(width: 640) alt }
  tags { key name } commentCount } } } }"""
TAG_LIST = """query($t: String, $l: String) { articles(locale: $l, first: 20,
  filter: {tag: $t}) { edges { node { title slug published } } } }"""
MESSAGES = """query($l: String) { messages(locale: $l) { key text } }"""
POST_COMMENT = """mutation($a: ID!, $b: String!) { postComment(input: {articleId: $a,
  authorName: "Soak", email: "soak@example.org", body: $b}) { comment { id } errors { code } } }"""
CREATE = """mutation($t: String!, $b: String!) { createArticle(input: {locale: "nb", title: $t,
  lead: "Soak.", body: $b}) { article { id version } errors { code } } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $b: String!) { updateArticle(input: {id: $id,
  locale: "nb", expectedVersion: $v, body: $b}) { article { version } errors { code } } }"""
PREVIEW = """query($id: ID!) { article(id: $id, locale: "nb", preview: true) { title version } }"""

# operation -> weight in the mix
MIX = {
    "article": 30,
    "front": 20,
    "tag": 12,
    "messages": 4,
    "comment": 14,
    "create": 5,
    "update": 8,
    "preview": 7,
}
WRITER_OPS = {"create", "update", "preview"}  # sent with the editor token


@dataclass
class Answer:
    """One request as the client saw it."""

    op: str
    phase: str  # the fault going on when it was sent (">" the one when it was answered)
    seconds: float
    status: int  # 0: no HTTP answer
    codes: list[str]
    problem: str | None = None


@dataclass
class Write:
    """An acknowledged write: what must be in the database afterwards."""

    kind: str  # comment, create, update
    pk: int
    text: str  # the comment's text, the new article's title, the update's body
    version: int = 0


@dataclass
class Report:
    """The soak's figures and its findings."""

    date: str
    seconds: float
    connections: int
    request_timeout: float
    bound: float
    requests: int = 0
    per_second: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    by_phase: dict[str, dict[str, int]] = field(default_factory=dict)
    by_op: dict[str, dict[str, int]] = field(default_factory=dict)
    latency_ms: dict[str, float] = field(default_factory=dict)
    slowest_ms_by_phase: dict[str, float] = field(default_factory=dict)
    acknowledged: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    problems: int = 0
    problem_kinds: dict[str, int] = field(default_factory=dict)
    problem_samples: list[str] = field(default_factory=list)
    faults: dict[str, str] = field(default_factory=dict)
    recovered: str = ""  # empty when a write was accepted after the faults
    server_tracebacks: int = 0

    def line(self) -> str:
        """The one-line summary CI logs carry."""
        codes = ", ".join(f"{code} {n}" for code, n in self.codes.items())
        acked, found = sum(self.acknowledged.values()), sum(self.found.values())
        lat = self.latency_ms
        return (
            f"soak: {self.seconds:.0f} s, {self.connections} connections: {self.requests} "
            f"requests ({self.per_second:.0f}/s); answers: {codes}; p50 {lat.get('p50', 0):.0f} "
            f"ms, p99 {lat.get('p99', 0):.0f} ms, max {lat.get('max', 0):.0f} ms "
            f"(bound {self.bound * 1000:.0f}); acknowledged writes found {found}/{acked}; "
            f"problems {self.problems}; after the faults: {self.recovered or 'recovered'}; "
            f"server tracebacks {self.server_tracebacks}"
        )


class PrivateRedis:
    """A ``redis-server`` of our own on ``port`` (no persistence), to stop and start at will."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        """Start it and wait until it answers PING (20 s at most)."""
        command = [
            shutil.which("redis-server") or "redis-server",
            *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
            *("--appendonly", "no", "--daemonize", "no"),
        ]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(b"PING\r\n")
                await writer.drain()
                answer = await asyncio.wait_for(reader.readline(), 1)
                writer.close()
                if answer.startswith(b"+PONG"):
                    return
            await asyncio.sleep(0.1)
        raise RuntimeError("redis-server did not answer PING in 20 s")

    def kill(self) -> None:
        """Kill it at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        """Stop it for good."""
        if self.process is not None:
            stop(self.process)


@asynccontextmanager
async def soak_server(
    folder: Path, redis_url: str
) -> AsyncIterator[tuple[str, dict[str, str], subprocess.Popen[bytes]]]:
    """``contentapi serve --demo`` on a fresh SQLite file in ``folder``, configured for the
    soak; yields its base URL, environment and process once ``/readyz`` answers."""
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": f"sqlite://{folder / 'soak.sqlite3'}",
        "CONTENTAPI_MEDIA_DIR": str(folder / "media"),
        "CONTENTAPI_REDIS_URL": redis_url,
        "CONTENTAPI_COMMENT_RATE_LIMIT": "1000000/minute",
        "CONTENTAPI_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT),
    }
    async with serving(env, "--demo", log=folder / "server.log") as (base, process):
        yield base, env, process


def editor_token(env: dict[str, str]) -> str:
    """A new editor token on the server's database."""
    done = subprocess.run(
        [sys.executable, "-m", "contentapi", "token", "create", "--role=editor", "--name=soak"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def hold_write_lock(path: Path, seconds: float) -> None:
    """Hold SQLite's write lock on ``path`` (``BEGIN IMMEDIATE``) for ``seconds``."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        connection.execute("ROLLBACK")
    finally:
        connection.close()


class Soak:
    """The load, the faults and the bookkeeping of one run."""

    def __init__(self, base: str, token: str, seconds: float, connections: int) -> None:
        self.base = base
        self.token = token
        self.seconds = seconds
        self.connections = connections
        self.bound = REQUEST_TIMEOUT + MARGIN
        self.phase = "before"
        self.answers: list[Answer] = []
        self.writes: list[Write] = []
        self.articles: list[dict[str, Any]] = []
        self.tags: list[str] = []
        self.started = 0.0
        self.faults: dict[str, str] = {}

    async def post(
        self, client: httpx.AsyncClient, op: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Send one GraphQL request, judge its answer, and return its body (None: unusable)."""
        headers = {"Authorization": f"Bearer {self.token}"} if op in WRITER_OPS else {}
        phase, began = self.phase, time.monotonic()
        try:
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
        except httpx.HTTPError as error:
            seconds = time.monotonic() - began
            problem = f"no answer ({type(error).__name__}) after {seconds:.1f} s"
            self.answers.append(Answer(op, phase, seconds, 0, [], problem))
            return None
        seconds = time.monotonic() - began
        if self.phase != phase:  # in flight when a fault began or ended
            phase = f"{phase}>{self.phase}"
        answer = Answer(op, phase, seconds, response.status_code, [])
        self.answers.append(answer)
        body = judge(answer, response, self.bound)
        return body

    async def reader(self, client: httpx.AsyncClient, rng: random.Random, op: str) -> None:
        """One anonymous read of the reader page's kind."""
        locale = rng.choice(["nb", "nn"])
        if op == "article":
            article = rng.choice(self.articles)
            await self.post(client, op, ARTICLE_PAGE, {"slug": article["slug"], "l": locale})
        elif op == "front":
            await self.post(client, op, FRONT_PAGE, {"l": locale})
        elif op == "tag":
            await self.post(client, op, TAG_LIST, {"t": rng.choice(self.tags), "l": locale})
        else:
            await self.post(client, op, MESSAGES, {"l": locale})

    async def worker(self, number: int, deadline: float) -> None:
        """One connection's loop: a weighted mix of reads and writes until ``deadline``."""
        rng = random.Random(number)
        ops, weights = list(MIX), list(MIX.values())
        own: dict[str, Any] = {}  # this worker's article: id, pk, version (None: unknown)
        n = 0
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        timeout = httpx.Timeout(self.bound + 30)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=timeout) as client:
            while time.monotonic() < deadline:
                n += 1
                op = rng.choices(ops, weights)[0]
                if op in ("update", "preview") and not own:
                    op = "create"
                marker = f"soak {number}-{n} {rng.getrandbits(32):08x}"
                if op == "comment":
                    target = rng.choice(self.articles)
                    body = await self.post(
                        client, op, POST_COMMENT, {"a": target["id"], "b": f"Kommentar {marker}"}
                    )
                    comment = payload(body, "postComment", "comment")
                    if comment:
                        pk = from_global_id(comment["id"])[1]
                        self.writes.append(Write("comment", pk, f"Kommentar {marker}"))
                elif op == "create":
                    title = f"Soak {marker}"
                    body = await self.post(client, op, CREATE, {"t": title, "b": "<p>Soak.</p>"})
                    article = payload(body, "createArticle", "article")
                    if article:
                        pk = from_global_id(article["id"])[1]
                        self.writes.append(Write("create", pk, title, int(article["version"])))
                        own = {"id": article["id"], "pk": pk, "version": article["version"]}
                elif op == "update":
                    if own["version"] is None:
                        found = await self.post(client, "preview", PREVIEW, {"id": own["id"]})
                        current = ((found or {}).get("data") or {}).get("article")
                        if not current:
                            continue
                        own["version"] = current["version"]
                    text = f"<p>Oppdatert {marker}</p>"
                    variables = {"id": own["id"], "v": own["version"], "b": text}
                    body = await self.post(client, op, UPDATE, variables)
                    article = payload(body, "updateArticle", "article")
                    if article:
                        own["version"] = article["version"]
                        version = int(article["version"])
                        self.writes.append(Write("update", own["pk"], marker, version))
                    else:  # not acknowledged: it may or may not have been saved
                        own["version"] = None
                elif op == "preview":
                    await self.post(client, op, PREVIEW, {"id": own["id"]})
                else:
                    await self.reader(client, rng, op)

    async def faults_in_the_middle(self, database: Path, redis: PrivateRedis) -> None:
        """At a quarter of the time lock the database for 5 s; past half, kill Redis for 5 s."""
        await asyncio.sleep(self.seconds * 0.25)
        self.phase = "db-locked"
        self.faults["db-locked"] = f"{time.monotonic() - self.started:.1f} s"
        try:
            await asyncio.to_thread(hold_write_lock, database, FAULT_SECONDS)
        finally:
            self.phase = "between"
        await asyncio.sleep(max(0.0, self.seconds * 0.55 - (time.monotonic() - self.started)))
        self.phase = "redis-down"
        self.faults["redis-down"] = f"{time.monotonic() - self.started:.1f} s"
        redis.kill()
        try:
            await asyncio.sleep(FAULT_SECONDS)
        finally:
            await redis.start()
            self.phase = "after"

    async def prepare(self) -> None:
        """The demo's articles and tags, to read and comment on."""
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            response = await client.post(
                "/graphql", json={"query": FRONT_PAGE, "variables": {"l": "nb"}}
            )
            edges = response.json()["data"]["articles"]["edges"]
        self.articles = [edge["node"] for edge in edges]
        self.tags = sorted({tag["key"] for a in self.articles for tag in a["tags"]}) or ["x"]
        if not self.articles:
            raise RuntimeError("the demo has no published article")

    async def run(self, database: Path, redis: PrivateRedis) -> None:
        """The load and the faults, for ``seconds``."""
        await self.prepare()
        self.started = time.monotonic()
        deadline = self.started + self.seconds
        faults = asyncio.create_task(self.faults_in_the_middle(database, redis))
        try:
            await asyncio.gather(*(self.worker(i, deadline) for i in range(self.connections)))
        finally:
            await faults  # the lock is released and Redis is back before we go on

    async def recovery(self) -> str:
        """After the faults, a comment must be accepted within 30 s; empty when it was."""
        article = self.articles[0]
        last = ""
        async with httpx.AsyncClient(base_url=self.base, timeout=self.bound + 30) as client:
            for attempt in range(30):
                text = f"Etter feila {attempt} {time.time_ns()}"
                self.phase = "recovery"
                variables = {"a": article["id"], "b": text}
                body = await self.post(client, "comment", POST_COMMENT, variables)
                comment = payload(body, "postComment", "comment")
                if comment:
                    self.writes.append(Write("comment", from_global_id(comment["id"])[1], text))
                    return ""
                last = json.dumps(body)[:300] if body else "no answer"
                await asyncio.sleep(1)
        return f"no comment accepted in 30 s after the faults; last answer: {last}"


def judge(answer: Answer, response: httpx.Response, bound: float) -> dict[str, Any] | None:
    """Fill in ``answer``'s codes and problem from ``response``; the decoded body, if any."""
    problems = []
    if answer.seconds > bound:
        problems.append(f"took {answer.seconds:.1f} s (bound {bound:.0f} s)")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind = response.headers.get("content-type", "")
        answer.problem = f"HTTP {response.status_code} not a JSON object ({kind}): "
        answer.problem += response.text[:150]
        answer.codes = [f"HTTP {response.status_code}"]
        return None
    errors = list(body.get("errors") or [])
    codes = [str((e.get("extensions") or {}).get("code") or "") for e in errors]
    for value in (body.get("data") or {}).values():  # payload errors: errors { code }
        if isinstance(value, dict):
            codes += [str(e.get("code") or "") for e in value.get("errors") or []]
    answer.codes = codes
    if "" in codes:
        problems.append(f"an error without a code: {json.dumps(errors)[:200]}")
    status = f"HTTP {response.status_code}"
    if "INTERNAL_ERROR" in codes:
        problems.append(f"{status} INTERNAL_ERROR")
    if response.status_code != 200 and not errors:
        problems.append(f"{status} without errors")
    if response.status_code >= 500 and not (response.status_code == 503 and codes and all(codes)):
        problems.append(f"{status} {','.join(sorted(set(codes)))} (a 5xx other than a coded 503)")
    if problems:
        detail = json.dumps(body, ensure_ascii=False)[:200]
        answer.problem = f"{'; '.join(problems)}: {detail}"
    return body


def payload(body: dict[str, Any] | None, mutation: str, key: str) -> dict[str, Any] | None:
    """The written object of an acknowledged write: no errors anywhere and an id or version."""
    if not body or body.get("errors"):
        return None
    result = (body.get("data") or {}).get(mutation) or {}
    written = result.get(key)
    if result.get("errors") or not isinstance(written, dict):
        return None
    return written if (written.get("id") or written.get("version")) else None


def missing_writes(database: Path, writes: list[Write]) -> list[str]:
    """Every acknowledged write that is not in the database file."""
    missing = []
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        for write in writes:
            if write.kind == "comment":
                row = connection.execute("SELECT body FROM comment WHERE id = ?", (write.pk,))
                ok = (row.fetchone() or [None])[0] == write.text
            elif write.kind == "create":
                row = connection.execute(
                    "SELECT title FROM article_translation WHERE article_id = ? AND locale = 'nb'",
                    (write.pk,),
                )
                ok = (row.fetchone() or [None])[0] == write.text
            else:
                row = connection.execute(
                    "SELECT body FROM article_revision WHERE article_id = ? AND locale = 'nb' "
                    "AND version = ?",
                    (write.pk, write.version),
                )
                ok = write.text in ((row.fetchone() or [""])[0] or "")
            if not ok:
                missing.append(f"{write.kind} {write.pk} v{write.version}: {write.text}")
    finally:
        connection.close()
    return missing


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarise(soak: Soak, database: Path, log: Path, recovered: str) -> Report:
    """The report of a finished run."""
    answers = soak.answers
    report = Report(
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=soak.seconds,
        connections=soak.connections,
        request_timeout=REQUEST_TIMEOUT,
        bound=soak.bound,
        requests=len(answers),
        per_second=len(answers) / soak.seconds,
        faults=soak.faults,
        recovered=recovered,
    )

    def outcome(answer: Answer) -> str:
        return ",".join(sorted(set(answer.codes))) or "OK"

    report.statuses = dict(Counter(str(a.status) for a in answers).most_common())
    report.codes = dict(Counter(outcome(a) for a in answers).most_common())
    for attribute, key in (("by_phase", "phase"), ("by_op", "op")):
        table: dict[str, Counter[str]] = {}
        for a in answers:
            table.setdefault(getattr(a, key), Counter())[outcome(a)] += 1
        setattr(report, attribute, {k: dict(v.most_common()) for k, v in table.items()})
    latencies = [a.seconds * 1000 for a in answers]
    report.latency_ms = {
        "p50": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p99": round(percentile(latencies, 0.99), 1),
        "max": round(max(latencies, default=0.0), 1),
    }
    for a in answers:
        slowest = report.slowest_ms_by_phase.get(a.phase, 0.0)
        report.slowest_ms_by_phase[a.phase] = round(max(slowest, a.seconds * 1000), 1)
    report.acknowledged = dict(Counter(w.kind for w in soak.writes))
    report.missing = missing_writes(database, soak.writes)
    lost = Counter(m.split(" ", 1)[0] for m in report.missing)
    report.found = {k: n - lost[k] for k, n in report.acknowledged.items()}
    problems = [a for a in answers if a.problem]
    report.problems = len(problems)
    kinds = Counter(f"{a.op} [{a.phase}] {kind_of(a.problem or '')}" for a in problems)
    report.problem_kinds = dict(kinds.most_common())
    seen: set[str] = set()
    for a in problems:  # the first of each kind, as sent
        kind = f"{a.op} [{a.phase}] {kind_of(a.problem or '')}"
        if kind not in seen:
            seen.add(kind)
            report.problem_samples.append(f"{a.op} [{a.phase}] {a.problem}")
    report.server_tracebacks = log.read_text(errors="replace").count("Traceback")
    return report


def kind_of(problem: str) -> str:
    """A problem without its details (for counting kinds)."""
    return re.sub(r"took [\d.]+ s", "too slow", problem.split(":", 1)[0])


async def run_soak(folder: Path, seconds: float = 60.0, connections: int = 16) -> Report:
    """Run the whole soak in ``folder`` (database, logs) and return its report."""
    folder.mkdir(parents=True, exist_ok=True)
    redis = PrivateRedis(free_port(), folder / "redis.log")
    await redis.start()
    try:
        async with soak_server(folder, f"redis://127.0.0.1:{redis.port}/0") as (base, env, _):
            database = folder / "soak.sqlite3"
            soak = Soak(base, editor_token(env), seconds, connections)
            await soak.run(database, redis)
            recovered = await soak.recovery()
            return summarise(soak, database, folder / "server.log", recovered)
    finally:
        redis.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load duration (>= 20)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    try:
        report = asyncio.run(run_soak(folder, max(20.0, args.seconds), args.connections))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"database and logs in {folder}")
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    out = results / f"soak-{datetime.now(UTC).date().isoformat()}.json"
    out.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n")
    print(report.line())
    for sample in report.problem_samples + report.missing[:20]:
        print("  " + sample)
    print(f"written to {out}")
    sys.exit(1 if report.problems or report.missing or report.recovered else 0)


if __name__ == "__main__":
    main()
