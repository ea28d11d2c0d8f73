"""Pending changes of a live translation: reviewed before readers see them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from contentapi.events.models import ContentVersion
from tests.conftest import FakeClock, bearer, gql, make_settings, make_tokens, running_app

ARTICLE = """id title lead body version hasPendingChanges
  translations { locale title status hasPendingChanges }"""
PAYLOAD = f"article {{ {ARTICLE} }} errors {{ field code message }}"
CREATE = f"""mutation($i: CreateArticleInput!) {{ createArticle(input: $i) {{ {PAYLOAD} }} }}"""
UPDATE = f"""mutation($i: UpdateArticleInput!) {{ updateArticle(input: $i) {{ {PAYLOAD} }} }}"""
TRANSLATE = f"""mutation($i: TranslateArticleInput!) {{
  translateArticle(input: $i) {{ {PAYLOAD} }} }}"""
PUBLISH = f"""mutation($id: ID!, $l: String!, $at: DateTime) {{
  publishArticle(id: $id, locale: $l, at: $at) {{ {PAYLOAD} }} }}"""
DISCARD = (
    f"""mutation($id: ID!, $l: String!) {{ discardDraft(id: $id, locale: $l) {{ {PAYLOAD} }} }}"""
)
READ = f"""query($id: ID!, $l: String, $p: Boolean) {{
  article(id: $id, locale: $l, preview: $p) {{ {ARTICLE} }} }}"""
REVISIONS = """query($id: ID!) { article(id: $id, preview: true) {
  revisions(locale: "nb") { number version pending title } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    clock: FakeClock

    async def call(
        self, query: str, variables: dict[str, Any], role: str | None = "editor"
    ) -> dict[str, Any]:
        headers = bearer(self.tokens[role]) if role else {}
        body = await gql(self.client, query, variables, headers=headers)
        assert "errors" not in body, body
        return body["data"]

    async def write(self, query: str, variables: dict[str, Any], role: str = "editor") -> Any:
        data = await self.call(query, variables, role)
        return next(iter(data.values()))

    async def live_article(self, title: str) -> str:
        made = await self.write(
            CREATE,
            {"i": {"locale": "nb", "title": title, "lead": "Gammel ingress", "body": "<p>Før</p>"}},
        )
        article = str(made["article"]["id"])
        published = await self.write(PUBLISH, {"id": article, "l": "nb", "at": None})
        assert published["errors"] == []
        return article

    async def reader(self, article: str, locale: str = "nb") -> dict[str, Any]:
        return dict((await self.call(READ, {"id": article, "l": locale}, role=None))["article"])

    async def preview(self, article: str, locale: str = "nb") -> dict[str, Any]:
        return dict((await self.call(READ, {"id": article, "l": locale, "p": True}))["article"])


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    clock = FakeClock()
    settings = (await make_settings(tmp_path_factory.mktemp("pending"))).with_changes(
        worker_interval_seconds=0.05
    )
    async with running_app(settings, clock=clock) as client:
        yield Env(client, await make_tokens(), clock)


def draft(article: str, version: int, **fields: Any) -> dict[str, Any]:
    return {
        "i": {"id": article, "locale": "nb", "expectedVersion": version, "draft": True, **fields}
    }


async def test_an_edit_waits_for_review_and_readers_see_it_once_published(env: Env) -> None:
    article = await env.live_article("Prisen til Træna")
    before = (await ContentVersion.first()).version  # type: ignore[union-attr]

    saved = await env.write(UPDATE, draft(article, 1, lead="Ny ingress", body="<p>Etter</p>"))
    assert saved["errors"] == []
    assert saved["article"]["lead"] == "Ny ingress"  # the payload is the preview
    assert saved["article"]["hasPendingChanges"] is True
    assert saved["article"]["version"] == 2

    reader = await env.reader(article)
    assert (reader["lead"], reader["body"], reader["version"]) == (
        "Gammel ingress",
        "<p>Før</p>",
        1,
    )
    assert reader["hasPendingChanges"] is False
    assert reader["translations"][0]["hasPendingChanges"] is False
    # nothing readers see changed: the response cache keeps its answers
    assert (await ContentVersion.first()).version == before  # type: ignore[union-attr]

    preview = await env.preview(article)
    assert (preview["lead"], preview["body"]) == ("Ny ingress", "<p>Etter</p>")
    assert preview["translations"][0]["hasPendingChanges"] is True

    again = await env.write(UPDATE, draft(article, 2, title="Prisen til Træna kommune"))
    assert again["errors"] == [] and again["article"]["version"] == 3
    stale = await env.write(UPDATE, draft(article, 2, title="Noe annet"))
    assert [e["code"] for e in stale["errors"]] == ["CONFLICT"]

    revisions = (await env.call(REVISIONS, {"id": article}))["article"]["revisions"]
    assert [(r["version"], r["pending"]) for r in revisions] == [(3, True), (2, True), (1, False)]

    published = await env.write(PUBLISH, {"id": article, "l": "nb", "at": None})
    assert published["errors"] == []
    reader = await env.reader(article)
    assert (reader["title"], reader["lead"], reader["version"]) == (
        "Prisen til Træna kommune",
        "Ny ingress",
        3,
    )
    assert (await env.preview(article))["hasPendingChanges"] is False
    assert (await ContentVersion.first()).version > before  # type: ignore[union-attr]


async def test_discarding_drops_the_changes_and_a_second_discard_is_not_found(env: Env) -> None:
    article = await env.live_article("Forkastet endring")
    await env.write(UPDATE, draft(article, 1, body="<p>Vent</p>"))
    dropped = await env.write(DISCARD, {"id": article, "l": "nb"})
    assert dropped["errors"] == []
    assert dropped["article"]["body"] == "<p>Før</p>"
    assert dropped["article"]["hasPendingChanges"] is False
    again = await env.write(DISCARD, {"id": article, "l": "nb"})
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("NOT_FOUND", "locale")]
    # the next pending change starts over from the live text
    fresh = await env.write(UPDATE, draft(article, 1, lead="Ny"))
    assert fresh["errors"] == [] and fresh["article"]["body"] == "<p>Før</p>"


async def test_pending_changes_made_on_an_old_live_version_are_a_conflict(env: Env) -> None:
    article = await env.live_article("To redaktører")
    await env.write(UPDATE, draft(article, 1, body="<p>Venter</p>"))
    live = await env.write(
        UPDATE, {"i": {"id": article, "locale": "nb", "expectedVersion": 1, "title": "Rettet"}}
    )
    assert live["errors"] == []
    assert (await env.reader(article))["version"] == 3  # numbered after the pending version 2
    refused = await env.write(PUBLISH, {"id": article, "l": "nb", "at": None})
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("CONFLICT", "draft")]
    reader = await env.reader(article)
    assert (reader["title"], reader["body"]) == ("Rettet", "<p>Før</p>")  # nothing applied


