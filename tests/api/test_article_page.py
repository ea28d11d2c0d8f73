"""The seed article, read as a frontend would, in nb and nn, with fallback."""

from __future__ import annotations

import httpx

from contentapi.demo.content import SEED, generated_articles
from tests.conftest import error_codes, gql

PAGE = """
query Page($slug: String!, $locale: String) {
  article(slug: $slug, locale: $locale) {
    id locale requestedLocale isFallback availableLocales
    translations { locale slug title status outdated }
    title slug lead body publishedAt updatedAt published updated
    leadImage { url alt caption credit width height locale isFallback }
    images { alt credit }
    videos { title url credit durationSeconds locale }
    tags { key name locale }
    comments { totalCount edges { cursor node { authorName body locale created } } }
    commentCount commentCountLabel version
  }
}
"""

APPROVED = [c for c in SEED.comments if c.status == "APPROVED"]


async def page(client: httpx.AsyncClient, slug: str, locale: str | None, **headers: str) -> dict:
    body = await gql(client, PAGE, {"slug": slug, "locale": locale}, headers=headers)
    assert "errors" not in body, body
    return body["data"]["article"]


async def test_seed_article_in_bokmaal(demo_client: httpx.AsyncClient) -> None:
    article = await page(demo_client, SEED.slug["nb"], "nb")
    assert article["title"] == "Innovasjonspris til Træna kommune"
    assert article["locale"] == "nb" and not article["isFallback"]
    assert article["lead"] == SEED.lead["nb"]
    assert "Sarpsborg" in article["body"] and "<h2>" in article["body"]
    assert article["published"] == "08. jun 2018"
    assert article["updated"] == "04. mar 2019"
    assert article["publishedAt"] == "2018-06-08T10:00:00+02:00"
    assert article["updatedAt"].endswith("+01:00")
    assert article["leadImage"]["credit"] == "Foto: Difi"
    assert article["leadImage"]["alt"] == SEED.images[0].alt.nb
    assert article["leadImage"]["url"].startswith("http://testserver/media/")
    assert all(image["credit"] == "Foto: Difi" for image in article["images"])
    assert len(article["videos"]) == 4
    assert [t["key"] for t in article["tags"]] == list(SEED.tags)
    assert "Kommuner" in [t["name"] for t in article["tags"]]
    assert article["availableLocales"] == ["nb", "nn"]
    assert {t["locale"]: t["slug"] for t in article["translations"]} == SEED.slug
    assert article["commentCount"] == len(APPROVED)
    assert article["commentCountLabel"] == f"{len(APPROVED)} kommentarer"


async def test_seed_article_in_nynorsk(demo_client: httpx.AsyncClient) -> None:
    article = await page(demo_client, SEED.slug["nn"], "nn")
    assert article["locale"] == "nn" and article["requestedLocale"] == "nn"
    assert not article["isFallback"]
    assert article["title"] == SEED.title["nn"]
    assert article["body"].count("<p>") >= 3
    assert article["published"] == "08. jun 2018"
    assert article["leadImage"]["alt"] == SEED.images[0].alt.nn
    assert article["leadImage"]["locale"] == "nn"
    titles = [v["title"] for v in article["videos"]]
    assert "Filmklipp om dei nominerte kommunane" in titles
    assert "Kommunar" in [t["name"] for t in article["tags"]]
    assert article["commentCountLabel"] == f"{len(APPROVED)} kommentarar"


async def test_only_approved_comments_are_shown(demo_client: httpx.AsyncClient) -> None:
    article = await page(demo_client, SEED.slug["nb"], "nb")
    shown = [e["node"]["body"] for e in article["comments"]["edges"]]
    assert shown == [c.body for c in APPROVED]
    hidden = [c.body for c in SEED.comments if c.status != "APPROVED"]
    assert hidden and not set(hidden) & set(shown)
    assert article["comments"]["totalCount"] == len(APPROVED)


