"""``contentapi export`` and ``import``: a whole site moved between databases, byte for byte.

The source site is built in SQLite through the real app (an upload, a video, comments in
every state, tokens, a scheduled and a deleted article, revisions, an idempotency key,
webhook deliveries); the commands run as real processes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from PIL import Image as Picture
from tortoise import Tortoise
from tortoise.connection import connections

from contentapi import db, transfer
from contentapi.auth.tokens import Role, create_token, revoke_token
from contentapi.demo.content import SEED
from contentapi.settings import Settings
from contentapi.transfer.format import (
    BY_NAME,
    DERIVED_COLUMNS,
    DERIVED_MODULES,
    DERIVED_TABLES,
    RECORD_TYPES,
    VERSION,
    Problem,
)
from tests.conftest import (
    FakeClock,
    bearer,
    fresh_database_url,
    gql,
    postgres_database_url,
    running_app,
)

UPLOAD = """mutation($file: Upload!, $input: ImageInput!) { uploadImage(file: $file,
  input: $input) { image { id url } errors { field code } } }"""
VIDEO = """mutation($i: VideoInput!) { createVideo(input: $i) { video { id } errors { code } } }"""
CREATE = """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
  article { id version } errors { field code } } }"""
UPDATE = """mutation($i: UpdateArticleInput!) { updateArticle(input: $i) {
  article { id version } errors { field code } } }"""
TRANSLATE = """mutation($i: TranslateArticleInput!) { translateArticle(input: $i) {
  article { id } errors { field code } } }"""
PUBLISH = """mutation($id: ID!, $l: String!, $at: DateTime) { publishArticle(id: $id,
  locale: $l, at: $at) { article { id } errors { code } } }"""
ATTACH = """mutation($a: ID!, $m: ID!, $r: MediaRole!) { attachMedia(articleId: $a,
  mediaId: $m, role: $r) { article { id } errors { code } } }"""
DELETE = """mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }"""
POST = """mutation($i: PostCommentInput!) { postComment(input: $i) {
  comment { id } errors { field code } } }"""
MODERATE = """mutation($id: ID!, $d: ModerationDecision!) { moderateComment(id: $id,
  decision: $d) { comment { id } errors { code } } }"""
PAGE = """query($s: String!, $p: Boolean) { article(slug: $s, locale: "nb", preview: $p) {
  id title version
  leadImage { url alt } videos { title thumbnail { url } } tags { name }
  comments(first: 20) { edges { node { authorName body } } }
  translations { locale status } } }"""
SLUG = "flytting-til-postgresql"
MOVED_TITLE = "Nettstaden flyttar til PostgreSQL"


def photo() -> bytes:
    picture = Picture.new("RGB", (1200, 800), (200, 40, 90))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return out.getvalue()


@dataclass
class Site:
    """The source site: its settings, the export of it, and what tests check against."""

    settings: Settings
    env: dict[str, str]
    export: Path
    tokens: dict[str, str]
    revoked: str
    image_url: str
    image_bytes: bytes


def command_env(settings: Settings) -> dict[str, str]:
    """The environment of ``contentapi`` commands on ``settings``' database and media."""
    return {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": settings.database_url,
        "CONTENTAPI_MEDIA_DIR": str(settings.media_dir),
    }


def contentapi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``contentapi ARGS`` as a process."""
    return subprocess.run(
        [sys.executable, "-m", "contentapi", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The message of a command that must fail cleanly."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr


async def target_settings(folder: Path) -> Settings:
    """An empty target: SQLite, or the suite's PostgreSQL database wiped."""
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(
        database_url=await fresh_database_url(folder),
        media_dir=folder / "target-media",
        allowed_hosts=("testserver",),
    )


def sqlite_settings(folder: Path, name: str = "site") -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(
        database_url=f"sqlite://{folder / f'{name}.sqlite3'}",
        media_dir=folder / f"{name}-media",
        allowed_hosts=("testserver",),
        comment_rate_limit="1000/minute",
    )