async def test_a_translators_change_to_a_published_translation_waits_for_an_editor(
    env: Env,
) -> None:
    article = await env.live_article("Kommunar i finalen")
    made = await env.write(
        TRANSLATE,
        {"i": {"id": article, "locale": "nn", "title": "Kommunar i finalen", "body": "<p>Ja</p>"}},
        role="translator",
    )
    assert made["errors"] == []
    assert (await env.write(PUBLISH, {"id": article, "l": "nn", "at": None}))["errors"] == []
    changed = await env.write(
        TRANSLATE,
        {
            "i": {
                "id": article,
                "locale": "nn",
                "title": "Kommunane i finalen",
                "body": "<p>Dei er med.</p>",
                "expectedVersion": 1,
            }
        },
        role="translator",
    )
    assert changed["errors"] == []
    assert (await env.reader(article, "nn"))["title"] == "Kommunar i finalen"
    assert (await env.preview(article, "nn"))["title"] == "Kommunane i finalen"
    await env.write(PUBLISH, {"id": article, "l": "nn", "at": None})
    assert (await env.reader(article, "nn"))["body"] == "<p>Dei er med.</p>"


async def test_scheduled_pending_changes_go_live_at_their_time(env: Env) -> None:
    article = await env.live_article("Planlagt endring")
    await env.write(UPDATE, draft(article, 1, lead="Fra i morgen"))
    at = (env.clock.now + timedelta(hours=2)).isoformat()
    scheduled = await env.write(PUBLISH, {"id": article, "l": "nb", "at": at})
    assert scheduled["errors"] == []
    assert (await env.reader(article))["lead"] == "Gammel ingress"
    env.clock.advance(hours=3)
    for _ in range(100):  # the background job runs every 0.05 s
        if (await env.reader(article))["lead"] == "Fra i morgen":
            break
        await asyncio.sleep(0.05)
    assert (await env.reader(article))["lead"] == "Fra i morgen"
    assert (await env.preview(article))["hasPendingChanges"] is False


