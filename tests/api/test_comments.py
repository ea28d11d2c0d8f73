"""Reader comments: posting, validation, anti-spam, moderation, counts, concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contentapi.app import create_app
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from contentapi.graphql.relay import from_global_id
from tests.conftest import STARTUP_TIMEOUT, bearer, error_codes, gql, make_settings, make_tokens

POST = """mutation($input: PostCommentInput!) { postComment(input: $input) {
  comment { id authorName body locale } errors { field code message } } }"""
MODERATE = """mutation($id: ID!, $d: ModerationDecision!) { moderateComment(id: $id, decision: $d) {
  comment { id status } errors { code } } }"""
COMMENTS = """query($s: String!) { article(slug: $s, locale: "nb") { id commentCount
  comments(first: 100) { totalCount edges { node { id authorName body } } } } }"""


@dataclass
class Env:
    app: Any
    tokens: dict[str, str]
    article_id: str

    def client(self, address: str = "192.0.2.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(address, 4000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async def post(self, address: str = "192.0.2.1", language: str = "nb", **fields: Any) -> dict:
        values = {
            "articleId": self.article_id,
            "authorName": "Kari",
            "email": "kari@example.org",
            "body": "Ein fin artikkel.",
            **fields,
        }
        async with self.client(address) as client:
            body = await gql(client, POST, {"input": values}, headers={"Accept-Language": language})
        return body

    async def moderate(self, comment_id: str, decision: str, role: str = "moderator") -> dict:
        async with self.client() as client:
            return await gql(
                client,
                MODERATE,
                {"id": comment_id, "d": decision},
                headers=bearer(self.tokens[role]),
            )


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    from asgi_lifespan import LifespanManager

    settings = (await make_settings(tmp_path_factory.mktemp("comments"))).with_changes(
        comment_rate_limit="10000/minute"
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=STARTUP_TIMEOUT) as manager:
        await load_demo(settings)
        tokens = await make_tokens()
        env = Env(manager.app, tokens, "")
        async with env.client() as client:
            body = await gql(client, COMMENTS, {"s": SEED.slug["nb"]})
        env.article_id = body["data"]["article"]["id"]
        yield env


def codes(body: dict) -> dict[str, str]:
    return {e["field"]: e["code"] for e in body["data"]["postComment"]["errors"]}


async def test_every_missing_field_at_once_in_nynorsk(env: Env) -> None:
    body = await env.post(language="nn", authorName="", email="  ", body="\n\t ")
    errors = body["data"]["postComment"]["errors"]
    assert {e["field"]: e["code"] for e in errors} == {
        "authorName": "REQUIRED",
        "email": "REQUIRED",
        "body": "REQUIRED",
    }
    assert {e["message"] for e in errors} == {"Feltet må fyllast ut."}
    assert body["data"]["postComment"]["comment"] is None


async def test_form_and_length_checks(env: Env) -> None:
    assert codes(await env.post(email="ikkje-ei-adresse")) == {"email": "INVALID_EMAIL"}
    assert codes(await env.post(body="x" * 4001)) == {"body": "TOO_LONG"}
    assert codes(await env.post(authorName="n" * 101)) == {"authorName": "TOO_LONG"}
    assert codes(await env.post(body="x" * 4000, address="192.0.2.77")) == {}


async def test_new_comments_wait_and_never_show_the_email(env: Env) -> None:
    body = await env.post(body="Venter på godkjenning", address="192.0.2.2")
    comment = body["data"]["postComment"]["comment"]
    async with env.client() as client:
        listed = await gql(client, COMMENTS, {"s": SEED.slug["nb"]})
        assert "Venter på godkjenning" not in str(listed)
        asked = await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on Comment { email } } }",
            {"id": comment["id"]},
        )
        assert asked["data"]["node"] is None  # not visible at all before approval
        pending = await gql(client, "{ pendingComments { edges { node { email } } } }")
        assert error_codes(pending) == ["UNAUTHENTICATED"]
    row = await Comment.get(id=from_global_id(comment["id"])[1])
    assert (
        row.status == CommentStatus.PENDING
        and row.client_hash
        and "192.0.2.2" not in str(row.client_hash)
    )


async def test_approval_shows_the_comment_at_once_as_plain_text(env: Env) -> None:
    text = "<script>alert(1)</script> <b>fet</b> 😀 e\u0301 ñ – «sitat»"
    body = await env.post(body=text, address="192.0.2.3")
    comment_id = body["data"]["postComment"]["comment"]["id"]
    async with env.client() as client:
        before = (await gql(client, COMMENTS, {"s": SEED.slug["nb"]}))["data"]["article"]
    assert (await env.moderate(comment_id, "APPROVE", role="editor"))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    decided = await env.moderate(comment_id, "APPROVE")
    assert decided["data"]["moderateComment"]["comment"]["status"] == "APPROVED"
    async with env.client() as client:
        after = (await gql(client, COMMENTS, {"s": SEED.slug["nb"]}))["data"]["article"]
    assert after["commentCount"] == before["commentCount"] + 1
    bodies = [e["node"]["body"] for e in after["comments"]["edges"]]
    assert text in bodies  # exactly as written: not escaped, not stripped, not normalised
    missing = await env.moderate("Q29tbWVudDo5OTk5OTk", "REJECT")  # Comment:999999
    assert missing["data"]["moderateComment"]["errors"] == [{"code": "NOT_FOUND"}]


async def test_honeypot_links_and_duplicates(env: Env) -> None:
    trap = await env.post(website="https://spam.example", body="Kjøp no!", address="192.0.2.4")
    assert trap["data"]["postComment"]["errors"] == []  # looks normal to the poster
    stored = await Comment.get(body="Kjøp no!")
    assert stored.status == CommentStatus.SPAM and stored.flag == "honeypot"
    two = "Les https://www.regjeringen.no og https://www.traena.kommune.no"
    fine = await env.post(body=two, address="192.0.2.10")
    assert fine["data"]["postComment"]["errors"] == []
    assert (await Comment.get(body=two)).flag is None  # two addresses are two links
    links = "Sjå https://a.example og http://b.example og www.c.example"
    held = await env.post(body=links, address="192.0.2.5")
    assert held["data"]["postComment"]["errors"] == []
    assert (await Comment.get(body=links)).flag == "links"
    first = await env.post(body="Same tekst to gonger", address="192.0.2.6")
    assert first["data"]["postComment"]["errors"] == []
    again = await env.post(body="Same tekst to gonger", address="192.0.2.6", language="nn")
    assert codes(again) == {"body": "DUPLICATE"}
    elsewhere = await env.post(body="Same tekst to gonger", address="192.0.2.7")
    assert elsewhere["data"]["postComment"]["errors"] == []


async def test_unknown_draft_and_closed_articles(env: Env) -> None:
    body = await env.post(articleId="QXJ0aWNsZTo5OTk5OTk")  # Article:999999
    assert codes(body) == {"articleId": "NOT_FOUND"}
    async with env.client() as client:
        closed = await gql(
            client,
            """mutation($id: ID!) { setCommentsOpen(id: $id, open: false) {
          article { commentsOpen } errors { code } } }""",
            {"id": env.article_id},
            headers=bearer(env.tokens["editor"]),
        )
    assert closed["data"]["setCommentsOpen"]["article"]["commentsOpen"] is False
    assert codes(await env.post(body="For seint", address="192.0.2.8")) == {
        "articleId": "COMMENTS_CLOSED"
    }
    async with env.client() as client:
        await gql(
            client,
            """mutation($id: ID!) { setCommentsOpen(id: $id, open: true) {
          errors { code } } }""",
            {"id": env.article_id},
            headers=bearer(env.tokens["editor"]),
        )


async def test_moderators_see_the_queue(env: Env) -> None:
    await env.post(body="I køen", address="192.0.2.9")
    async with env.client() as client:
        queue = await gql(
            client,
            """{ pendingComments(first: 100) { totalCount
          edges { node { body email status flag } } } }""",
            headers=bearer(env.tokens["moderator"]),
        )
        nodes = [e["node"] for e in queue["data"]["pendingComments"]["edges"]]
        assert {
            "body": "I køen",
            "email": "kari@example.org",
            "status": "PENDING",
            "flag": None,
        } in nodes
        editor = await gql(
            client, "{ pendingComments { totalCount } }", headers=bearer(env.tokens["editor"])
        )
        assert error_codes(editor) == ["FORBIDDEN"]


async def test_two_hundred_at_once_are_each_stored_once(env: Env) -> None:
    before = await Comment.filter(article_id=from_global_id(env.article_id)[1]).count()
    async with env.client() as client:
        queue = "{ pendingComments { totalCount } }"
        waiting = (await gql(client, queue, headers=bearer(env.tokens["moderator"])))["data"]
    results = await asyncio.gather(
        *(
            env.post(body=f"Samtidig kommentar nr. {i}", address=f"198.51.100.{i % 250}")
            for i in range(200)
        )
    )
    assert all(r["data"]["postComment"]["errors"] == [] for r in results)
    after = await Comment.filter(article_id=from_global_id(env.article_id)[1]).count()
    assert after - before == 200
    bodies = await Comment.filter(body__startswith="Samtidig kommentar nr. ").values_list(
        "body", flat=True
    )
    assert len(bodies) == len(set(bodies)) == 200
    async with env.client() as client:
        after_queue = await gql(client, queue, headers=bearer(env.tokens["moderator"]))
    assert after_queue["data"]["pendingComments"]["totalCount"] == (
        waiting["pendingComments"]["totalCount"] + 200
    )


async def test_a_ten_megabyte_body_is_refused_unread(env: Env) -> None:
    async with env.client() as client:
        response = await client.post(
            "/graphql",
            content=b"x" * (10 * 1024 * 1024),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 413
