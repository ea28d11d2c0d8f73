"""Editors and translators: tokens, drafts, publishing, concurrency, revisions, validation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest

from contentapi.articles.models import ArticleTranslation
from contentapi.auth.models import ApiToken
from contentapi.auth.tokens import revoke_token
from contentapi.events.models import WebhookDelivery
from contentapi.graphql.relay import from_global_id, to_global_id
from contentapi.media.models import Image
from tests.conftest import (
    FakeClock,
    bearer,
    error_codes,
    gql,
    make_settings,
    make_tokens,
    running_app,
)

ARTICLE = """id locale isFallback title slug lead body version updatedAt publishedAt
  translations { locale slug status outdated }"""
CREATE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
TRANSLATE = f"""mutation($input: TranslateArticleInput!) {{ translateArticle(input: $input) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
PUBLISH = f"""mutation($id: ID!, $locale: String!, $at: DateTime) {{
  publishArticle(id: $id, locale: $locale, at: $at) {{
  article {{ {ARTICLE} }} errors {{ field code message }} }} }}"""
UNPUBLISH = """mutation($id: ID!, $locale: String!) { unpublishArticle(id: $id, locale: $locale) {
  article { id } errors { code } } }"""
READ = """query($id: ID!, $locale: String, $preview: Boolean) {
  article(id: $id, locale: $locale, preview: $preview) { title locale isFallback version
  translations { locale status outdated } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    clock: FakeClock

    async def call(
        self, query: str, variables: dict[str, Any], role: str | None = "editor", **headers: str
    ) -> dict[str, Any]:
        auth = bearer(self.tokens[role], **headers) if role else headers
        return await gql(self.client, query, variables, headers=auth)

    async def create(self, title: str = "Ny sak", locale: str = "nb", **extra: Any) -> dict:
        body = await self.call(
            CREATE, {"input": {"locale": locale, "title": title, "body": "<p>Tekst</p>", **extra}}
        )
        payload = body["data"]["createArticle"]
        assert payload["errors"] == [], payload
        return dict(payload["article"])


@pytest.fixture(scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    clock = FakeClock()
    settings = (await make_settings(tmp_path_factory.mktemp("editors"))).with_changes(
        # nobody listens there: the deliveries stay in the outbox, where tests read them
        webhook_urls=("http://127.0.0.1:9/hooks",),
        webhook_secret="s",
        worker_interval_seconds=0.05,
    )
    async with running_app(settings, clock=clock) as client:
        yield Env(client, await make_tokens(), clock)


async def test_no_token_malformed_unknown_or_revoked(env: Env) -> None:
    variables = {"input": {"locale": "nb", "title": "x", "body": "y"}}
    body = await gql(env.client, CREATE, variables)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    for header in ("Token abc", "Bearer", "Bearer a b", "Bearer cat_unknown"):
        body = await gql(env.client, CREATE, variables, headers={"Authorization": header})
        assert error_codes(body) == ["UNAUTHENTICATED"], header
    row = await ApiToken.get(name="test admin")
    assert await revoke_token(row.id)
    body = await env.call(CREATE, variables, role="admin")
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await ArticleTranslation.filter(title="x").count() == 0  # nothing was written


async def test_roles_and_translator_locales(env: Env) -> None:
    variables = {"input": {"locale": "nb", "title": "Moderert", "body": "y"}}
    body = await env.call(CREATE, variables, role="moderator")
    assert error_codes(body) == ["FORBIDDEN"]
    article = await env.create("Kilde for omsetjing")
    # the nn translator may translate into nn ...
    body = await env.call(
        TRANSLATE,
        {"input": {"id": article["id"], "locale": "nn", "title": "Kjelde", "body": "<p>t</p>"}},
        role="translator",
    )
    assert body["data"]["translateArticle"]["errors"] == []
    # ... but not touch nb, and not publish
    body = await env.call(
        UPDATE,
        {"input": {"id": article["id"], "locale": "nb-NO", "expectedVersion": 1, "title": "x"}},
        role="translator",
    )
    assert error_codes(body) == ["FORBIDDEN"]
    body = await env.call(PUBLISH, {"id": article["id"], "locale": "nn"}, role="translator")
    assert error_codes(body) == ["FORBIDDEN"]


async def test_draft_is_invisible_until_published(env: Env) -> None:
    article = await env.create("Utkast om Træna", slug=None)
    assert article["slug"] == "utkast-om-traena"
    assert article["translations"] == [
        {"locale": "nb", "slug": "utkast-om-traena", "status": "DRAFT", "outdated": False}
    ]
    anonymous = await gql(env.client, READ, {"id": article["id"]})
    assert anonymous == {"data": {"article": None}}
    by_slug = await gql(env.client, '{ article(slug: "utkast-om-traena") { id } }')
    assert by_slug == {"data": {"article": None}}
    listed = await gql(env.client, "{ articles(first: 100) { edges { node { id } } } }")
    assert article["id"] not in str(listed)
    preview = await env.call(READ, {"id": article["id"], "preview": True})
    assert preview["data"]["article"]["title"] == "Utkast om Træna"
    body = await gql(env.client, READ, {"id": article["id"], "preview": True})
    assert error_codes(body) == ["UNAUTHENTICATED"]
    published = await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    assert published["data"]["publishArticle"]["errors"] == []
    anonymous = await gql(env.client, READ, {"id": article["id"], "locale": "nn"})
    assert anonymous["data"]["article"]["title"] == "Utkast om Træna"
    assert anonymous["data"]["article"]["isFallback"] is True
    unpublished = await env.call(UNPUBLISH, {"id": article["id"], "locale": "nb"})
    assert unpublished["data"]["unpublishArticle"]["errors"] == []
    assert (await gql(env.client, READ, {"id": article["id"]}))["data"]["article"] is None


async def test_delete_and_restore(env: Env) -> None:
    article = await env.create("Slettes")
    await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    deleted = await env.call(
        "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }", {"id": article["id"]}
    )
    assert deleted["data"]["deleteArticle"]["errors"] == []
    assert (await gql(env.client, READ, {"id": article["id"]}))["data"]["article"] is None
    again = await env.call(
        "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }", {"id": article["id"]}
    )
    assert again["data"]["deleteArticle"]["errors"] == [{"code": "NOT_FOUND"}]
    restored = await env.call(
        "mutation($id: ID!) { restoreArticle(id: $id) { article { title } errors { code } } }",
        {"id": article["id"]},
    )
    assert restored["data"]["restoreArticle"]["article"]["title"] == "Slettes"
    assert (await gql(env.client, READ, {"id": article["id"]}))["data"]["article"]["title"] == (
        "Slettes"
    )


async def test_stale_version_is_a_conflict_and_changes_nothing(env: Env) -> None:
    article = await env.create("Versjon")
    first = await env.call(
        UPDATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nb",
                "expectedVersion": 1,
                "title": "Versjon to",
            }
        },
    )
    assert first["data"]["updateArticle"]["article"]["version"] == 2
    stale = await env.call(
        UPDATE,
        {"input": {"id": article["id"], "locale": "nb", "expectedVersion": 1, "title": "Gammel"}},
        **{"Accept-Language": "nn"},
    )
    payload = stale["data"]["updateArticle"]
    assert payload["errors"][0]["code"] == "CONFLICT"
    assert "Gjeldande versjon er 2" in payload["errors"][0]["message"]
    assert payload["article"]["title"] == "Versjon to" and payload["article"]["version"] == 2


async def test_concurrent_updates_exactly_one_wins(env: Env) -> None:
    article = await env.create("Samtidig")
    results = await asyncio.gather(
        *(
            env.call(
                UPDATE,
                {
                    "input": {
                        "id": article["id"],
                        "locale": "nb",
                        "expectedVersion": 1,
                        "title": f"Skribent {i}",
                    }
                },
            )
            for i in range(8)
        )
    )
    codes = [r["data"]["updateArticle"]["errors"] for r in results]
    winners = [i for i, errors in enumerate(codes) if errors == []]
    assert len(winners) == 1, codes
    assert all(e[0]["code"] == "CONFLICT" for i, e in enumerate(codes) if i not in winners)
    row = await ArticleTranslation.get(title=f"Skribent {winners[0]}")
    assert row.version == 2


async def test_minor_edit_keeps_updated_at(env: Env) -> None:
    article = await env.create("Skrivefeil")
    env.clock.advance(hours=1)
    minor = await env.call(
        UPDATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nb",
                "expectedVersion": 1,
                "body": "<p>Tekst, retta</p>",
                "minorEdit": True,
            }
        },
    )
    assert minor["data"]["updateArticle"]["article"]["updatedAt"] == article["updatedAt"]
    env.clock.advance(hours=1)
    real = await env.call(
        UPDATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nb",
                "expectedVersion": 2,
                "body": "<p>Ny tekst</p>",
            }
        },
    )
    assert real["data"]["updateArticle"]["article"]["updatedAt"] != article["updatedAt"]


async def test_revisions_and_revert(env: Env) -> None:
    article = await env.create("Første")
    await env.call(
        UPDATE,
        {"input": {"id": article["id"], "locale": "nb", "expectedVersion": 1, "title": "Andre"}},
    )
    query = """query($id: ID!) { article(id: $id, preview: true) {
      revisions(locale: "nb") { number version title action author } } }"""
    revisions = (await env.call(query, {"id": article["id"]}))["data"]["article"]["revisions"]
    assert [(r["number"], r["title"], r["action"]) for r in revisions] == [
        (2, "Andre", "update"),
        (1, "Første", "create"),
    ]
    assert revisions[0]["author"] == "test editor"
    reverted = await env.call(
        """mutation($id: ID!) { revertArticle(id: $id, locale: "nb", revision: 1,
           expectedVersion: 2) { article { title version } errors { code } } }""",
        {"id": article["id"]},
    )
    assert reverted["data"]["revertArticle"]["article"] == {"title": "Første", "version": 3}
    revisions = (await env.call(query, {"id": article["id"]}))["data"]["article"]["revisions"]
    assert revisions[0]["action"] == "revert" and len(revisions) == 3
    await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    hidden = await gql(
        env.client,
        """query($id: ID!) { article(id: $id) {
      revisions { number } } }""",
        {"id": article["id"]},
    )
    assert error_codes(hidden) == ["UNAUTHENTICATED"]


async def test_translation_tracks_its_source(env: Env) -> None:
    article = await env.create("Kjelde på bokmål")
    translated = await env.call(
        TRANSLATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nn",
                "title": "Kjelde på nynorsk",
                "body": "<p>Tekst</p>",
            }
        },
    )
    nn = translated["data"]["translateArticle"]["article"]
    assert nn["locale"] == "nn"
    assert {t["locale"]: t["outdated"] for t in nn["translations"]} == {"nb": False, "nn": False}
    await env.call(
        UPDATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nb",
                "expectedVersion": 1,
                "lead": "Ny ingress",
            }
        },
    )
    again = await env.call(READ, {"id": article["id"], "preview": True, "locale": "nn"})
    outdated = {t["locale"]: t["outdated"] for t in again["data"]["article"]["translations"]}
    assert outdated == {"nb": False, "nn": True}
    exists = await env.call(
        TRANSLATE,
        {"input": {"id": article["id"], "locale": "nn", "title": "x", "body": "y"}},
    )
    assert exists["data"]["translateArticle"]["errors"][0]["code"] == "ALREADY_EXISTS"
    redone = await env.call(
        TRANSLATE,
        {
            "input": {
                "id": article["id"],
                "locale": "nn",
                "title": "Kjelde på nynorsk",
                "body": "<p>Tekst med ny ingress</p>",
                "expectedVersion": 1,
            }
        },
    )
    final = redone["data"]["translateArticle"]["article"]["translations"]
    assert {t["locale"]: t["outdated"] for t in final} == {"nb": False, "nn": False}


async def test_validation_errors_are_data_in_the_callers_language(env: Env) -> None:
    body = await env.call(
        CREATE, {"input": {"locale": "nn", "title": "  ", "body": "x"}}, **{"Accept-Language": "nn"}
    )
    errors = body["data"]["createArticle"]["errors"]
    assert errors == [{"field": "title", "code": "REQUIRED", "message": "Feltet må fyllast ut."}]
    body = await env.call(
        CREATE,
        {"input": {"locale": "nb", "title": "x" * 301, "body": "x", "slug": "Ikke gyldig"}},
        **{"Accept-Language": "nb"},
    )
    codes = {e["field"]: e["code"] for e in body["data"]["createArticle"]["errors"]}
    assert codes == {"title": "TOO_LONG", "slug": "INVALID_SLUG"}
    await env.create("Unik", slug="unik-adresse")
    body = await env.call(
        CREATE, {"input": {"locale": "nb", "title": "Annen", "body": "x", "slug": "unik-adresse"}}
    )
    assert body["data"]["createArticle"]["errors"][0]["code"] == "SLUG_TAKEN"
    # the same slug in another locale is fine
    other = await env.create("Unik nynorsk", locale="nn", slug="unik-adresse")
    assert other["slug"] == "unik-adresse"
    # a generated slug steps aside
    second = await env.create("Unik adresse")
    assert second["slug"] == "unik-adresse-2"


async def test_html_is_stored_clean(env: Env) -> None:
    dirty = (
        '<p onclick="x()">Hei <script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">lenke</a> <a href="https://example.org">trygg</a>'
        '<q cite="javascript:alert(4)">sitat</q></p>'
    )
    article = await env.create("Skitten HTML", body=dirty)
    row = await ArticleTranslation.get(slug="skitten-html", locale="nb")
    for bad in ("<script", "onerror", "onclick", "javascript:", "<img", "alert(1)", "cite="):
        assert bad not in row.body and bad not in article["body"]
    assert 'href="https://example.org"' in row.body


async def test_publish_needs_title_and_body(env: Env) -> None:
    article = await env.create("Tom", body="<script>bare skript</script>")
    body = await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    errors = body["data"]["publishArticle"]["errors"]
    assert errors[0]["code"] == "MISSING_CONTENT" and errors[0]["field"] == "body"


async def test_scheduled_publishing_follows_the_clock(env: Env) -> None:
    article = await env.create("Planlagt")
    at = (env.clock.now + timedelta(hours=12)).isoformat()
    body = await env.call(PUBLISH, {"id": article["id"], "locale": "nb", "at": at})
    payload = body["data"]["publishArticle"]["article"]
    assert payload["translations"][0]["status"] == "SCHEDULED"
    assert (await gql(env.client, READ, {"id": article["id"]}))["data"]["article"] is None
    env.clock.advance(hours=12, seconds=1)
    seen = await gql(env.client, READ, {"id": article["id"]})
    assert seen["data"]["article"]["title"] == "Planlagt"
    assert seen["data"]["article"]["translations"][0]["status"] == "PUBLISHED"


async def test_unparseable_publish_time(env: Env) -> None:
    article = await env.create("Dato")
    for at in ("i morgon tidleg", "2026-13-40T25:00:00+02:00", "2026-06-08T10:00:00"):
        body = await env.call(PUBLISH, {"id": article["id"], "locale": "nb", "at": at})
        if "errors" in body:
            assert error_codes(body) == ["BAD_REQUEST"], at
        else:
            assert body["data"]["publishArticle"]["errors"][0]["code"] == "BAD_REQUEST", at
    row = await ArticleTranslation.get(article_id=from_global_id(article["id"])[1], locale="nb")
    assert row.status == "DRAFT"


async def test_mutation_over_get_is_refused(env: Env) -> None:
    response = await env.client.get(
        "/graphql",
        params={
            "query": 'mutation { createArticle(input: {locale: "nb", title: "GET", '
            'body: "x"}) { errors { code } } }'
        },
        headers=bearer(env.tokens["editor"]),
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_REQUEST"]
    assert await ArticleTranslation.filter(title="GET").count() == 0


async def test_oversized_body_is_refused_unread(env: Env) -> None:
    # a valid request (the padding is an unused variable) that only the size limit stops
    response = await env.client.post(
        "/graphql",
        json={
            "query": CREATE,
            "variables": {
                "input": {"locale": "nb", "title": "Stor", "body": "<p>kort</p>"},
                "padding": "x" * 1_100_000,
            },
        },
        headers=bearer(env.tokens["editor"]),
    )
    assert response.status_code == 413
    assert error_codes(response.json()) == ["BAD_REQUEST"]
    assert await ArticleTranslation.filter(title="Stor").count() == 0


async def test_attach_media(env: Env) -> None:
    article = await env.create("Med bilde")
    first = await Image.create(
        file="aa/" + "a" * 64 + ".jpg", width=800, height=600, credit="Foto: Difi"
    )
    second = await Image.create(file="bb/" + "b" * 64 + ".jpg", width=800, height=600)
    attach = """mutation($a: ID!, $m: ID!, $role: MediaRole!) {
      attachMedia(articleId: $a, mediaId: $m, role: $role) {
        article { leadImage { credit } images { credit } } errors { code } } }"""
    body = await env.call(
        attach, {"a": article["id"], "m": to_global_id("Image", first.id), "role": "LEAD"}
    )
    assert body["data"]["attachMedia"]["article"]["leadImage"] == {"credit": "Foto: Difi"}
    body = await env.call(
        attach, {"a": article["id"], "m": to_global_id("Image", second.id), "role": "LEAD"}
    )
    result = body["data"]["attachMedia"]["article"]
    assert result["leadImage"] == {"credit": None}
    assert len(result["images"]) == 2  # the old lead stays, now inline
    body = await env.call(
        attach, {"a": article["id"], "m": to_global_id("Image", 999999), "role": "INLINE"}
    )
    assert body["data"]["attachMedia"]["errors"] == [{"code": "NOT_FOUND"}]


async def test_oversized_chunked_body_is_refused(env: Env) -> None:
    head = orjson.dumps(
        {
            "query": CREATE,
            "variables": {"input": {"locale": "nb", "title": "Bit", "body": "<p>kort</p>"}},
        }
    )[:-2]  # without the closing "}}": the padding variable follows in pieces

    async def chunks() -> AsyncIterator[bytes]:
        yield head + b', "padding": "'
        for _ in range(200):
            yield b"x" * 10_000  # no Content-Length: the limit counts what arrives
        yield b'"}}'

    response = await env.client.post(
        "/graphql",
        content=chunks(),
        headers={**bearer(env.tokens["editor"]), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert error_codes(response.json()) == ["BAD_REQUEST"]
    assert await ArticleTranslation.filter(title="Bit").count() == 0


async def test_promotion_flips_status_and_announces_once(env: Env) -> None:
    article = await env.create("Kjem i morgon")
    at = (env.clock.now + timedelta(hours=8)).isoformat()
    await env.call(PUBLISH, {"id": article["id"], "locale": "nb", "at": at})
    pk = from_global_id(article["id"])[1]
    await asyncio.sleep(0.3)  # several worker rounds: nothing is due yet
    assert (await ArticleTranslation.get(article_id=pk)).status == "SCHEDULED"
    env.clock.advance(hours=8, seconds=1)
    for _ in range(100):
        if (await ArticleTranslation.get(article_id=pk)).status == "PUBLISHED":
            break
        await asyncio.sleep(0.05)
    assert (await ArticleTranslation.get(article_id=pk)).status == "PUBLISHED"
    await asyncio.sleep(0.2)
    announced = await WebhookDelivery.filter(payload__contains='"slug":"kjem-i-morgon"')
    assert [d.event for d in announced] == ["article.published"]


async def test_deleted_or_unpublished_schedules_are_never_announced(env: Env) -> None:
    for title, cancel in (("Slett planen", "delete"), ("Trekk planen", "unpublish")):
        article = await env.create(title)
        at = (env.clock.now + timedelta(hours=1)).isoformat()
        await env.call(PUBLISH, {"id": article["id"], "locale": "nb", "at": at})
        if cancel == "delete":
            await env.call(
                "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }",
                {"id": article["id"]},
            )
        else:
            await env.call(UNPUBLISH, {"id": article["id"], "locale": "nb"})
        env.clock.advance(hours=1, seconds=1)
        await asyncio.sleep(0.3)
        slug = article["slug"]
        assert not await WebhookDelivery.filter(payload__contains=f'"slug":"{slug}"').exists()
        assert (await gql(env.client, READ, {"id": article["id"]}))["data"]["article"] is None


async def test_deleting_a_published_article_is_announced(env: Env) -> None:
    article = await env.create("Ut med den")
    await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    await env.call(
        "mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }", {"id": article["id"]}
    )
    events = [
        d.event
        for d in await WebhookDelivery.filter(payload__contains='"slug":"ut-med-den"').order_by(
            "id"
        )
    ]
    assert events == ["article.published", "article.unpublished"]


async def test_translators_may_not_update_or_revert(env: Env) -> None:
    article = await env.create("Berre redaktørar")
    body = await env.call(
        UPDATE,
        {"input": {"id": article["id"], "locale": "nn", "expectedVersion": 1, "title": "x"}},
        role="translator",
    )
    assert error_codes(body) == ["FORBIDDEN"]
    body = await env.call(
        """mutation($id: ID!) { revertArticle(id: $id, locale: "nn", revision: 1,
           expectedVersion: 1) { errors { code } } }""",
        {"id": article["id"]},
        role="translator",
    )
    assert error_codes(body) == ["FORBIDDEN"]


async def test_odd_text_and_times_are_refused(env: Env) -> None:
    body = await env.call(CREATE, {"input": {"locale": "nb", "title": "Null\x00byte", "body": "x"}})
    assert body["data"]["createArticle"]["errors"][0]["code"] == "INVALID_TEXT"
    tags = [f"t{i}" for i in range(51)]
    body = await env.call(
        CREATE, {"input": {"locale": "nb", "title": "Tags", "body": "x", "tags": tags}}
    )
    assert body["data"]["createArticle"]["errors"][0]["code"] == "TOO_MANY_TAGS"
    article = await env.create("Tidleg")
    for at in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        body = await env.call(PUBLISH, {"id": article["id"], "locale": "nb", "at": at})
        assert body["data"]["publishArticle"]["errors"][0]["code"] == "BAD_REQUEST", at


async def test_no_op_update_and_emptying_a_live_translation(env: Env) -> None:
    article = await env.create("Stø")
    same = await env.call(
        UPDATE,
        {"input": {"id": article["id"], "locale": "nb", "expectedVersion": 1, "title": "Stø"}},
    )
    assert same["data"]["updateArticle"]["article"]["version"] == 1  # nothing changed
    await env.call(PUBLISH, {"id": article["id"], "locale": "nb"})
    emptied = await env.call(
        UPDATE, {"input": {"id": article["id"], "locale": "nb", "expectedVersion": 1, "body": "  "}}
    )
    assert emptied["data"]["updateArticle"]["errors"][0]["code"] == "MISSING_CONTENT"


async def test_same_title_at_once_gets_distinct_slugs(env: Env) -> None:
    results = await asyncio.gather(
        *(
            env.call(CREATE, {"input": {"locale": "nb", "title": "Samme tittel", "body": "x"}})
            for _ in range(5)
        )
    )
    assert all(r["data"]["createArticle"]["article"] for r in results), results
    slugs = sorted(r["data"]["createArticle"]["article"]["slug"] for r in results)
    assert slugs == ["samme-tittel", *(f"samme-tittel-{n}" for n in range(2, 6))]
