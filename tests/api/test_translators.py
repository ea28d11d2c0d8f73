"""Translators: machine pre-translation (Apertium), translation status, the language report,
and the PO round trip through the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po, write_po

from contentapi.demo.content import SEED, generated_articles
from contentapi.graphql.relay import from_global_id
from contentapi.translation import apertium
from tests.conftest import bearer, error_codes, gql, make_settings, make_tokens, running_app

HAS_APERTIUM = shutil.which("apertium") is not None and any(
    (folder / "nob-nno_e.mode").exists() for folder in apertium.MODE_DIRS
)
needs_apertium = pytest.mark.skipif(
    not HAS_APERTIUM, reason="apertium and apertium-nno-nob are not installed (.ci/run installs)"
)
ALL = [SEED, *generated_articles()]
READ = """query($id: ID!, $l: String) { article(id: $id, locale: $l, preview: true) {
  title body locale translations { locale status machineTranslated outdated } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    database_url: str
    tmp: Path

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CONTENTAPI_DATABASE_URL": self.database_url}
        return subprocess.run(
            [sys.executable, "-m", "contentapi", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    async def article_id(self, slug: str, locale: str = "nb") -> str:
        body = await gql(
            self.client,
            "query($s: String!, $l: String) { article(slug: $s, locale: $l) { id } }",
            {"s": slug, "l": locale},
        )
        return str(body["data"]["article"]["id"])


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    tmp = tmp_path_factory.mktemp("translators")
    settings = await make_settings(tmp)
    async with running_app(settings, demo=True) as client:
        yield Env(client, await make_tokens(), settings.database_url, tmp)


@needs_apertium
async def test_apertium_gives_real_nynorsk() -> None:
    video = next(v for v in SEED.videos if "nominerte" in v.title.nb)
    assert "dei nominerte kommunane" in await apertium.translate(video.title.nb, "nb", "nn")
    html = await apertium.translate("<p>Hele <b>20 kommuner</b> søkte.</p>", "nb", "nn", html=True)
    assert html == "<p>Heile <b>20 kommunar</b> søkte.</p>"
    assert "kommunene" in await apertium.translate("dei nominerte kommunane", "nn", "nb")


@needs_apertium
async def test_pretranslate_makes_a_machine_draft(env: Env) -> None:
    nb_only = next(a for a in ALL if set(a.title) == {"nb"})
    article_id = await env.article_id(nb_only.slug["nb"])
    body = await gql(
        env.client,
        """mutation($id: ID!) { pretranslateArticle(id: $id, from: "nb",
      to: "nn") { article { locale title } errors { code } } }""",
        {"id": article_id},
        headers=bearer(env.tokens["translator"]),
    )
    payload = body["data"]["pretranslateArticle"]
    assert payload["errors"] == [] and payload["article"]["locale"] == "nn"
    seen = await gql(
        env.client, READ, {"id": article_id, "l": "nn"}, headers=bearer(env.tokens["editor"])
    )
    article = seen["data"]["article"]
    nn = next(t for t in article["translations"] if t["locale"] == "nn")
    assert nn == {"locale": "nn", "status": "DRAFT", "machineTranslated": True, "outdated": False}
    assert "<p>" in article["body"]  # the markup survives
    anonymous = await gql(
        env.client,
        'query($id: ID!) { article(id: $id, locale: "nn") { locale isFallback } }',
        {"id": article_id},
    )
    assert anonymous["data"]["article"] == {"locale": "nb", "isFallback": True}  # not published
    # a person saving it takes the machine mark away
    saved = await gql(
        env.client,
        """mutation($id: ID!) { translateArticle(input: {id: $id,
      locale: "nn", title: "Retta av omsetjar", body: "<p>Retta.</p>", expectedVersion: 1}) {
      article { translations { locale machineTranslated } } errors { code } } }""",
        {"id": article_id},
        headers=bearer(env.tokens["translator"]),
    )
    marks = saved["data"]["translateArticle"]["article"]["translations"]
    assert {"locale": "nn", "machineTranslated": False} in marks


async def test_pretranslation_without_apertium_names_the_packages(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    nb_only = [a for a in ALL if set(a.title) == {"nb"}][1]
    article_id = await env.article_id(nb_only.slug["nb"])
    body = await gql(
        env.client,
        """mutation($id: ID!) { pretranslateArticle(id: $id, from: "nb",
      to: "nn") { errors { code message detail } } }""",
        {"id": article_id},
        headers=bearer(env.tokens["editor"]),
    )
    error = body["data"]["pretranslateArticle"]["errors"][0]
    assert error["code"] == "UNAVAILABLE" and "apertium-nno-nob" in error["detail"]
    assert error["message"] == "Tjenesten er ikke tilgjengelig akkurat nå. Prøv igjen senere."


async def test_translation_status_for_translators(env: Env) -> None:
    query = """query { translationStatus(locale: "nn") { locale
      counts { kind missing outdated upToDate }
      tasks(first: 100) { edges { node { articleId state sourceLocale } } } } }"""
    assert error_codes(await gql(env.client, query)) == ["UNAUTHENTICATED"]
    body = await gql(env.client, query, headers=bearer(env.tokens["translator"]))
    status = body["data"]["translationStatus"]
    articles = next(c for c in status["counts"] if c["kind"] == "ARTICLE")
    missing_now = articles["missing"]
    assert missing_now >= 1
    tasks = [edge["node"] for edge in status["tasks"]["edges"]]
    assert len([t for t in tasks if t["state"] == "MISSING"]) == missing_now
    assert articles["missing"] + articles["outdated"] + articles["upToDate"] >= len(ALL)
    assert {c["kind"] for c in status["counts"]} == {"ARTICLE", "IMAGE", "VIDEO", "TAG"}


async def test_language_report_counts_what_was_published_directly(env: Env) -> None:
    start, end = "2018-01-01T00:00:00+01:00", "2019-01-01T00:00:00+01:00"
    body = await gql(
        env.client,
        """query($f: DateTime, $t: DateTime) { languageReport(from: $f,
      to: $t) { total totalWords minimumShare byLocale { locale count share words
      meetsMinimum } } }""",
        {"f": start, "t": end},
    )
    report = body["data"]["languageReport"]
    expected: Counter[str] = Counter()
    for a in ALL:
        if (
            datetime.fromisoformat(start)
            <= datetime.fromisoformat(a.published_at)
            < (datetime.fromisoformat(end))
        ):
            expected.update(a.title.keys())
    by_locale = {r["locale"]: r for r in report["byLocale"]}
    assert {k: v["count"] for k, v in by_locale.items()} == {
        "nb": expected["nb"],
        "nn": expected["nn"],
    }
    assert report["total"] == sum(expected.values())
    assert report["minimumShare"] == 0.25
    for row in by_locale.values():
        assert row["meetsMinimum"] == (row["share"] >= 0.25)
        assert row["words"] > 0
    cli = env.cli("report", "language", "--year", "2018")
    assert cli.returncode == 0, cli.stderr
    rows = {line.split()[0]: line.split() for line in cli.stdout.splitlines()[2:]}
    assert rows["nb"][1] == str(expected["nb"]) and rows["nn"][1] == str(expected["nn"])
    assert rows["nn"][-1] == ("yes" if by_locale["nn"]["meetsMinimum"] else "NO")
    assert rows["total"][1] == str(report["total"])


async def test_po_round_trip(env: Env) -> None:
    target = [a for a in ALL if set(a.title) == {"nb"}][2]
    po = env.tmp / "nn.po"
    exported = env.cli(
        "translations", "export", "--locale", "nn", "--only", "missing", "-o", str(po)
    )
    assert exported.returncode == 0, exported.stderr
    with po.open("rb") as fh:
        catalog = read_po(fh)
    article_id = await env.article_id(target.slug["nb"])
    pk = from_global_id(article_id)[1]
    mine = [m for m in catalog if m.context and m.context.startswith(f"article:{pk}:")]
    assert {m.context.split(":")[2].split("|")[0] for m in mine} == {"title", "lead", "body"}
    filled = {
        "title": "Omsett i Poedit",
        "lead": "Ei ingress på nynorsk.",
        "body": "<p>Brødtekst på nynorsk.</p>",
    }
    for message in mine:
        message.string = filled[message.context.split(":")[2].split("|")[0]]
    with po.open("wb") as fh:
        write_po(fh, catalog)
    imported = env.cli("translations", "import", str(po), "--token", env.tokens["translator"])
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"saved     article:{pk}: new nn draft" in imported.stdout
    assert "nothing was published" in imported.stdout
    seen = await gql(
        env.client, READ, {"id": article_id, "l": "nn"}, headers=bearer(env.tokens["editor"])
    )
    assert seen["data"]["article"]["title"] == "Omsett i Poedit"
    assert seen["data"]["article"]["locale"] == "nn"
    # the same file again: the translation changed since that export, so it is a conflict
    again = env.cli("translations", "import", str(po))
    assert again.returncode == 1 and f"conflict  article:{pk}" in again.stdout


async def test_po_import_refuses_bad_files(env: Env) -> None:
    from contentapi.articles.models import ArticleTranslation

    before = await ArticleTranslation.all().count()
    broken = env.tmp / "broken.po"
    broken.write_text('msgid ""\nmsgstr ""\n"Language: nn\\n"\n\nmsgid "a"\nmsgstr "b\nx\n')
    result = env.cli("translations", "import", str(broken))
    assert result.returncode == 2 and "line" in result.stderr
    unknown = env.tmp / "unknown.po"
    unknown.write_text(
        'msgid ""\nmsgstr ""\n"Language: nn\\n"\n\n'
        'msgctxt "article:999999:title|nb@1|nn@0"\nmsgid "Finst ikkje"\nmsgstr "Finst ikkje"\n'
    )
    result = env.cli("translations", "import", str(unknown))
    assert "skipped   article:999999: no such article" in result.stdout
    swedish = env.tmp / "sv.po"
    swedish.write_text('msgid ""\nmsgstr ""\n"Language: sv\\n"\n')
    result = env.cli("translations", "import", str(swedish))
    assert result.returncode == 2 and "Unknown locale" in result.stderr
    bokmaal = env.tmp / "nb.po"
    bokmaal.write_text('msgid ""\nmsgstr ""\n"Language: nb\\n"\n')
    result = env.cli("translations", "import", str(bokmaal), "--token", env.tokens["translator"])
    assert result.returncode == 2 and "may only write in nn" in result.stderr
    assert await ArticleTranslation.all().count() == before  # nothing was imported


@needs_apertium
async def test_pretranslate_command_fills_what_is_missing(env: Env) -> None:
    result = env.cli("translations", "pretranslate", "--from", "nn", "--to", "nb")
    assert result.returncode == 0, result.stdout + result.stderr
    nn_only = [a for a in ALL if set(a.title) == {"nn"}]
    assert f"{len(nn_only)} machine drafts nn → nb" in result.stdout
    again = env.cli("translations", "pretranslate", "--from", "nn", "--to", "nb")
    assert "0 machine drafts" in again.stdout  # only what is missing


async def test_po_import_writes_through_the_services(env: Env) -> None:
    """Media and tag texts and published articles import with the limits the API has."""
    from contentapi.articles.models import (
        ArticlePending,
        ArticleRevision,
        ArticleTranslation,
        TagTranslation,
    )
    from contentapi.media.models import ImageTranslation

    po = env.tmp / "all-nn.po"
    exported = env.cli("translations", "export", "--locale", "nn", "--only", "all", "-o", str(po))
    assert exported.returncode == 0, exported.stderr
    with po.open("rb") as fh:
        catalog = read_po(fh)
    alts = [m for m in catalog if m.context and ":alt|" in m.context]
    tag = next(m for m in catalog if m.context and m.context.startswith("tag:"))
    published = await ArticleTranslation.filter(locale="nn", status="PUBLISHED").first()
    assert published is not None and len(alts) >= 2
    title = next(
        m
        for m in catalog
        if m.context and m.context.startswith(f"article:{published.article_id}:title|")
    )
    long_alt = ("Ordføraren i Træna tek imot prisen på scena, med juryen og dei andre. " * 3)[:149]
    long_alt += "."
    alts[0].string = long_alt  # 150 characters: within the API's 300
    alts[1].string = "x" * 301  # over it: refused, as updateMedia refuses it
    tag.string = "Kommunar i nord"
    title.string = "Ny tittel frå omsetjaren"
    for message in catalog:
        if message not in (alts[0], alts[1], tag, title):
            message.string = ""  # untranslated: left alone
    with po.open("wb") as fh:
        write_po(fh, catalog)
    result = env.cli("translations", "import", str(po))
    assert result.returncode == 0, result.stdout + result.stderr
    image_id = int(alts[0].context.split(":")[1])
    saved = await ImageTranslation.get(image_id=image_id, locale="nn")
    assert saved.alt == long_alt
    too_long = alts[1].context.split("|")[0]
    assert f"skipped   {too_long}: alt is too long" in result.stdout
    tag_id = int(tag.context.split(":")[1])
    assert (await TagTranslation.get(tag_id=tag_id, locale="nn")).name == "Kommunar i nord"
    # the published translation is unchanged for readers; the change waits as pending changes
    after = await ArticleTranslation.get(id=published.id)
    assert after.title == published.title and after.version == published.version
    waiting = await ArticlePending.get(translation_id=published.id)
    assert waiting.title == "Ny tittel frå omsetjaren"
    assert waiting.base_version == published.version
    proposal = (
        await ArticleRevision.filter(article_id=published.article_id, locale="nn", action="import")
        .order_by("-number")
        .first()
    )
    assert proposal is not None and proposal.pending
    assert proposal.title == "Ny tittel frå omsetjaren"
