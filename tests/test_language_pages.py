"""Language a reader sees outside the error messages (issue 14, item 4): the demo's text,
the reader page's film clip labels and the playground's one written standard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from contentapi.app import create_app
from contentapi.articles.models import ArticleTranslation
from contentapi.demo import load_demo
from contentapi.demo.archive import ArchiveShape, load_archive
from contentapi.demo.content import SEED, generated_articles
from tests.conftest import (
    bearer,
    chromium_page,
    free_port,
    make_settings,
    make_tokens,
    needs_chromium,
    running_app,
    serve,
)

# a number below 13 standing alone (not an ordinal "4.", not part of 2018 or 1,5)
SMALL_NUMBER = re.compile(r"(?<![\d,.])\b(?:[0-9]|1[0-2])\b(?![\d,.])")


def paragraphs(body: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", body)


def check_running_text(body: str) -> None:
    for paragraph in paragraphs(body):
        assert not SMALL_NUMBER.search(paragraph), paragraph
        # a quotation ("– Vi har ..., sier ...") opens its own paragraph
        assert " – " not in paragraph or not re.search(r", (sier|seier) ", paragraph), paragraph
        # no comma before "og" when the subject is shared
        assert not re.search(r", og (regner|reknar) med", paragraph), paragraph


def test_the_seed_in_nynorsk_reads_as_a_nynorsk_editor_would_write_it() -> None:
    nn = SEED.body["nn"] + SEED.lead["nn"]
    assert "til KMD" not in nn and "Innovasjonsprisen til Kommunal-" not in nn
    assert nn.count("Innovasjonsprisen frå") == 3
    for locale in ("nb", "nn"):
        assert "fredag 8. juni" in SEED.body[locale] and "08. juni" not in SEED.body[locale]
    assert "Tenk Træna og deres evne" in SEED.body["nb"]


def test_generated_articles_write_small_numbers_in_words() -> None:
    bodies = [a.body[loc] for a in generated_articles() for loc in a.body]
    assert len(bodies) > 60
    for body in bodies:
        check_running_text(body)
    assert any(" sju " in body or " åtte " in body for body in bodies)
    quotes = [p for body in bodies for p in paragraphs(body) if p.startswith("– ")]
    assert any("prosjektlederen" in p for p in quotes)
    assert any("prosjektleiaren" in p for p in quotes)


async def test_the_archive_writes_small_numbers_in_words(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings):
        await load_archive(ArchiveShape(30, comments_per_article=0), settings.make_locales())
        rows = await ArticleTranslation.all()
    assert {row.locale for row in rows} == {"nb", "nn"}
    for row in rows:
        check_running_text(row.body)


async def test_the_playground_is_written_in_one_standard(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        script = await client.get("/static/playground.js")
    assert page.status_code == 200 and script.status_code == 200
    lang = re.search(r'<html lang="(\w+)"', page.text)
    assert lang is not None and lang.group(1) == "nn"
    assert "Lastar …" in page.text and "Laster" not in page.text
    comments = " ".join(re.findall(r"(?:^|`)# (.*)$", script.text, re.MULTILINE))
    assert "artiklar" in comments  # Nynorsk, as the page says
    for bokmal in ("artikler", "Lim inn nøkkelen", "skriv artikler", "Laster"):
        assert bokmal not in comments
    assert 'locale: "nn"' in script.text  # the default query reads the page's standard


CREATE = """mutation { createArticle(input: {locale: "nb", slug: "klipp", title: "Klipp",
  body: "<p>Tekst</p>"}) { article { id } } }"""
VIDEO = """mutation($input: VideoInput!) { createVideo(input: $input) { video { id } } }"""
ATTACH = """mutation($a: ID!, $m: ID!) { attachMedia(articleId: $a, mediaId: $m, role: INLINE) {
  errors { code } } }"""
PUBLISH = """mutation($a: ID!) { publishArticle(id: $a, locale: "nb") { errors { code } } }"""


@needs_chromium
async def test_reader_page_names_a_clip_once(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with serve(create_app(settings), free_port()) as host:
        await load_demo(settings)
        headers = bearer((await make_tokens())["editor"])
        async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers) as api:

            async def call(query: str, variables: dict[str, Any] | None = None) -> Any:
                response = await api.post("/graphql", json={"query": query, "variables": variables})
                return response.json()["data"]

            article = (await call(CREATE))["createArticle"]["article"]["id"]
            texts = [{"locale": "nb", "title": "Sommar på Træna"}]
            url = "https://media.example.org/traena-sommar.mp4"
            video = (await call(VIDEO, {"input": {"url": url, "texts": texts}}))["createVideo"]
            await call(ATTACH, {"a": article, "m": video["video"]["id"]})
            assert (await call(PUBLISH, {"a": article}))["publishArticle"]["errors"] == []
        async with chromium_page(1000, 1400) as page:
            for lang in ("nb", "nn"):
                await page.goto(f"http://{host}/?slug={SEED.slug[lang]}&lang={lang}")
                await page.wait_for_selector("#article:not([hidden])", timeout=15000)
                links = await page.locator("#videos a").all_text_contents()
                # each title says "Filmklipp om ..." already: no "Filmklipp: Filmklipp om ..."
                assert links == [getattr(video.title, lang) for video in SEED.videos]
            await page.goto(f"http://{host}/?slug=klipp&lang=nb")
            await page.wait_for_selector("#article:not([hidden])", timeout=15000)
            links = await page.locator("#videos a").all_text_contents()
            assert links == ["Filmklipp: Sommar på Træna"]  # a title without the label gets it