async def test_comment_pages_follow_cursors(demo_client: httpx.AsyncClient) -> None:
    query = """query($slug: String!, $after: String) { article(slug: $slug, locale: "nb") {
      comments(first: 1, after: $after) { edges { cursor node { body } }
        pageInfo { hasNextPage endCursor } } } }"""
    seen, after = [], None
    while True:
        body = await gql(demo_client, query, {"slug": SEED.slug["nb"], "after": after})
        conn = body["data"]["article"]["comments"]
        seen += [e["node"]["body"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == [c.body for c in APPROVED]


async def test_nb_only_article_asked_in_nn_falls_back(demo_client: httpx.AsyncClient) -> None:
    nb_only = next(a for a in generated_articles() if set(a.title) == {"nb"})
    article = await page(demo_client, nb_only.slug["nb"], "nn")
    assert article["title"] == nb_only.title["nb"]
    assert article["isFallback"] is True
    assert article["locale"] == "nb"
    assert article["requestedLocale"] == "nn"
    assert article["availableLocales"] == ["nb"]


async def test_nn_slug_asked_in_nb_gives_the_nb_version(demo_client: httpx.AsyncClient) -> None:
    both = next(
        a
        for a in generated_articles()
        if set(a.title) == {"nb", "nn"} and a.slug["nb"] != a.slug["nn"]
    )
    article = await page(demo_client, both.slug["nn"], "nb")
    assert article["title"] == both.title["nb"]
    assert article["locale"] == "nb" and not article["isFallback"]
    assert article["slug"] == both.slug["nb"]


async def test_nn_only_article_asked_in_nb_falls_back(demo_client: httpx.AsyncClient) -> None:
    nn_only = next(a for a in generated_articles() if set(a.title) == {"nn"})
    article = await page(demo_client, nn_only.slug["nn"], "nb-NO")
    assert (article["locale"], article["requestedLocale"], article["isFallback"]) == (
        "nn",
        "nb",
        True,
    )


async def test_locale_from_accept_language(demo_client: httpx.AsyncClient) -> None:
    article = await page(
        demo_client, SEED.slug["nb"], None, **{"Accept-Language": "en;q=0.9, nn-NO;q=0.8, nb;q=0.5"}
    )
    assert article["locale"] == "nn"
    article = await page(demo_client, SEED.slug["nb"], None, **{"Accept-Language": "q=;;,,"})
    assert article["locale"] == "nb"
    # an explicit argument wins over the header
    article = await page(demo_client, SEED.slug["nb"], "nob", **{"Accept-Language": "nn"})
    assert article["locale"] == "nb"


async def test_unknown_locale_is_an_error_listing_the_supported(
    demo_client: httpx.AsyncClient,
) -> None:
    body = await gql(demo_client, PAGE, {"slug": SEED.slug["nb"], "locale": "sv-SE"})
    assert error_codes(body) == ["UNKNOWN_LOCALE"]
    # in the reader's language, naming the configured locales; the English detail for developers
    assert body["errors"][0]["message"] == "Dette språket finnes ikke her. Bruk nb eller nn."
    assert "nb, nn" in body["errors"][0]["extensions"]["detail"]
    assert body["errors"][0]["extensions"]["supportedLocales"] == ["nb", "nn"]
    assert body["data"] == {"article": None}


async def test_unknown_slug_and_id_are_null_without_error(demo_client: httpx.AsyncClient) -> None:
    body = await gql(demo_client, '{ article(slug: "finst-ikkje", locale: "nn") { id } }')
    assert body == {"data": {"article": None}}
    body = await gql(demo_client, '{ article(id: "QXJ0aWNsZTo5OTk5OTk") { id } }')  # Article:999999
    assert body == {"data": {"article": None}}


async def test_by_id_and_node_give_the_same_article(demo_client: httpx.AsyncClient) -> None:
    article = await page(demo_client, SEED.slug["nb"], "nb")
    body = await gql(
        demo_client,
        """query($id: ID!) { article(id: $id, locale: "nn") { id title }
           node(id: $id) { id ... on Article { title locale } } }""",
        {"id": article["id"]},
    )
    nn = body["data"]["article"]
    assert nn["title"] == SEED.title["nn"] and nn["id"] != article["id"]  # ids name a locale
    assert body["data"]["node"] == {"id": article["id"], "title": SEED.title["nb"], "locale": "nb"}
    again = await gql(
        demo_client,
        "query($id: ID!) { node(id: $id) { id ... on Article { title locale } } }",
        {"id": nn["id"]},
    )
    assert again["data"]["node"] == {"id": nn["id"], "title": SEED.title["nn"], "locale": "nn"}


async def test_malformed_ids_are_bad_requests(demo_client: httpx.AsyncClient) -> None:
    for bad in ["not-base64!!", "QXJ0aWNsZTphYmM", ""]:  # garbage; "Article:abc"; empty
        body = await gql(demo_client, "query($id: ID!) { node(id: $id) { id } }", {"id": bad})
        assert error_codes(body) == ["BAD_REQUEST"], (bad, body)
    body = await gql(demo_client, '{ article(id: "VGFnOjE") { id } }')  # Tag:1, not an article
    assert error_codes(body) == ["BAD_REQUEST"]
    body = await gql(demo_client, "{ article { id } }")
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_date_formats_and_patterns(demo_client: httpx.AsyncClient) -> None:
    query = """query($slug: String!) { article(slug: $slug, locale: "nn") {
      long: published(format: LONG) full: published(format: FULL) iso: published(format: ISO)
      custom: published(pattern: "d. MMMM y 'kl.' HH:mm") rel: published(format: RELATIVE) } }"""
    body = await gql(demo_client, query, {"slug": SEED.slug["nn"]})
    article = body["data"]["article"]
    assert article["long"] == "8. juni 2018"
    assert article["full"] == "fredag 8. juni 2018"
    assert article["iso"] == "2018-06-08T10:00:00+02:00"
    assert article["custom"] == "8. juni 2018 kl. 10:00"
    assert article["rel"].startswith("for ") and article["rel"].endswith(" sidan")


async def test_bad_date_pattern_is_a_bad_request(demo_client: httpx.AsyncClient) -> None:
    body = await gql(
        demo_client,
        'query($s: String!) { article(slug: $s) { title published(pattern: "jjjj") } }',
        {"s": SEED.slug["nb"]},
    )
    assert error_codes(body) == ["BAD_REQUEST"]
    assert "pattern" in body["errors"][0]["extensions"]["detail"]


COMMENT_DATES = """query($slug: String!, $locale: String) { article(slug: $slug, locale: $locale) {
  published
  comments(first: 100) { edges { node { authorName locale createdAt created
    long: created(format: LONG) full: created(format: FULL) iso: created(format: ISO)
    custom: created(pattern: "d. MMMM y 'kl.' HH:mm") rel: created(format: RELATIVE) } } } } }"""


async def test_comment_times_in_bokmaal_and_nynorsk(demo_client: httpx.AsyncClient) -> None:
    # Comment.created follows Article.published: the page's locale, the house style (SITE)
    # by default, the configured time zone; createdAt is the moment with its offset
    first = APPROVED[0]  # posted 95 minutes after the article (10:00, summer time)
    assert first.minutes_after_publish == 95
    endings = {"nb": " siden", "nn": " sidan"}
    for locale in ("nb", "nn"):
        body = await gql(demo_client, COMMENT_DATES, {"slug": SEED.slug[locale], "locale": locale})
        assert "errors" not in body, body
        article = body["data"]["article"]
        nodes = [e["node"] for e in article["comments"]["edges"]]
        assert len(nodes) == len(APPROVED)
        node = next(n for n in nodes if n["authorName"] == first.author_name)
        assert node["createdAt"] == node["iso"] == "2018-06-08T11:35:00+02:00"
        assert node["created"] == article["published"] == "08. jun 2018"  # one house style
        assert node["long"] == "8. juni 2018"
        assert node["full"] == "fredag 8. juni 2018"
        assert node["custom"] == "8. juni 2018 kl. 11:35"
        assert node["rel"].startswith("for ") and node["rel"].endswith(endings[locale])
        # a comment written in the other language is dated in the page's language
        assert {n["locale"] for n in nodes} == {"nb", "nn"}
        assert all(n["created"] and n["created"].endswith(" 2018") for n in nodes)
