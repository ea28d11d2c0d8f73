"""Input rules: every string argument has a limit, text holds no control, bidi or
invisible-only values, a search for NUL finds nothing, and moderation decisions race
safely."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import websockets

from contentapi.app import create_app
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from contentapi.graphql.relay import from_global_id, to_global_id
from tests.conftest import (
    bearer,
    error_codes,
    free_port,
    gql,
    make_settings,
    make_tokens,
    serve,
)

LONG = "x" * 10_000
V = object()  # where a case puts the 10,000-character value
BIG = object()  # article bodies take 500,000 characters: one more


@dataclass
class Env:
    client: httpx.AsyncClient
    host: str
    tokens: dict[str, str]
    article: str  # the demo article's global id
    image: str  # its lead picture

    async def call(
        self, query: str, variables: dict[str, Any] | None = None, role: str | None = "admin"
    ) -> dict[str, Any]:
        return await gql(
            self.client, query, variables, headers=bearer(self.tokens[role]) if role else None
        )


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = await make_settings(
        tmp_path_factory.mktemp("input"), comment_rate_limit="1000/minute"
    )
    # a real server, so that the subscriptions can be tried over a websocket too
    async with (
        serve(create_app(settings), free_port()) as host,
        httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as client,
    ):
        await load_demo(settings)
        body = await gql(
            client,
            'query($s: String!) { article(slug: $s, locale: "nb") { id leadImage { id } } }',
            {"s": SEED.slug["nb"]},
        )
        article = body["data"]["article"]
        yield Env(
            client,
            host,
            await make_tokens(),
            article["id"],
            article["leadImage"]["id"],
        )


# -- every string argument: a 10,000-character value is a coded error ---------------------

POST = """mutation($i: PostCommentInput!) { postComment(input: $i) { errors { code } } }"""
CREATE = """mutation($i: CreateArticleInput!) { createArticle(input: $i) { errors { code } } }"""
UPDATE = """mutation($i: UpdateArticleInput!) { updateArticle(input: $i) { errors { code } } }"""
TRANSLATE = """mutation($i: TranslateArticleInput!) {
  translateArticle(input: $i) { errors { code } } }"""
VIDEO = """mutation($i: VideoInput!) { createVideo(input: $i) { errors { code } } }"""
MEDIA = """mutation($i: UpdateMediaInput!) { updateMedia(input: $i) { errors { code } } }"""
BYLINE = """mutation($a: ID!, $b: BylineInput!) {
  setByline(id: $a, byline: $b) { errors { code } } }"""
ARTICLE = "query($v: ID!, $p: String, $l: String, $c: String) { article(id: $v) { %s } }"


def cases(env: Env) -> dict[str, tuple[str, dict[str, Any]]]:
    """Schema coordinate -> (document, variables); ``V`` marks the over-long value."""
    a, img = env.article, env.image
    post = {"articleId": a, "authorName": "Kari", "email": "kari@example.org", "body": "Hei"}
    create = {"locale": "nb", "title": "Tittel", "body": "<p>x</p>"}
    update = {"id": a, "locale": "nb", "expectedVersion": 1}
    translate = {"id": a, "locale": "nn", "title": "T", "body": "<p>x</p>", "expectedVersion": 1}
    video = {"url": "https://vimeo.com/1", "texts": [{"locale": "nb", "title": "Klipp"}]}
    text = {"locale": "nb", "alt": "Alt"}
    pattern = "published(pattern: $p)"
    return {
        "Query.node(id)": ("query($v: ID!) { node(id: $v) { id } }", {"v": V}),
        "Query.node(locale)": (
            "query($i: ID!, $v: String) { node(id: $i, locale: $v) { id } }",
            {"i": a, "v": V},
        ),
        "Query.article(id)": ("query($v: ID) { article(id: $v) { id } }", {"v": V}),
        "Query.article(slug)": ("query($v: String) { article(slug: $v) { id } }", {"v": V}),
        "Query.article(locale)": (
            'query($v: String) { article(slug: "a", locale: $v) { id } }',
            {"v": V},
        ),
        "Query.articles(locale)": (
            "query($v: String) { articles(locale: $v) { totalCount } }",
            {"v": V},
        ),
        "Query.articles(after)": (
            "query($v: String) { articles(after: $v) { totalCount } }",
            {"v": V},
        ),
        "Query.articles(before)": (
            "query($v: String) { articles(last: 1, before: $v) { totalCount } }",
            {"v": V},
        ),
        **{
            f"ArticleFilter.{name}": (
                f"query($v: String) {{ articles(filter: {{{name}: $v}}) {{ totalCount }} }}",
                {"v": V},
            )
            for name in ("tag", "author", "search")
        },
        "Query.search(query)": (
            "query($v: String!) { search(query: $v) { totalCount } }",
            {"v": V},
        ),
        "Query.search(locale)": (
            'query($v: String) { search(query: "pris", locale: $v) { totalCount } }',
            {"v": V},
        ),
        "Query.search(after)": (
            'query($v: String) { search(query: "pris", after: $v) { totalCount } }',
            {"v": V},
        ),
        "Query.pendingComments(after)": (
            "query($v: String) { pendingComments(after: $v) { totalCount } }",
            {"v": V},
        ),
        "Query.pendingComments(articleId)": (
            "query($v: ID) { pendingComments(articleId: $v) { totalCount } }",
            {"v": V},
        ),
        "Query.messages(locale)": (
            "query($v: String) { messages(locale: $v) { key } }",
            {"v": V},
        ),
        "Query.messages(keys)": (
            "query($v: [String!]) { messages(keys: $v) { key } }",
            {"v": ["article.published", V]},
        ),
        "Query.message(key)": ("query($v: String!) { message(key: $v) { key } }", {"v": V}),
        "Query.message(locale)": (
            'query($v: String) { message(key: "article.published", locale: $v) { key } }',
            {"v": V},
        ),
        "Query.translationStatus(locale)": (
            "query($v: String!) { translationStatus(locale: $v) { locale } }",
            {"v": V},
        ),
        "Query.media(locale)": ("query($v: String) { media(locale: $v) { totalCount } }", {"v": V}),
        "Query.media(after)": ("query($v: String) { media(after: $v) { totalCount } }", {"v": V}),
        **{
            f"MediaFilter.{name}": (
                f"query($v: String) {{ media(filter: {{{name}: $v}}) {{ totalCount }} }}",
                {"v": V},
            )
            for name in ("missingAltIn", "search")
        },
        "TranslationStatus.tasks(after)": (
            'query($v: String) { translationStatus(locale: "nn") { tasks(after: $v) '
            "{ totalCount } } }",
            {"v": V},
        ),
        "Article.revisions(locale)": (ARTICLE % "revisions(locale: $l) { number }", {"l": V}),
        "Article.published(pattern)": (ARTICLE % pattern, {"p": V}),
        "Article.updated(pattern)": (ARTICLE % "updated(pattern: $p)", {"p": V}),
        "Article.comments(after)": (ARTICLE % "comments(after: $c) { totalCount }", {"c": V}),
        "Comment.created(pattern)": (
            ARTICLE % "comments(first: 1) { edges { node { created(pattern: $p) } } }",
            {"p": V},
        ),
        **{
            f"PostCommentInput.{name}": (POST, {"i": {**post, name: V}})
            for name in ("articleId", "authorName", "email", "body", "locale", "website")
        },
        "PostCommentInput.idempotencyKey": (POST, {"i": {**post, "idempotencyKey": V}}),
        "Mutation.moderateComment(id)": (
            "mutation($v: ID!) { moderateComment(id: $v, decision: APPROVE) { errors { code } } }",
            {"v": V},
        ),
        **{
            f"CreateArticleInput.{name}": (
                CREATE,
                {"i": {**create, name: BIG if name == "body" else V}},
            )
            for name in ("locale", "title", "body", "slug", "lead", "idempotencyKey")
        },
        "CreateArticleInput.tags": (CREATE, {"i": {**create, "tags": [V]}}),
        **{
            f"UpdateArticleInput.{name}": (
                UPDATE,
                {"i": {**update, name: BIG if name == "body" else V}},
            )
            for name in ("id", "locale", "title", "slug", "lead", "body")
        },
        **{
            f"TranslateArticleInput.{name}": (
                TRANSLATE,
                {"i": {**translate, name: BIG if name == "body" else V}},
            )
            for name in ("id", "locale", "title", "body", "sourceLocale", "slug", "lead")
        },
        "Mutation.pretranslateArticle(id)": (
            'mutation($v: ID!) { pretranslateArticle(id: $v, from: "nb", to: "nn") '
            "{ errors { code } } }",
            {"v": V},
        ),
        "Mutation.pretranslateArticle(from)": (
            'mutation($i: ID!, $v: String!) { pretranslateArticle(id: $i, from: $v, to: "nn") '
            "{ errors { code } } }",
            {"i": a, "v": V},
        ),
        "Mutation.pretranslateArticle(to)": (
            'mutation($i: ID!, $v: String!) { pretranslateArticle(id: $i, from: "nb", to: $v) '
            "{ errors { code } } }",
            {"i": a, "v": V},
        ),
        **{
            f"Mutation.{name}(id)": (
                f"mutation($v: ID!) {{ {name}(id: $v{args}) {{ errors {{ code }} }} }}",
                {"v": V},
            )
            for name, args in (
                ("publishArticle", ', locale: "nb"'),
                ("unpublishArticle", ', locale: "nb"'),
                ("deleteArticle", ""),
                ("restoreArticle", ""),
                ("setCommentsOpen", ", open: true"),
                ("revertArticle", ', locale: "nb", revision: 1, expectedVersion: 1'),
                ("discardDraft", ', locale: "nb"'),
                ("deleteMedia", ""),
            )
        },
        **{
            f"Mutation.{name}(locale)": (
                f"mutation($i: ID!, $v: String!) {{ {name}(id: $i, locale: $v{args}) "
                "{ errors { code } } }",
                {"i": a, "v": V},
            )
            for name, args in (
                ("publishArticle", ""),
                ("unpublishArticle", ""),
                ("revertArticle", ", revision: 1, expectedVersion: 1"),
                ("discardDraft", ""),
            )
        },
        "Mutation.attachMedia(articleId)": (
            "mutation($v: ID!, $m: ID!) { attachMedia(articleId: $v, mediaId: $m, role: GALLERY) "
            "{ errors { code } } }",
            {"v": V, "m": img},
        ),
        "Mutation.attachMedia(mediaId)": (
            "mutation($a: ID!, $v: ID!) { attachMedia(articleId: $a, mediaId: $v, role: GALLERY) "
            "{ errors { code } } }",
            {"a": a, "v": V},
        ),
        **{
            f"VideoInput.{name}": (VIDEO, {"i": {**video, name: V}})
            for name in ("url", "credit", "thumbnailId", "idempotencyKey")
        },
        **{
            f"VideoTextInput.{name}": (
                VIDEO,
                {"i": {**video, "texts": [{"locale": "nb", "title": "Klipp", name: V}]}},
            )
            for name in ("locale", "title", "caption")
        },
        **{
            f"ImageTextInput.{name}": (
                MEDIA,
                {"i": {"id": img, "imageTexts": [{**text, name: V}]}},
            )
            for name in ("locale", "alt", "caption")
        },
        "Query.tags(locale)": ("query($v: String) { tags(locale: $v) { totalCount } }", {"v": V}),
        "Query.tags(after)": ("query($v: String) { tags(after: $v) { totalCount } }", {"v": V}),
        "Query.tag(key)": ("query($v: String!) { tag(key: $v) { key } }", {"v": V}),
        "Query.tag(locale)": (
            'query($v: String) { tag(key: "kommuner", locale: $v) { key } }',
            {"v": V},
        ),
        "Tag.articles(after)": (
            'query($v: String) { tag(key: "kommuner") { articles(after: $v) { totalCount } } }',
            {"v": V},
        ),
        "Mutation.setByline(id)": (
            "mutation($v: ID!) { setByline(id: $v, byline: {}) { errors { code } } }",
            {"v": V},
        ),
        "BylineAuthorInput.name": (BYLINE, {"a": a, "b": {"authors": [{"name": V}]}}),
        **{
            f"LocalizedTextInput.{name}": (
                BYLINE,
                {"a": a, "b": {"unit": [{"locale": "nb", "text": "KMD", name: V}]}},
            )
            for name in ("locale", "text")
        },
        "UpdateMediaInput.id": (MEDIA, {"i": {"id": V}}),
        "Mutation.deleteVideoCaption(videoId)": (
            'mutation($v: ID!) { deleteVideoCaption(videoId: $v, locale: "nb") '
            "{ errors { code } } }",
            {"v": V},
        ),
        "Mutation.deleteVideoCaption(locale)": (
            "mutation($i: ID!, $v: String!) { deleteVideoCaption(videoId: $i, locale: $v) "
            "{ errors { code } } }",
            {"i": to_global_id("Video", 1), "v": V},
        ),
        "UpdateMediaInput.credit": (MEDIA, {"i": {"id": img, "credit": V}}),
    }


# uploadImage's ImageInput fields go through multipart; the subscriptions over a websocket
ELSEWHERE = {
    "VideoCaptionInput.videoId",  # multipart: test_upload_fields_are_limited_too
    "VideoCaptionInput.locale",
    "ImageInput.credit",
    "ImageInput.idempotencyKey",
    "Subscription.commentApproved(articleId)",
    "Subscription.commentApproved(locale)",
    "Subscription.articlePublished(locale)",
}
CODED = {"TOO_LONG", "BAD_REQUEST", "INVALID_SLUG", "INVALID_URL"}


def _filled(value: Any) -> Any:
    if value is V:
        return LONG
    if value is BIG:
        return "x" * 500_001
    if isinstance(value, dict):
        return {k: _filled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v) for v in value]
    return value


def _codes(body: dict[str, Any]) -> list[str]:
    """Top-level codes and those of every payload's ``errors``."""
    found = error_codes(body)
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            found += [e["code"] for e in payload.get("errors") or []]
    return found


