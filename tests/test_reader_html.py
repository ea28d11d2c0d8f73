"""The reader page's HTML over httpx: status codes, title, meta description, canonical and
hreflang links, ``<time datetime>``, ``lang`` on what fell back, the unknown-language
notice, the 404 page, escaping and the statement count (tests/test_reader_page.py drives
the same page in a browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx

from contentapi.demo.content import SEED
from tests.conftest import QueryCounter, gql

BASE = "http://testserver"
NB = SEED.slug["nb"]
NN = SEED.slug["nn"]
FALLBACKS = """{ articles(locale: "nn", first: 20) {
  edges { node { slug locale isFallback title } } } }"""


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag not in ("meta", "link", "img", "input", "br", "source", "track"):
            self._open.append((tag, found.get("id")))
            if found.get("id"):
                self.text[found["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, ident in self._open:
            if ident:
                self.text[ident] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def parse(response: httpx.Response) -> Elements:
    page = Elements()
    page.feed(response.text)
    return page


def title_of(response: httpx.Response) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", response.text, re.DOTALL)
    assert found, response.text[:500]
    return found.group(1)


async def test_article_page_in_nb_and_nn(demo_client: httpx.AsyncClient) -> None:
    nb = await demo_client.get("/", params={"slug": NB, "lang": "nb"})
    assert nb.status_code == 200
    assert nb.headers["content-type"].startswith("text/html")
    assert nb.headers["content-language"] == "nb"
    assert title_of(nb) == f"{SEED.title['nb']} – Nyheter fra departementet"
    page = parse(nb)
    assert page.find("html")[0]["lang"] == "nb"
    description = page.find("meta", name="description")[0]["content"]
    assert description == SEED.lead["nb"] and "<" not in description
    canonical = page.find("link", rel="canonical")[0]["href"]
    assert canonical == f"{BASE}/?slug={NB}&lang=nb"
    alternates = {a["hreflang"]: a["href"] for a in page.find("link", rel="alternate")}
    assert alternates == {
        "nb": f"{BASE}/?slug={NB}&lang=nb",
        "nn": f"{BASE}/?slug={NN}&lang=nn",
        "x-default": f"{BASE}/?slug={NB}&lang=nb",
    }
    times = [a["datetime"] for a in page.find("time")]
    assert times[:2] == ["2018-06-08T10:00:00+02:00", "2019-03-04T09:30:00+01:00"]
    assert page.text["dates"] == "Publisert: 08. jun 2018, Sist endret: 04. mar 2019"
    assert page.text["publisher"] == "Utgiver: Kommunal- og moderniseringsdepartementet"
    assert page.text["comments-heading"] == "Kommentarer"
    assert page.text["comment-count"].endswith("kommentarer")
    assert page.find("article")[0]["data-article-id"]  # the API's id, for the script
    assert not page.find("p", id="fallback")
    # one <video> per clip, no inline script
    assert len(page.find("video")) == len(SEED.videos)
    assert all(v["preload"] == "none" for v in page.find("video"))
    assert all("src" in s for s in page.find("script")) and "<style" not in nb.text
    # the form: every field tied to its error element
    for name in ("authorName", "email", "body"):
        field = page.find("input", id=f"f-{name}") or page.find("textarea", id=f"f-{name}")
        assert field[0]["aria-describedby"] == f"error-{name}"
        assert page.find("p", id=f"error-{name}")
    assert page.find("p", id="thanks")[0]["role"] == "status"

    nn = await demo_client.get("/", params={"slug": NN, "lang": "nn"})
    assert nn.status_code == 200
    assert title_of(nn) == f"{SEED.title['nn']} – Nyheiter frå departementet"
    page = parse(nn)
    assert page.find("html")[0]["lang"] == "nn"
    assert page.find("link", rel="canonical")[0]["href"] == f"{BASE}/?slug={NN}&lang=nn"
    assert page.text["dates"] == "Publisert: 08. jun 2018, Sist endra: 04. mar 2019"
    assert page.text["publisher"] == "Utgjevar: Kommunal- og moderniseringsdepartementet"
    assert page.text["comments-heading"] == "Kommentarar"
    assert page.text["comment-count"].endswith("kommentarar")
    assert page.find("a", id="lang-nn")[0]["aria-current"] == "page"
    assert page.find("a", id="lang-nb")[0]["href"] == f"{BASE}/?slug={NB}&lang=nb"
    # comments written in nb keep their lang on the nn page
    langs = [a.get("lang") for a in page.find("li", class_="comment")]
    assert "nb" in langs and None in langs


async def test_fallback_content_keeps_its_own_lang(demo_client: httpx.AsyncClient) -> None:
    listed = await gql(demo_client, FALLBACKS)
    node = next(e["node"] for e in listed["data"]["articles"]["edges"] if e["node"]["isFallback"])
    response = await demo_client.get("/", params={"slug": node["slug"], "lang": "nn"})
    assert response.status_code == 200
    page = parse(response)
    assert page.find("html")[0]["lang"] == "nn"
    for ident in ("title", "body"):
        element = next(a for _, a in page.tags if a.get("id") == ident)
        assert element["lang"] == node["locale"], ident
    assert re.search(rf'<title lang="{node["locale"]}">', response.text)
    notice = page.find("p", id="fallback")[0]
    assert "lang" not in notice  # the notice is the page's own text
    assert "finst ikkje på nynorsk" in page.text["fallback"]
    # the canonical page is the one in the language the text is written in
    canonical = page.find("link", rel="canonical")[0]["href"]
    assert canonical == f"{BASE}/?slug={node['slug']}&lang={node['locale']}"
    assert {a["hreflang"] for a in page.find("link", rel="alternate")} == {"nb", "x-default"}
    # the interface around it stays Nynorsk, unmarked
    assert page.text["comments-heading"] == "Kommentarar"
    assert "lang" not in next(a for _, a in page.tags if a.get("id") == "comments-heading")


async def test_unknown_slug_is_a_real_404_in_the_page_language(
    demo_client: httpx.AsyncClient,
) -> None:
    for lang, heading in (("nb", "Fant ikke artikkelen."), ("nn", "Fann ikkje artikkelen.")):
        response = await demo_client.get("/", params={"slug": "finst-ikkje", "lang": lang})
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store"
        page = parse(response)
        assert page.find("html")[0]["lang"] == lang
        assert page.find("meta", name="robots")[0]["content"] == "noindex"
        assert heading in response.text
        assert page.find("a", href=f"{BASE}/?lang={lang}")
    long = await demo_client.get("/", params={"slug": "x" * 5000})
    assert long.status_code == 404


async def test_unknown_lang_falls_back_to_the_default_with_a_notice(
    demo_client: httpx.AsyncClient,
) -> None:
    for asked in ("en", "xx-YY", "<script>", "e" * 100):
        response = await demo_client.get("/", params={"slug": NB, "lang": asked})
        assert response.status_code == 200, asked
        page = parse(response)
        assert page.find("html")[0]["lang"] == "nb"
        assert "Siden finnes ikke på språket du ba om. Du leser den på bokmål." in response.text
        assert "<script>" not in response.text.replace('<script src="', "")
        assert "Unknown locale" not in response.text
    # aliases are not unknown: nn-NO and nno are Nynorsk
    for alias in ("nn-NO", "nno", "NN"):
        response = await demo_client.get("/", params={"slug": NN, "lang": alias})
        assert parse(response).find("html")[0]["lang"] == "nn"
        assert "finst ikkje på språket" not in response.text


async def test_without_lang_the_locale_is_negotiated(demo_client: httpx.AsyncClient) -> None:
    response = await demo_client.get("/", headers={"Accept-Language": "nn-NO, nb;q=0.5"})
    assert response.status_code == 200
    assert parse(response).find("html")[0]["lang"] == "nn"
    assert "Accept-Language" in response.headers["vary"]
    newest = await demo_client.get("/", headers={"Accept-Language": "en"})
    assert parse(newest).find("html")[0]["lang"] == "nb"  # nothing usable: the default


async def test_reader_text_is_escaped(demo_client: httpx.AsyncClient) -> None:
    from contentapi.comments.models import Comment, CommentStatus

    comment = await Comment.filter(status=CommentStatus.APPROVED).order_by("id").first()
    assert comment is not None
    kept = (comment.author_name, comment.body)
    comment.author_name = '<img src=x onerror="alert(1)">'
    comment.body = "</li><script>alert(1)</script>"
    await comment.save()
    try:
        response = await demo_client.get("/", params={"slug": NB, "lang": "nb"})
        assert "<script>alert(1)" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
        assert 'onerror="alert(1)"' not in response.text
    finally:
        comment.author_name, comment.body = kept
        await comment.save()


async def test_a_page_costs_a_few_statements(
    demo_client: httpx.AsyncClient, count_queries: QueryCounter
) -> None:
    response = await demo_client.get("/", params={"slug": NB, "lang": "nn"})
    assert response.status_code == 200
    # article, images, videos, tags, comments, article row, byline (2), captions (1)
    assert len(count_queries.statements) <= 10, count_queries.statements


def test_the_page_csp_lets_clips_play() -> None:
    from contentapi.security_headers import page_policy

    policy: Any = page_policy(None)
    assert "media-src 'self' https:;" in policy and "script-src 'self';" in policy


async def test_byline_and_caption_tracks_in_both_standards(demo_client: httpx.AsyncClient) -> None:
    nb = parse(await demo_client.get("/", params={"slug": NB, "lang": "nb"}))
    nn = parse(await demo_client.get("/", params={"slug": NN, "lang": "nn"}))
    # the seed's byline: the jury leader's role differs between the standards
    assert "Katinka Greve Leiner (juryleder)" in nb.text["authors"]
    assert "Katinka Greve Leiner (juryleiar)" in nn.text["authors"]
    # every clip plays with a captions track per locale, the page's own language first
    for page, first, labels in ((nb, "nb", "Norsk bokmål"), (nn, "nn", "Norsk nynorsk")):
        tracks = page.find("track")
        assert tracks and all(t["kind"] == "captions" and t["src"] for t in tracks)
        assert tracks[0]["srclang"] == first and tracks[0]["label"] == labels
    vtt = await demo_client.get(nn.find("track")[0]["src"].removeprefix(BASE))
    assert vtt.status_code == 200 and vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT")
