"""Locale-correct identity: every localised object's id names the locale it was resolved
for, ``node(id)`` gives back exactly that object, and every argument that takes an id
still takes the plain (old) id as well as a localised one."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from contentapi.demo.content import SEED
from contentapi.graphql.relay import GlobalId, parse_global_id, to_global_id
from tests.conftest import bearer, error_codes, gql, make_tokens

PAGE = """query($slug: String!, $locale: String) { article(slug: $slug, locale: $locale) {
  id locale requestedLocale isFallback title lead commentCountLabel
  tags { id key name locale isFallback }
  leadImage { id alt caption locale isFallback }
  videos { id title caption locale thumbnail { id alt locale } }
  comments(first: 3) { edges { node { id articleId authorName created } } } } }"""
NODE = """query($id: ID!, $locale: String) { node(id: $id, locale: $locale) { id __typename
  ... on Article { locale requestedLocale isFallback title lead commentCountLabel }
  ... on Tag { key name locale isFallback }
  ... on Image { alt caption locale isFallback }
  ... on Video { title caption locale }
  ... on Comment { articleId authorName created } } }"""
LIST = """query($locale: String!) { articles(locale: $locale, first: 100) {
  edges { node { id locale requestedLocale isFallback title lead } } } }"""
BY_ID = """query($id: ID!, $locale: String) { article(id: $id, locale: $locale) {
  id locale requestedLocale title } }"""


def raw(text: str) -> str:
    """A global id from its decoded text, e.g. ``Article:1:nn``."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def named(global_id: str) -> GlobalId:
    return parse_global_id(global_id)


async def page(client: httpx.AsyncClient, locale: str) -> dict[str, Any]:
    body = await gql(client, PAGE, {"slug": SEED.slug[locale], "locale": locale})
    assert "errors" not in body, body
    return dict(body["data"]["article"])


async def node(client: httpx.AsyncClient, global_id: str, **args: Any) -> dict[str, Any]:
    body = await gql(client, NODE, {"id": global_id, **args}, headers=args.pop("headers", None))
    assert "errors" not in body, body
    found = body["data"]["node"]
    assert found is not None, global_id
    return dict(found)