async def _string_arguments(env: Env) -> set[str]:
    """Every String or ID argument and input field of the schema, as coordinates."""
    body = await env.call(
        """{ __schema { types { name kind
             fields { name args { name type { ...T } } }
             inputFields { name type { ...T } } } } }
           fragment T on __Type { kind name ofType { kind name ofType { kind name
             ofType { kind name } } } }"""
    )
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}

    def named(type_: dict[str, Any]) -> dict[str, Any]:
        while type_.get("ofType"):
            type_ = type_["ofType"]
        return type_

    found: set[str] = set()
    for type_ in types.values():
        if type_["name"].startswith("__"):
            continue
        for field in type_["fields"] or []:
            for arg in field["args"]:
                if named(arg["type"])["name"] in {"String", "ID"}:
                    found.add(f"{type_['name']}.{field['name']}({arg['name']})")
        for field in type_["inputFields"] or []:
            if named(field["type"])["name"] in {"String", "ID"}:
                found.add(f"{type_['name']}.{field['name']}")
    return found


async def test_every_string_argument_is_in_the_table(env: Env) -> None:
    covered = set(cases(env)) | ELSEWHERE
    assert await _string_arguments(env) == covered


async def test_an_over_long_value_of_any_argument_is_a_coded_error(env: Env) -> None:
    for coordinate, (document, variables) in cases(env).items():
        response = await env.client.post(
            "/graphql",
            json={"query": document, "variables": _filled(variables)},
            headers=bearer(env.tokens["admin"]),
        )
        assert response.status_code == 200, coordinate
        codes = _codes(response.json())
        assert "INTERNAL_ERROR" not in codes, coordinate
        assert CODED & set(codes), (coordinate, codes)
        assert len(response.content) < 4000, coordinate  # the value is not echoed back


