"""Fields that need a token are nullable: asked for without one (or with the wrong role),
the error is on that field alone, and its parent and siblings still come back.

Every field the schema guards with a permission class is in :data:`CASES`, checked
against the schema itself, so a new guarded field needs a case here (and a nullable type).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLObjectType

from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo.content import SEED
from contentapi.graphql.relay import from_global_id
from contentapi.graphql.schema import build_schema
from contentapi.settings import Settings
from tests.conftest import bearer, gql, make_settings, make_tokens, running_app

SLUG = SEED.slug["nb"]
# a public sibling beside every guarded root field: it must come back
LOCALES = "locales { code }"


@dataclass(frozen=True)
class Case:
    """A document selecting one guarded field, where its error must point, and a token
    of a role that may not read it either."""

    document: str
    path: list[str | int]
    other_role: str  # gets FORBIDDEN (anonymous callers get UNAUTHENTICATED)
    variables: dict[str, Any] | None = None


def _mutation(field: str, arguments: str, selection: str = "errors { code }") -> Case:
    return Case(f"mutation {{ {field}({arguments}) {{ {selection} }} }}", [field], "moderator")


ARTICLE_FIELD = 'query { article(slug: "' + SLUG + '", locale: "nb") { title %s } }'
COMMENT_FIELD = ARTICLE_FIELD % "comments(first: 1) { edges { node { id authorName %s } } }"
COMMENT_PATH: list[str | int] = ["article", "comments", "edges", 0, "node"]

CASES: dict[str, Case] = {
    "Query.article": Case(
        f'query {{ {LOCALES} article(slug: "{SLUG}", preview: true) {{ title }} }}',
        ["article"],
        "moderator",
    ),
    "Query.pendingComments": Case(
        f"query {{ {LOCALES} pendingComments(first: 1) {{ totalCount }} }}",
        ["pendingComments"],
        "translator",
    ),
    "Query.translationStatus": Case(
        f'query {{ {LOCALES} translationStatus(locale: "nn") {{ locale }} }}',
        ["translationStatus"],
        "moderator",
    ),
    "Query.media": Case(
        f"query {{ {LOCALES} media(first: 1) {{ totalCount }} }}", ["media"], "moderator"
    ),
    "Article.revisions": Case(
        ARTICLE_FIELD % "revisions { version }", ["article", "revisions"], "moderator"
    ),
    "Comment.status": Case(COMMENT_FIELD % "status", [*COMMENT_PATH, "status"], "translator"),
    "Comment.email": Case(COMMENT_FIELD % "email", [*COMMENT_PATH, "email"], "translator"),
    "Comment.flag": Case(COMMENT_FIELD % "flag", [*COMMENT_PATH, "flag"], "translator"),
    "Mutation.moderateComment": Case(
        'mutation { moderateComment(id: "x", decision: APPROVE) { errors { code } } }',
        ["moderateComment"],
        "editor",
    ),
    "Mutation.createArticle": _mutation(
        "createArticle", 'input: {locale: "nb", title: "T", body: "<p>x</p>"}'
    ),
    "Mutation.updateArticle": _mutation(
        "updateArticle", 'input: {id: "x", locale: "nb", expectedVersion: 1}'
    ),
    "Mutation.translateArticle": _mutation(
        "translateArticle",
        'input: {id: "x", locale: "nn", title: "T", body: "<p>x</p>", expectedVersion: 1}',
    ),
    "Mutation.pretranslateArticle": _mutation(
        "pretranslateArticle", 'id: "x", from: "nb", to: "nn"'
    ),
    "Mutation.publishArticle": _mutation("publishArticle", 'id: "x", locale: "nb"'),
    "Mutation.discardDraft": _mutation("discardDraft", 'id: "x", locale: "nb"'),
    "Mutation.unpublishArticle": _mutation("unpublishArticle", 'id: "x", locale: "nb"'),
    "Mutation.deleteArticle": _mutation("deleteArticle", 'id: "x"'),
    "Mutation.restoreArticle": _mutation("restoreArticle", 'id: "x"'),
    "Mutation.setCommentsOpen": _mutation("setCommentsOpen", 'id: "x", open: false'),
    "Mutation.revertArticle": _mutation(
        "revertArticle", 'id: "x", locale: "nb", revision: 1, expectedVersion: 1'
    ),
    "Mutation.attachMedia": _mutation("attachMedia", 'articleId: "x", mediaId: "y", role: LEAD'),
    "Mutation.createVideo": _mutation(
        "createVideo", 'input: {url: "https://vimeo.com/1", texts: [{locale: "nb", title: "K"}]}'
    ),
    "Mutation.updateMedia": _mutation("updateMedia", 'input: {id: "x"}'),
    "Mutation.deleteMedia": _mutation("deleteMedia", 'id: "x"'),
    "Mutation.setByline": _mutation("setByline", 'id: "x", byline: {authors: []}'),
    "Mutation.deleteVideoCaption": _mutation("deleteVideoCaption", 'videoId: "x", locale: "nb"'),
}
# multipart: an anonymous upload is refused before the body is read (UNAUTHENTICATED for
# the whole request), so only the wrong role reaches the field
UPLOADS = {
    "Mutation.uploadImage": 'uploadImage(file: $file, input: {texts: [{locale: "nb", alt: "A"}]})',
    "Mutation.uploadVideoCaption": 'uploadVideoCaption(file: $file, input: {videoId: "x", '
    'locale: "nb"})',
}


def guarded_fields() -> dict[str, bool]:
    """Every field with a permission class, and whether its type is nullable."""
    schema = build_schema(Settings())
    found: dict[str, bool] = {}
    for name, type_ in schema._schema.type_map.items():
        if not isinstance(type_, GraphQLObjectType) or name.startswith("__"):
            continue
        for field_name, field in type_.fields.items():
            definition = field.extensions.get("strawberry-definition")
            if definition is not None and definition.permission_classes:
                found[f"{name}.{field_name}"] = not isinstance(field.type, GraphQLNonNull)
    return found


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = await make_settings(
        tmp_path_factory.mktemp("permissions"), comment_rate_limit="1000/minute"
    )
    async with running_app(settings, demo=True) as client:
        yield Env(client, await make_tokens())


def test_every_guarded_field_is_nullable_and_has_a_case() -> None:
    found = guarded_fields()
    assert set(found) == set(CASES) | set(UPLOADS)
    assert [name for name, nullable in found.items() if not nullable] == []


def _at(data: Any, path: list[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _assert_only_field_failed(body: dict[str, Any], case: Case, code: str) -> None:
    assert body.get("data") is not None, body
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(case.path, code)]
    assert _at(body["data"], case.path) is None
    parent = _at(body["data"], case.path[:-1])
    assert parent is not None  # the article, the comment, or the root with its siblings
    if "locales" in parent:
        assert {row["code"] for row in parent["locales"]} >= {"nb", "nn"}
    if "title" in parent:
        assert parent["title"]


@pytest.mark.parametrize("name", sorted(CASES))
async def test_anonymous_selection_is_an_error_on_that_field_alone(env: Env, name: str) -> None:
    case = CASES[name]
    body = await gql(env.client, case.document, case.variables)
    _assert_only_field_failed(body, case, "UNAUTHENTICATED")


@pytest.mark.parametrize("name", sorted(CASES))
async def test_a_token_without_the_right_is_an_error_on_that_field_alone(
    env: Env, name: str
) -> None:
    case = CASES[name]
    body = await gql(env.client, case.document, case.variables, bearer(env.tokens[case.other_role]))
    _assert_only_field_failed(body, case, "FORBIDDEN")


@pytest.mark.parametrize("name", sorted(UPLOADS))
async def test_an_upload_by_the_wrong_role_is_an_error_on_that_field_alone(
    env: Env, name: str
) -> None:
    field = name.split(".")[1]
    document = f"mutation($file: Upload!) {{ {UPLOADS[name]} {{ errors {{ code }} }} }}"
    response = await env.client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": document, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": ("a.png", b"\x89PNG\r\n\x1a\n", "image/png")},
        headers=bearer(env.tokens["moderator"], **{"X-Contentapi-Upload": "1"}),
    )
    body = response.json()
    assert body["data"] == {field: None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        ([field], "FORBIDDEN")
    ]


async def test_every_comment_of_a_list_keeps_its_public_fields(env: Env) -> None:
    body = await gql(
        env.client, ARTICLE_FIELD % "comments { edges { node { authorName status } } }"
    )
    nodes = [edge["node"] for edge in body["data"]["article"]["comments"]["edges"]]
    assert len(nodes) > 1 and all(n["authorName"] and n["status"] is None for n in nodes)
    assert len(body["errors"]) == len(nodes)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}


POST = """mutation($i: PostCommentInput!) { postComment(input: $i) {
  comment { id authorName status email flag } errors { code } } }"""


def _post_input(article_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "articleId": article_id,
        "authorName": "Kari",
        "email": "kari@example.org",
        "body": "Ein god artikkel.",
        **fields,
    }


async def _article_id(env: Env) -> str:
    body = await gql(env.client, ARTICLE_FIELD % "id")
    return str(body["data"]["article"]["id"])


async def test_the_poster_sees_the_comment_is_pending_and_nothing_else(env: Env) -> None:
    body = await gql(env.client, POST, {"i": _post_input(await _article_id(env))})
    comment = body["data"]["postComment"]["comment"]
    assert comment["id"] and comment["authorName"] == "Kari"
    assert comment["status"] == "PENDING"
    assert comment["email"] is None and comment["flag"] is None  # moderators only
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [
        ("postComment", "comment", "email"),
        ("postComment", "comment", "flag"),
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}
    _, pk = from_global_id(comment["id"])
    assert (await Comment.get(id=int(pk))).status == CommentStatus.PENDING  # it was stored


async def test_a_caught_spammer_is_told_pending_too(env: Env) -> None:
    filled = _post_input(
        await _article_id(env), body="Billige klokker her.", website="https://spam.example"
    )
    body = await gql(env.client, POST, {"i": filled})
    comment = body["data"]["postComment"]["comment"]
    assert comment["status"] == "PENDING"
    _, pk = from_global_id(comment["id"])
    assert (await Comment.get(id=int(pk))).status == CommentStatus.SPAM


async def test_a_refused_mutation_keeps_the_answer_of_the_one_before(env: Env) -> None:
    document = """mutation($i: PostCommentInput!) {
      postComment(input: $i) { comment { id status } errors { code } }
      moderateComment(id: "x", decision: APPROVE) { errors { code } } }"""
    posted = _post_input(await _article_id(env), body="Kjem svaret fram?")
    body = await gql(env.client, document, {"i": posted})
    assert body["data"]["postComment"]["comment"]["status"] == "PENDING", body
    assert body["data"]["moderateComment"] is None
    assert [e["path"] for e in body["errors"]] == [["moderateComment"]]


async def test_moderators_see_every_guarded_comment_field(env: Env) -> None:
    body = await gql(
        env.client,
        "{ pendingComments(first: 5) { edges { node { status email flag } } } }",
        headers=bearer(env.tokens["moderator"]),
    )
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["pendingComments"]["edges"]]
    assert nodes and all(n["status"] in {"PENDING", "SPAM"} and n["email"] for n in nodes)


async def test_editor_filters_of_articles_stay_a_request_error(env: Env) -> None:
    """The one permission check on an argument, not a field: a reader list never asks for
    drafts, so ``articles`` stays non-null for every front page, and an anonymous editor
    filter is FORBIDDEN on ``articles`` (the data is null, as for a bad argument)."""
    body = await gql(env.client, "{ articles(filter: {status: [DRAFT]}) { totalCount } }")
    assert body["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["articles"], "FORBIDDEN")
    ]