async def test_a_draft_flag_on_a_draft_translation_is_a_plain_save(env: Env) -> None:
    made = await env.write(CREATE, {"i": {"locale": "nb", "title": "Utkast", "body": "<p>A</p>"}})
    article = made["article"]["id"]
    saved = await env.write(UPDATE, draft(article, 1, body="<p>B</p>"))
    assert saved["errors"] == []
    assert (saved["article"]["body"], saved["article"]["hasPendingChanges"]) == ("<p>B</p>", False)


async def test_a_translator_may_not_discard_in_another_locale(env: Env) -> None:
    article = await env.live_article("Låst bokmål")
    await env.write(UPDATE, draft(article, 1, body="<p>Vent</p>"))
    body = await gql(
        env.client, DISCARD, {"id": article, "l": "nb"}, headers=bearer(env.tokens["translator"])
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await env.preview(article))["hasPendingChanges"] is True


LIST = """query($l: String, $f: ArticleFilter, $first: Int, $after: String) {
  articles(locale: $l, filter: $f, first: $first, after: $after) { totalCount
  edges { cursor node { id title hasPendingChanges translations { locale status } } }
  pageInfo { hasNextPage endCursor } } }"""


async def test_editor_lists_find_drafts_pending_changes_authors_and_words(env: Env) -> None:
    draft_made = await env.write(
        CREATE, {"i": {"locale": "nb", "title": "Liste utkast Sølvsberget", "body": "<p>x</p>"}}
    )
    drafted = draft_made["article"]["id"]
    waiting = await env.live_article("Liste venter Sølvsberget")
    await env.write(UPDATE, draft(waiting, 1, title="Liste venter Sølvsberget (ny)"))

    async def listed(flt: dict[str, Any], role: str = "editor", **more: Any) -> dict[str, Any]:
        data = await env.call(LIST, {"l": "nb", "f": flt, **more}, role=role)
        return dict(data["articles"])

    drafts = await listed({"status": ["DRAFT"], "search": "sølvsberget"})
    assert [e["node"]["id"] for e in drafts["edges"]] == [drafted]
    assert drafts["totalCount"] == 1
    pending = await listed({"hasPendingChanges": True, "search": "Sølvsberget"})
    assert [e["node"]["title"] for e in pending["edges"]] == ["Liste venter Sølvsberget (ny)"]
    assert pending["edges"][0]["node"]["hasPendingChanges"] is True
    both = await listed({"search": "liste sølvsberget"})
    assert {e["node"]["id"] for e in both["edges"]} == {drafted, waiting}
    # paging: one at a time, newest change first, then the next page
    first = await listed({"search": "liste sølvsberget"}, first=1)
    assert first["pageInfo"]["hasNextPage"] is True
    second = await listed(
        {"search": "liste sølvsberget"}, first=1, after=first["pageInfo"]["endCursor"]
    )
    assert [e["node"]["id"] for e in first["edges"] + second["edges"]] == [waiting, drafted]
    assert second["pageInfo"]["hasNextPage"] is False
    by_editor = await listed({"author": "test editor", "search": "sølvsberget"})
    assert by_editor["totalCount"] == 2
    assert (await listed({"author": "nobody", "search": "sølvsberget"}))["totalCount"] == 0
    # the translator (nn) lists nn, not nb
    refused = await gql(
        env.client,
        LIST,
        {"l": "nb", "f": {"status": ["DRAFT"]}},
        headers=bearer(env.tokens["translator"]),
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_editor_list_filters_are_forbidden_to_anonymous_callers(env: Env) -> None:
    for flt in ({"status": ["DRAFT"]}, {"hasPendingChanges": True}, {"search": "x"}):
        body = await gql(env.client, LIST, {"l": "nb", "f": flt})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", flt
        assert body["data"] is None
    too_many = await gql(
        env.client,
        LIST,
        {"f": {"status": ["DRAFT"]}, "first": 101},
        headers=bearer(env.tokens["editor"]),
    )
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_deleted_articles_are_listed_only_when_asked_for(env: Env) -> None:
    article = await env.live_article("Slettet Kvitfjell")
    delete = """mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }"""
    assert (await env.write(delete, {"id": article}))["errors"] == []
    flt: dict[str, Any] = {"search": "kvitfjell"}
    assert (await env.call(LIST, {"l": "nb", "f": flt}))["articles"]["totalCount"] == 0
    deleted = (await env.call(LIST, {"l": "nb", "f": {**flt, "status": ["DELETED"]}}))["articles"]
    assert [e["node"]["id"] for e in deleted["edges"]] == [article]