async def test_identifier_limits_are_too_long_with_the_limit(env: Env) -> None:
    body = await gql(
        env.client, "query($v: String) { articles(filter: {tag: $v}) { totalCount } }", {"v": LONG}
    )
    error = body["errors"][0]
    assert error["extensions"] == {"code": "TOO_LONG", "field": "filter.tag", "maxLength": 100}
    body = await gql(env.client, "query($v: String) { article(slug: $v) { id } }", {"v": LONG})
    assert body["errors"][0]["extensions"]["code"] == "TOO_LONG"
    body = await gql(
        env.client, "query($v: String) { articles(locale: $v) { totalCount } }", {"v": LONG}
    )
    assert body["errors"][0]["extensions"]["code"] == "TOO_LONG"
    # a tag key in a new article: TOO_LONG for the field, not a crash
    body = await env.call(
        CREATE, {"i": {"locale": "nb", "title": "T", "body": "x", "tags": ["x" * 101]}}
    )
    assert body["data"]["createArticle"]["errors"] == [{"code": "TOO_LONG"}]


async def test_upload_fields_are_limited_too(env: Env) -> None:
    query = """mutation($file: Upload!, $input: ImageInput!) { uploadImage(file: $file,
      input: $input) { image { id } errors { field code } } }"""
    for extra in ({"credit": "Foto\u202e"}, {"idempotencyKey": LONG}):
        operations = {
            "query": query,
            "variables": {"file": None, "input": {"texts": [], **extra}},
        }
        response = await env.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": '{"0": ["variables.file"]}'},
            files={"0": ("a.gif", b"GIF89a", "image/gif")},
            headers={**bearer(env.tokens["editor"]), "X-Contentapi-Upload": "1"},
        )
        codes = _codes(response.json())
        assert codes and "INTERNAL_ERROR" not in codes, (extra, codes)
    caption = """mutation($file: Upload!, $input: VideoCaptionInput!) { uploadVideoCaption(
      file: $file, input: $input) { video { id } errors { field code } } }"""
    video = to_global_id("Video", 1)
    for fields in ({"videoId": LONG, "locale": "nb"}, {"videoId": video, "locale": LONG}):
        operations = {"query": caption, "variables": {"file": None, "input": fields}}
        response = await env.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": '{"0": ["variables.file"]}'},
            files={"0": ("a.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", "text/vtt")},
            headers={**bearer(env.tokens["editor"]), "X-Contentapi-Upload": "1"},
        )
        codes = _codes(response.json())
        assert "TOO_LONG" in codes and "INTERNAL_ERROR" not in codes, (fields, codes)