def objects(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The article and every localised object on its page."""
    videos = article["videos"]
    thumbnails = [v["thumbnail"] for v in videos if v["thumbnail"]]
    comments = [e["node"] for e in article["comments"]["edges"]]
    return [article, *article["tags"], article["leadImage"], *videos, *thumbnails, *comments]


async def test_every_id_names_the_locale_it_was_resolved_for(
    demo_client: httpx.AsyncClient,
) -> None:
    nb, nn = await page(demo_client, "nb"), await page(demo_client, "nn")
    assert nb["lead"] == SEED.lead["nb"] and nn["lead"] == SEED.lead["nn"]
    assert nb["comments"]["edges"] and nb["videos"] and nb["tags"]
    for article, locale in ((nb, "nb"), (nn, "nn")):
        for found in objects(article):
            assert named(found["id"]).locale == locale, found
    # the same objects, told apart only by the locale in their ids
    pairs = list(zip(objects(nb), objects(nn), strict=True))
    for in_nb, in_nn in pairs:
        assert in_nb["id"] != in_nn["id"]
        a, b = named(in_nb["id"]), named(in_nn["id"])
        assert (a.type_name, a.pk) == (b.type_name, b.pk)
    # a comment on the page names the article as the page shows it
    assert {c["articleId"] for c in objects(nn)[-3:]} == {nn["id"]}
    assert [t["name"] for t in nb["tags"] if t["key"] == "kommuner"] == ["Kommuner"]
    assert [t["name"] for t in nn["tags"] if t["key"] == "kommuner"] == ["Kommunar"]


async def test_node_gives_back_exactly_what_the_id_was_given_with(
    demo_client: httpx.AsyncClient,
) -> None:
    for locale in ("nb", "nn"):
        article = await page(demo_client, locale)
        for found in objects(article):
            again = await node(demo_client, found["id"])
            assert again["id"] == found["id"]
            for key, value in found.items():
                if not isinstance(value, (dict, list)):
                    assert again.get(key, value) == value, (locale, key, found, again)
        # whatever language the reader's browser asks for
        other = "nb" if locale == "nn" else "nn"
        asked = await node(demo_client, article["id"], headers={"Accept-Language": other})
        assert (asked["locale"], asked["lead"]) == (locale, article["lead"])


async def test_a_fallback_keeps_the_requested_locale_in_its_id(
    demo_client: httpx.AsyncClient,
) -> None:
    body = await gql(demo_client, LIST, {"locale": "nn"})
    fallbacks = [e["node"] for e in body["data"]["articles"]["edges"] if e["node"]["isFallback"]]
    assert fallbacks, "the demo has nn pages that fall back to nb"
    for found in fallbacks[:3]:
        assert (found["locale"], named(found["id"]).locale) == ("nb", "nn")
        again = await node(demo_client, found["id"])
        assert again == {
            "__typename": "Article",
            **found,
            "commentCountLabel": again["commentCountLabel"],
        }
        assert again["commentCountLabel"].endswith(("kommentarar", "kommentar"))  # nn UI text
        nb_id = str(to_global_id("Article", named(found["id"]).pk, "nb"))
        in_nb = await node(demo_client, nb_id)
        assert (in_nb["requestedLocale"], in_nb["isFallback"], in_nb["title"]) == (
            "nb",
            False,
            found["title"],
        )


async def test_the_locale_argument_of_node(demo_client: httpx.AsyncClient) -> None:
    nn = await page(demo_client, "nn")
    pk = named(nn["id"]).pk
    same = await node(demo_client, nn["id"], locale="nn-NO")  # another spelling of nn
    assert same["id"] == nn["id"] and same["lead"] == SEED.lead["nn"]
    body = await gql(demo_client, NODE, {"id": nn["id"], "locale": "nb"})
    assert error_codes(body) == ["BAD_REQUEST"] and body["data"] == {"node": None}
    assert "article(id:, locale:)" in body["errors"][0]["extensions"]["detail"]  # English
    # a plain id (as before) takes the locale argument, then Accept-Language
    plain = str(to_global_id("Article", pk))
    asked = await node(demo_client, plain, locale="nn")
    assert (asked["id"], asked["lead"]) == (nn["id"], SEED.lead["nn"])
    negotiated = await node(demo_client, plain, headers={"Accept-Language": "nn-NO, nb;q=0.5"})
    assert negotiated["id"] == nn["id"]
    # a locale that is not configured; ids that are not ours
    body = await gql(demo_client, NODE, {"id": raw(f"Article:{pk}:se")})
    assert error_codes(body) == ["UNKNOWN_LOCALE"]
    for bad in (f"Article:{pk}:", f"Article:{pk}:NN", f"Article:{pk}:nn:nb", f"Article:{pk}:n n"):
        body = await gql(demo_client, NODE, {"id": raw(bad)})
        assert error_codes(body) == ["BAD_REQUEST"], bad


async def test_article_by_id_takes_every_id_and_locale_switches_language(
    demo_client: httpx.AsyncClient,
) -> None:
    nb, nn = await page(demo_client, "nb"), await page(demo_client, "nn")
    pk = named(nb["id"]).pk
    cases = [
        # (id, locale argument, Accept-Language) -> locale served
        (nn["id"], None, "nb", "nn"),  # a localised id, no argument: the id's locale
        (nn["id"], "nb", "nn", "nb"),  # the argument wins: a language switch
        (nb["id"], "nn", "nb", "nn"),
        (str(to_global_id("Article", pk)), None, "nn", "nn"),  # plain: Accept-Language
        (str(to_global_id("Article", pk)), "nb", "nn", "nb"),
    ]
    for global_id, locale, language, served in cases:
        body = await gql(
            demo_client,
            BY_ID,
            {"id": global_id, "locale": locale},
            headers={"Accept-Language": language},
        )
        assert "errors" not in body, body
        found = body["data"]["article"]
        assert found["requestedLocale"] == served, (global_id, locale)
        assert found["id"] == (nb if served == "nb" else nn)["id"]


async def call(
    client: httpx.AsyncClient, token: str, query: str, **variables: Any
) -> dict[str, Any]:
    body = await gql(client, query, variables, headers=bearer(token))
    assert "errors" not in body, body
    payload = dict(next(iter(body["data"].values())))
    assert payload.get("errors", []) == [], payload
    return payload


ARTICLE = "article { id locale requestedLocale title version }"


async def test_mutations_take_the_plain_id_and_any_localised_one(
    demo_client: httpx.AsyncClient,
) -> None:
    # writes only to an article of its own (and the seed's lead image credit, unchanged)
    client, tokens = demo_client, await make_tokens()
    token = tokens["editor"]
    made = await call(
        client,
        token,
        f"""mutation($i: CreateArticleInput!) {{ createArticle(input: $i) {{ {ARTICLE}
        errors {{ code }} }} }}""",
        i={"locale": "nb", "title": "Ferjefri veg", "body": "<p>Ja.</p>"},
    )
    nb_id = made["article"]["id"]
    pk = named(nb_id).pk
    plain = str(to_global_id("Article", pk))
    nn_id = str(to_global_id("Article", pk, "nn"))
    assert named(nb_id).locale == "nb"

    translated = await call(
        client,
        token,
        f"""mutation($i: TranslateArticleInput!) {{ translateArticle(input: $i) {{ {ARTICLE}
        errors {{ code }} }} }}""",
        i={"id": plain, "locale": "nn", "title": "Ferjefri veg", "body": "<p>Ja.</p>"},
    )
    assert translated["article"]["id"] == nn_id  # the payload names the locale it shows
    publish = f"""mutation($id: ID!, $l: String!) {{ publishArticle(id: $id, locale: $l) {{
      {ARTICLE} errors {{ code }} }} }}"""
    published = await call(client, token, publish, id=nn_id, l="nb")  # the locale argument
    assert published["article"]["id"] == nb_id  # decides, not the id's
    await call(client, token, publish, id=plain, l="nn")
    updated = await call(
        client,
        token,
        f"""mutation($i: UpdateArticleInput!) {{ updateArticle(input: $i) {{ {ARTICLE}
        errors {{ code }} }} }}""",
        i={
            "id": nn_id,
            "locale": "nb",
            "expectedVersion": published["article"]["version"],
            "title": "Ferjefri veg til øya",
        },
    )
    assert (updated["article"]["id"], updated["article"]["title"]) == (
        nb_id,
        "Ferjefri veg til øya",
    )
    for query_id in (plain, nb_id, nn_id):
        body = await gql(client, BY_ID, {"id": query_id, "locale": "nb"})
        assert body["data"]["article"]["title"] == "Ferjefri veg til øya"

    opened = "mutation($id: ID!) { setCommentsOpen(id: $id, open: true) { errors { code } } }"
    await call(client, token, opened, id=nn_id)
    posted = await gql(
        client,
        """mutation($i: PostCommentInput!) { postComment(input: $i) {
          comment { id locale } errors { code } } }""",
        {
            "i": {
                "articleId": nn_id,
                "locale": "nn",
                "authorName": "Ola",
                "email": "ola@example.org",
                "body": "Endeleg!",
            }
        },
    )
    comment = posted["data"]["postComment"]["comment"]
    assert named(comment["id"]).locale == "nn"
    await call(
        client,
        tokens["moderator"],
        """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
          comment { id } errors { code } } }""",
        id=comment["id"],
    )
    body = await gql(
        client,
        "query($id: ID!) { pendingComments(articleId: $id) { totalCount } }",
        {"id": nn_id},
        headers=bearer(tokens["moderator"]),
    )
    assert body["data"]["pendingComments"]["totalCount"] == 0

    # media: a localised image id from a page, and the plain one
    seed = await page(client, "nn")
    image = seed["leadImage"]["id"]
    attach = """mutation($a: ID!, $m: ID!) { attachMedia(articleId: $a, mediaId: $m, role: LEAD) {
      article { leadImage { id } } errors { code } } }"""
    attached = await call(client, token, attach, a=nn_id, m=image)
    assert named(attached["article"]["leadImage"]["id"]).pk == named(image).pk
    media = named(image)
    media_plain = str(to_global_id(media.type_name, media.pk))
    await call(
        client,
        token,
        "mutation($i: UpdateMediaInput!) { updateMedia(input: $i) { errors { code } } }",
        i={"id": media_plain, "credit": "Foto: Difi"},
    )
    await call(
        client,
        token,
        "mutation($i: UpdateMediaInput!) { updateMedia(input: $i) { errors { code } } }",
        i={"id": image, "credit": "Foto: Difi"},
    )

    for global_id in (nn_id, plain):
        for name in ("deleteArticle", "restoreArticle"):
            await call(
                client,
                token,
                f"mutation($id: ID!) {{ {name}(id: $id) {{ errors {{ code }} }} }}",
                id=global_id,
            )
    wrong = await gql(
        client,
        "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }",
        {"id": seed["tags"][0]["id"]},  # a tag's id, localised: still not an article
        headers=bearer(token),
    )
    assert error_codes(wrong) == ["BAD_REQUEST"] or wrong["data"]["deleteArticle"]["errors"]