async def build_site(settings: Settings) -> dict[str, Any]:
    """Everything a site stores, made through the app; returns tokens and the upload."""
    clock = FakeClock()
    hooked = settings.with_changes(  # nobody listens: deliveries stay in the outbox
        webhook_urls=("http://127.0.0.1:9/hooks",), webhook_secret="s"
    )
    async with running_app(hooked, demo=True, clock=clock) as client:
        tokens = {}
        for role in Role:
            locales = ["nn"] if role is Role.TRANSLATOR else None
            _, tokens[role.value] = await create_token(f"old {role.value}", role, locales)
        gone, revoked = await create_token("gone", Role.EDITOR, None)
        await revoke_token(gone.id)

        async def call(query: str, variables: dict[str, Any], role: str = "editor") -> Any:
            body = await gql(client, query, variables, headers=bearer(tokens[role]))
            payload = next(iter(body["data"].values()))
            assert payload["errors"] == [], body
            return payload

        data = photo()
        operations = {
            "query": UPLOAD,
            "variables": {
                "file": None,
                "input": {
                    "credit": "Foto: Difi",
                    "focalPoint": {"x": 0.25, "y": 0.75},
                    "texts": [
                        {"locale": "nb", "alt": "Serverrom", "caption": "Flyttedag"},
                        {"locale": "nn", "alt": "Serverrom", "caption": "Flyttedag"},
                    ],
                },
            },
        }
        response = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("flytting.jpg", data, "image/jpeg")},
            headers=bearer(tokens["editor"], **{"X-Contentapi-Upload": "1"}),
        )
        image = response.json()["data"]["uploadImage"]
        assert image["errors"] == [], image
        stored = (await client.get(image["image"]["url"])).content
        video = await call(
            VIDEO,
            {
                "i": {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "credit": "Video: KMD",
                    "durationSeconds": 212,
                    "thumbnailId": image["image"]["id"],
                    "texts": [
                        {"locale": "nb", "title": "Slik flytter vi"},
                        {"locale": "nn", "title": "Slik flyttar vi", "caption": "Kort film"},
                    ],
                }
            },
        )
        made = await call(
            CREATE,
            {
                "i": {
                    "locale": "nb",
                    "title": "Nettstedet flytter",
                    "slug": SLUG,
                    "lead": "Alt innhold blir med.",
                    "body": "<p>Første utkast.</p>",
                    "tags": ["digitalisering"],
                    "idempotencyKey": "transfer-test-1",
                }
            },
        )
        article = made["article"]["id"]
        await call(
            UPDATE,
            {
                "i": {
                    "id": article,
                    "locale": "nb",
                    "expectedVersion": 1,
                    "title": "Nettstedet flytter til PostgreSQL",
                    "body": "<p>Alle artikler, bilder og kommentarer blir med.</p>",
                }
            },
        )
        await call(
            TRANSLATE,
            {
                "i": {
                    "id": article,
                    "locale": "nn",
                    "title": MOVED_TITLE,
                    "body": "<p>Alle artiklar, bilete og kommentarar blir med.</p>",
                }
            },
            role="translator",
        )
        await call(PUBLISH, {"id": article, "l": "nb", "at": None})
        await call(  # pending changes of the live nb text, for an editor to review
            UPDATE,
            {
                "i": {
                    "id": article,
                    "locale": "nb",
                    "expectedVersion": 2,
                    "draft": True,
                    "lead": "Alt innhold blir med, også det som venter.",
                }
            },
        )
        await call(ATTACH, {"a": article, "m": image["image"]["id"], "r": "LEAD"})
        await call(ATTACH, {"a": article, "m": video["video"]["id"], "r": "INLINE"})
        later = (clock.now + timedelta(days=30)).isoformat()
        await call(PUBLISH, {"id": article, "l": "nn", "at": later})  # scheduled
        other = await call(CREATE, {"i": {"locale": "nb", "title": "Feil sak", "body": "<p>x</p>"}})
        await call(PUBLISH, {"id": other["article"]["id"], "l": "nb", "at": None})
        await call(DELETE, {"id": other["article"]["id"]})
        comments = []
        for n, text in enumerate(("Bra!", "Reklame her", "Stygt ord", "Venter på svar")):
            posted = await gql(
                client,
                POST,
                {
                    "i": {
                        "articleId": article,
                        "authorName": f"Lesar {n}",
                        "email": f"lesar{n}@example.no",
                        "body": text,
                    }
                },
            )
            comments.append(posted["data"]["postComment"]["comment"]["id"])
        for comment, decision in zip(comments, ("APPROVE", "SPAM", "REJECT"), strict=False):
            await call(MODERATE, {"id": comment, "d": decision}, role="moderator")
    return {"tokens": tokens, "revoked": revoked, "url": image["image"]["url"], "bytes": stored}