async def test_subscription_arguments_are_limited(env: Env) -> None:
    queries = (
        "subscription($v: String) { articlePublished(locale: $v) { title } }",
        "subscription($v: ID!) { commentApproved(articleId: $v) { body } }",
        f'subscription($v: String) {{ commentApproved(articleId: "{env.article}", '
        "locale: $v) { body } }",
    )
    async with websockets.connect(
        f"ws://{env.host}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for n, query in enumerate(queries):
            payload = {"query": query, "variables": {"v": LONG}}
            await ws.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert answer["type"] == "next", answer
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "complete"
            assert answer["payload"]["errors"][0]["extensions"]["code"] == "TOO_LONG", query


# -- which characters text may hold --------------------------------------------------------


async def test_search_for_nul_or_controls_is_refused(env: Env) -> None:
    query = "query($q: String!) { search(query: $q) { totalCount } }"
    for bad in ("\u0000", "pris\u0000", "\x1b[31m"):
        body = await gql(env.client, query, {"q": bad})
        assert error_codes(body) == ["INVALID_TEXT"], bad
        assert body["data"] is None
    body = await gql(env.client, query, {"q": "innovasjonspris"})
    assert body["data"]["search"]["totalCount"] >= 1


async def test_bidi_controls_and_invisible_names_are_refused(env: Env) -> None:
    for title in ("Ny pris\u202e", "\u2066Ny\u2069", "\u200b\u200b", "\u200b \ufeff"):
        body = await env.call(
            """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
               article { id } errors { field code } } }""",
            {"i": {"locale": "nb", "title": title, "body": "<p>x</p>"}},
        )
        assert body["data"]["createArticle"] == {
            "article": None,
            "errors": [{"field": "title", "code": "INVALID_TEXT"}],
        }, title
    post = """mutation($i: PostCommentInput!) { postComment(input: $i) {
      comment { id } errors { field code } } }"""
    base = {
        "articleId": env.article,
        "authorName": "Kari",
        "email": "k@example.org",
        "body": "Gratulerer",
    }
    for field, value in (
        ("authorName", "\u200b\u200c\u200d"),
        ("authorName", "Kari\u202eirak"),
        ("body", "Fint\u2067"),
        ("body", "\u2060"),
    ):
        body = await env.call(post, {"i": {**base, field: value}}, role=None)
        assert body["data"]["postComment"]["errors"] == [{"field": field, "code": "INVALID_TEXT"}]
    # white space alone is still "required", and joiners inside visible text are fine
    body = await env.call(post, {"i": {**base, "authorName": "   "}}, role=None)
    assert body["data"]["postComment"]["errors"] == [{"field": "authorName", "code": "REQUIRED"}]
    body = await env.call(
        post, {"i": {**base, "authorName": "Kari \U0001f469\u200d\U0001f4bb"}}, role=None
    )
    assert body["data"]["postComment"]["errors"] == []
    body = await env.call(
        MEDIA.replace("errors { code }", "errors { field code }"),
        {"i": {"id": env.image, "imageTexts": [{"locale": "nb", "alt": "\u200b"}]}},
    )
    assert body["data"]["updateMedia"]["errors"] == [
        {"field": "texts.nb.alt", "code": "INVALID_TEXT"}
    ]


# -- moderation --------------------------------------------------------------------------


MODERATE = """mutation($id: ID!, $d: ModerationDecision!, $e: CommentStatus) {
  moderateComment(id: $id, decision: $d, expectedStatus: $e) {
    comment { status } errors { field code message } } }"""


async def _pending_comment(env: Env, text: str) -> str:
    row = await Comment.create(
        article_id=_pk(env.article),
        locale="nb",
        author_name="Kari",
        email="k@example.org",
        body=text,
        status=CommentStatus.PENDING,
        created_at=datetime.now(UTC),
    )
    return str(to_global_id("Comment", row.id))


def _pk(global_id: str) -> int:
    return from_global_id(global_id)[1]


async def test_concurrent_decisions_one_wins_the_other_is_a_conflict(env: Env) -> None:
    comment = await _pending_comment(env, "Kven vinn?")
    approve, reject = await asyncio.gather(
        env.call(MODERATE, {"id": comment, "d": "APPROVE", "e": "PENDING"}, role="moderator"),
        env.call(MODERATE, {"id": comment, "d": "REJECT", "e": "PENDING"}, role="moderator"),
    )
    results = [approve["data"]["moderateComment"], reject["data"]["moderateComment"]]
    won = [r for r in results if not r["errors"]]
    lost = [r for r in results if r["errors"]]
    assert len(won) == 1 and len(lost) == 1, results
    final = (await Comment.get(id=_pk(comment))).status
    assert won[0]["comment"]["status"] == final
    error = lost[0]["errors"][0]
    assert (error["field"], error["code"]) == ("expectedStatus", "CONFLICT")
    assert lost[0]["comment"]["status"] == final  # the comment as it now is


async def test_expected_status_conflict_names_the_current_status(env: Env) -> None:
    comment = await _pending_comment(env, "Ein til")
    ok = await env.call(MODERATE, {"id": comment, "d": "APPROVE", "e": "PENDING"}, "moderator")
    assert ok["data"]["moderateComment"]["errors"] == []
    # deciding what is already so changes nothing and is fine
    again = await env.call(MODERATE, {"id": comment, "d": "APPROVE", "e": "APPROVED"}, "moderator")
    assert again["data"]["moderateComment"]["errors"] == []
    body = await gql(
        env.client,
        MODERATE,
        {"id": comment, "d": "SPAM", "e": "PENDING"},
        headers=bearer(env.tokens["moderator"], **{"Accept-Language": "nn"}),
    )
    payload = body["data"]["moderateComment"]
    assert payload["comment"]["status"] == "APPROVED"
    assert payload["errors"][0]["code"] == "CONFLICT"
    assert payload["errors"][0]["message"] == (
        "Nokon andre har alt avgjort kommentaren. Status er no: godkjent."
    )
    assert (await Comment.get(id=_pk(comment))).status == CommentStatus.APPROVED
    # without expectedStatus: as before, the last decision wins
    body = await env.call(MODERATE, {"id": comment, "d": "REJECT"}, "moderator")
    assert body["data"]["moderateComment"]["comment"]["status"] == "REJECTED"
