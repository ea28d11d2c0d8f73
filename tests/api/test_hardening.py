"""Hostile and odd input against the read side: files, ids, cursors, bodies, dates, search."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson

from contentapi.articles.models import (
    Article,
    ArticleImage,
    ArticleTag,
    ArticleTranslation,
    MediaRole,
    PublicationStatus,
    Tag,
)
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo.content import SEED
from contentapi.media.models import Image
from tests.conftest import error_codes, gql


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def lead_image_file(client: httpx.AsyncClient) -> str:
    body = await gql(
        client,
        'query($s: String!) { article(slug: $s, locale: "nb") { leadImage { url } } }',
        {"s": SEED.slug["nb"]},
    )
    return str(body["data"]["article"]["leadImage"]["url"]).split("/media/", 1)[1]


async def test_no_file_outside_the_media_folder_is_served(
    demo_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me")
    for path in (
        f"/media/w320/{secret}",  # /media/w320//tmp/.../secret.txt: an absolute name
        f"/media/{secret}",
        f"/media/w320/{str(secret).replace('/', '%2F')}",
        "/media/w320/../../../../etc/hostname",
    ):
        response = await demo_client.get(path)
        assert response.status_code == 404, path
        assert b"do not serve me" not in response.content


async def test_renditions_are_never_wider_than_the_original(demo_client: httpx.AsyncClient) -> None:
    file = await lead_image_file(demo_client)
    assert (await demo_client.get(f"/media/w1920/{file}")).status_code == 404  # original: 1600
    assert (await demo_client.get(f"/media/w1280/{file}")).status_code == 200


async def test_concurrent_first_requests_for_a_rendition(demo_client: httpx.AsyncClient) -> None:
    file = await lead_image_file(demo_client)
    responses = await asyncio.gather(*(demo_client.get(f"/media/w960/{file}") for _ in range(8)))
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.content for r in responses}) == 1


async def test_unpublished_media_tags_and_comments_are_not_nodes(
    demo_client: httpx.AsyncClient,
) -> None:
    article = await Article.create(key="hemmeleg")
    await ArticleTranslation.create(
        article=article,
        locale="nb",
        title="Hemmelig",
        slug="hemmelig",
        body="<p>x</p>",
        status=PublicationStatus.DRAFT,
        updated_at=datetime.now(UTC),
    )
    image = await Image.create(
        key="hemmeleg-bilde",
        file="ab/" + "a" * 64 + ".jpg",
        width=10,
        height=10,
        credit="Foto: embargo",
    )
    await ArticleImage.create(article=article, image=image, role=MediaRole.LEAD)
    tag = await Tag.create(key="hemmeleg-emne")
    await ArticleTag.create(article=article, tag=tag)
    comment = await Comment.create(
        article=article,
        locale="nb",
        author_name="A",
        email="a@example.org",
        body="hemmelig",
        status=CommentStatus.APPROVED,
        created_at=datetime.now(UTC),
    )
    for global_id in (b64(f"Image:{image.id}"), b64(f"Tag:{tag.id}"), b64(f"Comment:{comment.id}")):
        body = await gql(demo_client, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id})
        assert body == {"data": {"node": None}}, global_id
    # the same kinds of objects on a published article are nodes
    file = await lead_image_file(demo_client)
    public = await Image.get(file=file)
    body = await gql(
        demo_client, "query($id: ID!) { node(id: $id) { id } }", {"id": b64(f"Image:{public.id}")}
    )
    assert body["data"]["node"] is not None


async def test_ids_have_one_spelling_and_a_range(demo_client: httpx.AsyncClient) -> None:
    for text in (
        "Article:9223372036854775808",
        "Article:2147483648",
        "Article: 1",
        "Article:+1",
        "Article:1_0",
        "Article:0",
        "Article:٣",
    ):
        body = await gql(demo_client, "query($id: ID!) { node(id: $id) { id } }", {"id": b64(text)})
        assert error_codes(body) == ["BAD_REQUEST"], text


async def test_cursors_with_the_wrong_shape(demo_client: httpx.AsyncClient) -> None:
    query = """query($s: String!, $after: String) { article(slug: $s) {
      comments(first: 1, after: $after) { totalCount } } }"""
    for cursor in (
        b64('["comment"]'),
        b64('["comment", "2018-06-08T10:00:00+00:00", 18446744073709551615]'),
        b64('["comment", "2018-06-08T10:00:00", 1]'),  # no offset
        b64('["comment", "not a date", 1]'),
    ):
        body = await gql(demo_client, query, {"s": SEED.slug["nb"], "after": cursor})
        assert error_codes(body) == ["BAD_REQUEST"], cursor


async def test_json_bodies_that_are_not_objects(demo_client: httpx.AsyncClient) -> None:
    for raw in (b"null", b'"text"', b"5", b"true"):
        response = await demo_client.post(
            "/graphql", content=raw, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, raw
        assert error_codes(response.json()) == ["BAD_REQUEST"]


async def test_date_filters_compare_moments_not_text(demo_client: httpx.AsyncClient) -> None:
    query = """query($f: ArticleFilter) { articles(locale: "nb", first: 100, filter: $f) {
      edges { node { title } } } }"""
    exact = {
        "publishedAfter": "2018-06-08T10:00:00+02:00",
        "publishedBefore": "2018-06-08T10:00:01+02:00",
    }
    body = await gql(demo_client, query, {"f": exact})
    assert [e["node"]["title"] for e in body["data"]["articles"]["edges"]] == [SEED.title["nb"]]
    other_zone = {"publishedAfter": "2018-06-08T03:00:01-05:00"}  # 08:00:01Z, after the seed
    body = await gql(demo_client, query, {"f": other_zone})
    assert SEED.title["nb"] not in [e["node"]["title"] for e in body["data"]["articles"]["edges"]]
    body = await gql(demo_client, query, {"f": {"publishedAfter": "2018-06-08T10:00:00"}})
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_search_folds_norwegian_letters_and_ignores_markup(
    demo_client: httpx.AsyncClient,
) -> None:
    query = """query($q: String!) { search(query: $q, locale: "nb", first: 100) {
      edges { node { title } } } }"""
    for q in ("TRÆNA", "træna", "TræNA"):
        body = await gql(demo_client, query, {"q": q})
        assert SEED.title["nb"] in [e["node"]["title"] for e in body["data"]["search"]["edges"]]
    body = await gql(demo_client, query, {"q": "<p>"})
    assert body["data"]["search"]["edges"] == []


async def test_comment_pages_of_many_articles_at_once(demo_client: httpx.AsyncClient) -> None:
    query = """{ articles(locale: "nb", first: 100) { edges { node { id
      comments(first: 1) { totalCount edges { node { body } } pageInfo { hasNextPage } } } } } }"""
    listed = await gql(demo_client, query)
    one = """query($id: ID!) { article(id: $id) { comments(first: 1) {
      totalCount edges { node { body } } pageInfo { hasNextPage } } } }"""
    for edge in listed["data"]["articles"]["edges"]:
        alone = await gql(demo_client, one, {"id": edge["node"]["id"]})
        assert alone["data"]["article"]["comments"] == edge["node"]["comments"]


async def test_responses_vary_by_language_and_anonymous_gets_cache(
    demo_client: httpx.AsyncClient,
) -> None:
    # issue 11: Vary names Accept-Language only where the answer was negotiated from it
    negotiated = await demo_client.get(
        "/graphql", params={"query": "{ articles(first: 1) { edges { node { title } } } }"}
    )
    assert "Accept-Language" in negotiated.headers["vary"]
    response = await demo_client.get("/graphql", params={"query": "{ locales { code } }"})
    assert "Accept-Language" not in response.headers["vary"]
    assert response.headers["cache-control"] == "public, max-age=10, stale-while-revalidate=30"
    posted = await demo_client.post(
        "/graphql",
        content=orjson.dumps({"query": "{ locales { code } }"}),
        headers={"content-type": "application/json"},
    )
    assert posted.headers["cache-control"] == "no-store"