@pytest.fixture(scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("transfer-source")
    settings = sqlite_settings(folder)
    made = await build_site(settings)
    env = command_env(settings)
    export = folder / "site.jsonl"
    ok(contentapi(env, "export", "-o", str(export)))
    return Site(settings, env, export, made["tokens"], made["revoked"], made["url"], made["bytes"])


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as lines:
        for line in lines:
            yield orjson.loads(line)


def header(path: Path) -> dict[str, Any]:
    return next(records(path))


async def test_the_export_holds_everything_stored(site: Site) -> None:
    counts = header(site.export)["counts"]
    for name in BY_NAME:
        if name == "app_secret":
            assert counts[name] == 1  # the client salt, made by the first comment
        else:
            assert counts[name] > 0, name  # every kind of row, so each is moved
    kinds = [r for r in records(site.export) if r["type"] in ("comment", "article_translation")]
    assert {r["status"] for r in kinds if r["type"] == "comment"} == {
        "PENDING",
        "APPROVED",
        "REJECTED",
        "SPAM",
    }
    assert "SCHEDULED" in {r["status"] for r in kinds if r["type"] == "article_translation"}
    text = site.export.read_text()
    for token in [*site.tokens.values(), site.revoked]:
        assert token not in text  # only hashes leave the database
    files = [r for r in records(site.export) if r["type"] == "media_file"]
    assert site.image_url.split("/media/", 1)[1] in {f["name"] for f in files}
    # the demo videos' caption files travel with their rows, once each
    caption_files = {r["file"] for r in records(site.export) if r["type"] == "video_caption"}
    assert caption_files and caption_files <= {f["name"] for f in files}
    assert len([f for f in files if f["name"].endswith(".vtt")]) == len(caption_files)
    last = list(records(site.export))[-1]
    assert last == {"type": "end", "records": sum(counts.values()), "files": len(files)}


async def test_sqlite_to_postgresql_and_back_is_byte_identical(site: Site, tmp_path: Path) -> None:
    target = Settings(
        database_url=await postgres_database_url(),
        media_dir=tmp_path / "pg-media",
        allowed_hosts=("testserver",),
    )
    env = command_env(target)
    done = ok(contentapi(env, "import", str(site.export)))
    assert "article listing rebuilt" in done.stdout
    assert done.stderr.count("\r") == 0  # no progress bar when stderr is no terminal
    again = tmp_path / "again.jsonl"
    ok(contentapi(env, "export", "-o", str(again)))
    assert again.read_bytes() == site.export.read_bytes()
    piped = ok(contentapi(env, "export", "-o", "-"))
    assert piped.stdout.encode() == site.export.read_bytes()

    async with running_app(target) as client:
        page = (await gql(client, PAGE, {"s": SLUG}))["data"]["article"]
        assert page["title"] == "Nettstedet flytter til PostgreSQL" and page["version"] == 2
        assert page["leadImage"]["alt"] == "Serverrom"
        assert page["leadImage"]["url"] == site.image_url  # media URLs stay valid
        served = await client.get(site.image_url)
        assert served.status_code == 200 and served.content == site.image_bytes
        assert page["videos"][0]["thumbnail"]["url"] == site.image_url
        assert page["tags"] == [{"name": "Digitalisering"}]
        shown = [edge["node"]["body"] for edge in page["comments"]["edges"]]
        assert shown == ["Bra!"]  # approved only, as before
        assert [t["locale"] for t in page["translations"]] == ["nb"]  # nn is scheduled
        preview = await gql(
            client, PAGE, {"s": SLUG, "p": True}, headers=bearer(site.tokens["editor"])
        )
        assert {t["locale"]: t["status"] for t in preview["data"]["article"]["translations"]} == {
            "nb": "PUBLISHED",
            "nn": "SCHEDULED",
        }
        # an old token still works, and new rows get ids past the imported ones
        made = await gql(
            client,
            CREATE,
            {"i": {"locale": "nb", "title": "Første sak etter flyttingen", "body": "<p>x</p>"}},
            headers=bearer(site.tokens["editor"]),
        )
        assert made["data"]["createArticle"]["errors"] == []
        refused_token = await gql(
            client,
            CREATE,
            {"i": {"locale": "nb", "title": "x", "body": "<p>x</p>"}},
            headers=bearer(site.revoked),
        )
        assert refused_token["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        seed = await gql(client, PAGE, {"s": SEED.slug["nb"]})
        assert seed["data"]["article"]["title"] == SEED.title["nb"]


async def test_sqlite_to_sqlite_is_byte_identical(site: Site, tmp_path: Path) -> None:
    env = command_env(sqlite_settings(tmp_path, "copy"))
    ok(contentapi(env, "import", str(site.export)))
    again = tmp_path / "again.jsonl"
    ok(contentapi(env, "export", "-o", str(again)))
    assert again.read_bytes() == site.export.read_bytes()


async def test_a_version_1_file_without_captions_is_read(site: Site, tmp_path: Path) -> None:
    kept: list[dict[str, Any]] = []
    skipping = False
    for row in records(site.export):
        if row["type"] == "media_file":
            skipping = row["name"].endswith(".vtt")
        elif row["type"] != "media_chunk":
            skipping = False
        if skipping or row["type"] == "video_caption":
            continue
        kept.append(row)
    kept[0] = {**kept[0], "version": 1}
    del kept[0]["counts"]["video_caption"], kept[0]["last_ids"]["video_caption"]
    files = sum(1 for row in kept if row["type"] == "media_file")
    kept[-1] = {"type": "end", "records": sum(kept[0]["counts"].values()), "files": files}
    old = tmp_path / "version1.jsonl"
    old.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in kept))
    env = command_env(sqlite_settings(tmp_path, "old"))
    ok(contentapi(env, "import", str(old)))
    again = tmp_path / "again.jsonl"
    ok(contentapi(env, "export", "-o", str(again)))
    assert header(again)["version"] == VERSION and header(again)["counts"]["video_caption"] == 0


async def test_the_archive_moves_through_import(tmp_path: Path) -> None:
    source = command_env(sqlite_settings(tmp_path, "archive"))
    ok(contentapi(source, "load-archive", "--articles", "2000"))
    export = tmp_path / "archive.jsonl"
    ok(contentapi(source, "export", "-o", str(export)))
    target = Settings(database_url=await fresh_database_url(tmp_path), media_dir=tmp_path / "m")
    env = command_env(target)
    done = ok(contentapi(env, "import", str(export)))
    assert "2,000" in done.stdout  # the articles, in the summary
    counts = header(export)["counts"]
    assert counts["article"] == 2000 and counts["comment"] == 30_000
    again = tmp_path / "again.jsonl"
    ok(contentapi(env, "export", "-o", str(again)))
    assert header(again)["counts"] == counts
    assert again.read_bytes() == export.read_bytes()


def cut_inside_media(export: Path, folder: Path) -> tuple[Path, int]:
    """The export cut off in the middle of a media chunk line; the line number."""
    lines = export.read_bytes().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(b'{"type":"media_chunk"'))
    cut = folder / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:number]) + lines[number][: len(lines[number]) // 2])
    return cut, number + 1


async def test_a_cut_off_file_imports_nothing(site: Site, tmp_path: Path) -> None:
    settings = await target_settings(tmp_path)
    env = command_env(settings)
    cut, line = cut_inside_media(site.export, tmp_path)
    message = refused(contentapi(env, "import", str(cut)))
    assert f"line {line}:" in message and "cut off" in message and "CUT_OFF" in message
    assert not any(p.is_file() for p in settings.media_dir.rglob("*"))  # no file left
    empty = tmp_path / "empty.jsonl"
    ok(contentapi(env, "export", "-o", str(empty)))
    assert set(header(empty)["counts"].values()) == {0}
    ok(contentapi(env, "import", str(site.export)))  # still empty: the whole file goes in


async def test_a_database_with_content_is_refused_without_merge(site: Site, tmp_path: Path) -> None:
    env = command_env(await target_settings(tmp_path))
    ok(contentapi(env, "import", str(site.export)))
    message = refused(contentapi(env, "import", str(site.export)))
    assert "not empty" in message and "--merge" in message and "NOT_EMPTY" in message


async def test_bad_json_names_its_line(site: Site, tmp_path: Path) -> None:
    lines = site.export.read_bytes().splitlines(keepends=True)
    lines[4] = b'{"type":"tag","id":\n'
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    message = refused(contentapi(command_env(sqlite_settings(tmp_path)), "import", str(bad)))
    assert "line 5:" in message and "not valid JSON" in message


# Damaged files, in process (the command's handling is the same TransferError).


def edited(export: Path, folder: Path, change: Any) -> Path:
    """A copy of ``export`` with ``change(records)`` applied (a list of dicts)."""
    rows = list(records(export))
    change(rows)
    path = folder / "edited.jsonl"
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    return path


def first(rows: list[dict[str, Any]], kind: str) -> int:
    return next(i for i, row in enumerate(rows) if row["type"] == kind)


def _unknown_type(rows: list[dict[str, Any]]) -> None:
    rows.insert(3, {"type": "poll", "id": 1})


def _wrong_format(rows: list[dict[str, Any]]) -> None:
    rows[0]["format"] = "wordpress-wxr"


def _new_version(rows: list[dict[str, Any]]) -> None:
    rows[0]["version"] = VERSION + 1


def _missing_article(rows: list[dict[str, Any]]) -> None:
    rows[first(rows, "comment")]["article_id"] = 999_999


def _bad_field(rows: list[dict[str, Any]]) -> None:
    rows[first(rows, "article_translation")]["published_at"] = "yesterday"


def _unknown_field(rows: list[dict[str, Any]]) -> None:
    rows[first(rows, "article")]["colour"] = "red"


def _out_of_order(rows: list[dict[str, Any]]) -> None:
    at = first(rows, "article")
    rows.insert(at + 1, rows.pop(first(rows, "tag_translation")))


def _damaged_media(rows: list[dict[str, Any]]) -> None:
    rows[first(rows, "media_file")]["sha256"] = "0" * 64


def _unknown_locale(rows: list[dict[str, Any]]) -> None:
    rows[first(rows, "tag_translation")]["locale"] = "se"


def _counted_wrong(rows: list[dict[str, Any]]) -> None:
    rows[0]["counts"]["comment"] += 1


def _no_end(rows: list[dict[str, Any]]) -> None:
    rows.pop()


def _after_end(rows: list[dict[str, Any]]) -> None:
    rows.append({"type": "tag", "id": 999, "key": "etter"})


def _duplicate_id(rows: list[dict[str, Any]]) -> None:
    at = first(rows, "tag")
    rows.insert(at + 1, dict(rows[at]))


@pytest.mark.parametrize(
    ("change", "problem", "words"),
    [
        (_unknown_type, Problem.UNKNOWN_TYPE, "unknown record type 'poll'"),
        (_wrong_format, Problem.NOT_AN_EXPORT, "not a contentapi export"),
        (_new_version, Problem.UNSUPPORTED_VERSION, f"version {VERSION + 1}"),
        (_missing_article, Problem.MISSING_REFERENCE, "article 999999"),
        (_bad_field, Problem.BAD_FIELD, "article_translation.published_at"),
        (_unknown_field, Problem.BAD_FIELD, "unknown colour"),
        (_out_of_order, Problem.OUT_OF_ORDER, "a tag_translation record after"),
        (_damaged_media, Problem.BAD_MEDIA, "SHA-256"),
        (_unknown_locale, Problem.UNKNOWN_LOCALE, "'se'"),
        (_counted_wrong, Problem.COUNT_MISMATCH, "comment records"),
        (_no_end, Problem.CUT_OFF, "without its end record"),
        (_after_end, Problem.OUT_OF_ORDER, "after the end record"),
        (_duplicate_id, Problem.OUT_OF_ORDER, "each once"),
    ],
)
async def test_damaged_files_import_nothing(
    site: Site, tmp_path: Path, change: Any, problem: Problem, words: str
) -> None:
    path = edited(site.export, tmp_path, change)
    settings = sqlite_settings(tmp_path, "target")
    async with db.database(settings, global_fallback=False):
        with pytest.raises(transfer.TransferError) as caught:
            await transfer.import_site(path, settings.make_locales(), settings.media_dir)
        from contentapi.articles.models import Article, Tag

        assert await Article.all().count() == 0 and await Tag.all().count() == 0
    assert caught.value.problem is problem
    assert words in str(caught.value)
    if problem not in (Problem.CUT_OFF, Problem.COUNT_MISMATCH):
        assert str(caught.value).startswith("line ")  # the line is named
    assert not any(p.is_file() for p in settings.media_dir.rglob("*"))


# --merge


async def test_merge_adds_what_is_missing_and_keeps_what_is_here(
    site: Site, tmp_path: Path
) -> None:
    target = await target_settings(tmp_path)
    env = command_env(target)
    ok(contentapi(env, "import", str(site.export)))
    before = tmp_path / "before.jsonl"
    ok(contentapi(env, "export", "-o", str(before)))

    # the same site again: every row matches (articles by key or slug, tokens by hash)
    done = ok(contentapi(env, "import", "--merge", str(site.export)))
    assert "merged" in done.stdout
    same = tmp_path / "same.jsonl"
    ok(contentapi(env, "export", "-o", str(same)))
    assert same.read_bytes() == before.read_bytes()

    # another site whose ids collide with these: added under new ids, references follow
    # (kept away from the target's folder, whose database may be PostgreSQL)
    other = command_env(sqlite_settings(tmp_path / "other"))
    ok(contentapi(other, "load-archive", "--articles", "3", "--comments", "2"))
    other_export = tmp_path / "other.jsonl"
    ok(contentapi(other, "export", "-o", str(other_export)))
    ok(contentapi(env, "import", "--merge", str(other_export)))
    merged = tmp_path / "merged.jsonl"
    ok(contentapi(env, "export", "-o", str(merged)))
    old, new = header(before)["counts"], header(merged)["counts"]
    assert new["article"] == old["article"] + 3
    assert new["comment"] == old["comment"] + 6
    assert new["article_unit"] == old["article_unit"] + 3  # the three are in nb only
    assert new["tag"] == old["tag"]  # the archive's tags are the demo's: matched by key
    kept = {(r["type"], r.get("id")) for r in records(before) if r["type"] != "end"}
    now = {(r["type"], r.get("id")) for r in records(merged)}
    assert kept - {("header", None)} <= now  # nothing here was renumbered

    async with running_app(target) as client:
        body = await gql(
            client,
            """query { article(slug: "voss-kommune-vedtar-sitt-forste-klimabudsjett-1",
            locale: "nb") { title images { alt } comments { totalCount }
            byline { authors { name role } unit { name } } } }""",
        )
        article = body["data"]["article"]
        assert article["title"] == "Voss kommune vedtar sitt første klimabudsjett"
        # the byline came along, its renumbered authors with their roles
        assert article["byline"] == {
            "authors": [{"name": "Per Ove Lunde", "role": "informasjonssjef"}],
            "unit": {"name": "Voss kommune"},
        }
        assert len(article["images"]) == 3 and article["comments"]["totalCount"] == 1
        page = await gql(client, PAGE, {"s": SLUG})
        assert page["data"]["article"]["comments"]["edges"][0]["node"]["body"] == "Bra!"

    # merging it twice adds nothing more
    ok(contentapi(env, "import", "--merge", str(other_export)))
    twice = tmp_path / "twice.jsonl"
    ok(contentapi(env, "export", "-o", str(twice)))
    assert twice.read_bytes() == merged.read_bytes()


async def test_merge_refuses_a_new_article_whose_slug_is_taken(site: Site, tmp_path: Path) -> None:
    env = command_env(await target_settings(tmp_path))
    ok(contentapi(env, "import", str(site.export)))

    def rename(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["type"] == "article" and row["key"] is not None:
                row["key"] = f"other-{row['key']}"  # other articles, with the same slugs

    clash = edited(site.export, tmp_path, rename)
    line = next(n for n, r in enumerate(records(clash), 1) if r["type"] == "article_translation")
    message = refused(contentapi(env, "import", "--merge", str(clash)))
    assert f"line {line}:" in message and "CONFLICT" in message and "slug" in message


# Nothing stored may be forgotten


async def test_every_table_and_column_is_exported_or_derived(tmp_path: Path) -> None:
    """Fails when a model, table or column is added that the export does not cover:
    add it to a record type (a new format version) or to the derived tables."""
    settings = Settings(database_url=await fresh_database_url(tmp_path))
    exported = {record.name: record for record in RECORD_TYPES}
    async with db.database(settings, global_fallback=False):
        apps = Tortoise.apps
        assert apps is not None
        for model in apps.get_models_iterable():
            table = model._meta.db_table
            if model.__module__.startswith(DERIVED_MODULES) or table in DERIVED_TABLES:
                continue
            assert table in exported, f"{model.__name__} ({table}) is neither exported nor derived"
            assert exported[table].model is model
            columns = {c.name for c in exported[table].columns}
            assert columns == set(model._meta.db_fields), table
        client = connections.get("default")
        if client.capabilities.dialect == "sqlite":
            tables = {
                row["name"]: row["sql"] or ""
                for row in await client.execute_query_dict(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                )
            }
            virtual = [n for n, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL")]
            parts = {n for n in tables for v in virtual if n.startswith(f"{v}_")}  # FTS5's own
            names = set(tables) - parts
        else:
            names = {
                row["table_name"]
                for row in await client.execute_query_dict(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = current_schema()"
                )
            }
        for table in names:
            assert table in exported or table in DERIVED_TABLES, f"table {table} is not covered"
        for table, record in exported.items():
            if client.capabilities.dialect == "sqlite":
                found = {
                    r["name"]
                    for r in await client.execute_query_dict(f'PRAGMA table_info("{table}")')
                }
            else:
                found = {
                    r["column_name"]
                    for r in await client.execute_query_dict(
                        "SELECT column_name FROM information_schema.columns"
                        " WHERE table_schema = current_schema() AND table_name = $1",
                        [table],
                    )
                }
            extra = {c for c in found - {c.name for c in record.columns}}
            assert all((table, c) in DERIVED_COLUMNS for c in extra), (table, extra)


def test_the_format_is_documented() -> None:
    """docs/export-format.md names every record type and every field."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "export-format.md").read_text()
    for record in RECORD_TYPES:
        heading = f"### `{record.name}`"
        assert heading in doc, record.name
        section = doc.split(heading, 1)[1].split("\n### ", 1)[0]
        for column in record.columns:
            assert f"`{column.name}`" in section, f"{record.name}.{column.name}"
