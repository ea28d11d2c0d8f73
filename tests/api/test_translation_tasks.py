"""``translationStatus(locale).tasks``: the articles needing work as a Relay connection.

Articles are made through the API: some only in Bokmål (missing in Nynorsk), one whose
Bokmål changed after its Nynorsk translation (outdated), one written in Nynorsk only
(missing in Bokmål, translated from Nynorsk), and deleted ones, which never count.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from contentapi.graphql.relay import encode_cursor, from_global_id
from tests.conftest import (
    TEST_DATABASE_URL,
    QueryCounter,
    bearer,
    error_codes,
    gql,
    make_settings,
    make_tokens,
    postgres_database_url,
    running_app,
)

STATUS = """query($l: String!, $first: Int, $after: String, $state: TranslationWorkState) {
  translationStatus(locale: $l) { locale
    counts { kind missing outdated upToDate }
    tasks(first: $first, after: $after, state: $state) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { articleId state sourceLocale sourceTitle } } } } }"""
CREATE = """mutation($i: CreateArticleInput!) { createArticle(input: $i) {
  article { id } errors { code } } }"""
TRANSLATE = """mutation($i: TranslateArticleInput!) { translateArticle(input: $i) {
  article { id } errors { code } } }"""
UPDATE = """mutation($i: UpdateArticleInput!) { updateArticle(input: $i) {
  article { id } errors { code } } }"""


@dataclass
class Env:
    client: httpx.AsyncClient
    tokens: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)  # article name -> global id

    async def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = await gql(self.client, query, variables, headers=bearer(self.tokens["editor"]))
        assert "errors" not in body, body
        data = next(iter(body["data"].values()))
        assert data["errors"] == [], data
        return dict(data)

    async def status(self, locale: str, role: str = "translator", **args: Any) -> dict[str, Any]:
        body = await gql(
            self.client, STATUS, {"l": locale, **args}, headers=bearer(self.tokens[role])
        )
        assert "errors" not in body, body
        return dict(body["data"]["translationStatus"])

    async def tasks(self, locale: str, page_size: int, **args: Any) -> list[tuple[str, ...]]:
        """Every task on all pages, as (article name, state, source locale, source title)."""
        # ids name a locale (the task's, the article's as made): compare the articles
        names = {from_global_id(global_id)[1]: name for name, global_id in self.ids.items()}
        found: list[tuple[str, ...]] = []
        after = None
        while True:
            page = (await self.status(locale, first=page_size, after=after, **args))["tasks"]
            assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
            for edge in page["edges"]:
                node = edge["node"]
                source = (node["sourceLocale"], node["sourceTitle"])
                found.append((names[from_global_id(node["articleId"])[1]], node["state"], *source))
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    async def create(self, name: str, locale: str = "nb") -> str:
        made = await self.call(
            CREATE, {"i": {"locale": locale, "title": title(name, locale), "body": "<p>x</p>"}}
        )
        self.ids[name] = made["article"]["id"]
        return self.ids[name]

    async def translate(self, name: str, expected: int | None = None) -> None:
        given = {"id": self.ids[name], "locale": "nn", "title": title(name, "nn")}
        await self.call(
            TRANSLATE,
            {"i": {**given, "body": "<p>x</p>", "sourceLocale": "nb", "expectedVersion": expected}},
        )


def title(name: str, locale: str) -> str:
    return f"{'Sak' if locale == 'nb' else 'Saka'} {name}"


# in article id order; B2's Bokmål changed after its Nynorsk translation
ORDER = ["A1", "B2", "A2", "B1", "A3", "C1", "D1", "A4", "A5", "A6", "A7", "A8", "D2"]
NN_TASKS = [
    ("A1", "MISSING", "nb", "Sak A1"),
    ("B2", "OUTDATED", "nb", "Sak B2, retta"),
    ("A2", "MISSING", "nb", "Sak A2"),
    *[(f"A{n}", "MISSING", "nb", f"Sak A{n}") for n in range(3, 9)],
]


async def seed(env: Env) -> None:
    for name in ORDER:
        await env.create(name, "nn" if name == "C1" else "nb")
        if name in ("B1", "B2", "D2"):
            await env.translate(name)
        if name in ("B2", "D2"):
            changed = {"locale": "nb", "expectedVersion": 1, "title": f"Sak {name}, retta"}
            await env.call(UPDATE, {"i": {"id": env.ids[name], **changed}})
    for name in ("D1", "D2"):
        await env.call(
            "mutation($a: ID!) { deleteArticle(id: $a) { errors { code } } }",
            {"a": env.ids[name]},
        )


@pytest.fixture(scope="module", params=["suite", "postgresql"])
async def env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    """The articles on the suite's database, then on PostgreSQL."""
    settings: dict[str, Any] = {}
    if request.param == "postgresql":
        if TEST_DATABASE_URL:
            pytest.skip("the suite runs on PostgreSQL already")
        settings["database_url"] = await postgres_database_url()
    folder = tmp_path_factory.mktemp("translation-tasks")
    async with running_app(await make_settings(folder, **settings)) as client:
        found = Env(client, await make_tokens())
        await seed(found)
        yield found


def article_counts(status: dict[str, Any]) -> dict[str, int]:
    counts = next(c for c in status["counts"] if c["kind"] == "ARTICLE")
    return {k: counts[k] for k in ("missing", "outdated", "upToDate")}


async def test_tasks_page_in_article_order_and_deleted_articles_never_count(env: Env) -> None:
    for size in (1, 2, 4, 100):
        assert await env.tasks("nn", size) == NN_TASKS
    assert await env.tasks("nb", 2) == [("C1", "MISSING", "nn", "Saka C1")]
    status = await env.status("nn", first=2)
    assert status["tasks"]["totalCount"] == len(NN_TASKS)
    assert len(status["tasks"]["edges"]) == 2 and status["tasks"]["pageInfo"]["hasNextPage"]
    # eleven live articles: A1-A8 missing, B2 outdated, B1 and C1 up to date
    assert article_counts(status) == {"missing": 8, "outdated": 1, "upToDate": 2}
    assert article_counts(await env.status("nb")) == {"missing": 1, "outdated": 0, "upToDate": 10}
    assert {c["kind"] for c in status["counts"]} == {"ARTICLE", "IMAGE", "VIDEO", "TAG"}
    assert (await env.status("nn", first=0))["tasks"]["edges"] == []


async def test_filter_by_state(env: Env) -> None:
    assert await env.tasks("nn", 3, state="OUTDATED") == [NN_TASKS[1]]
    assert await env.tasks("nn", 3, state="MISSING") == [NN_TASKS[0], *NN_TASKS[2:]]
    missing = await env.status("nn", state="MISSING", first=1)
    assert missing["tasks"]["totalCount"] == 8
    assert (await env.status("nb", state="OUTDATED"))["tasks"]["totalCount"] == 0


async def test_bad_arguments_are_coded_errors(env: Env) -> None:
    async def codes(role: str | None = "translator", **variables: Any) -> list[str]:
        headers = bearer(env.tokens[role]) if role else None
        return error_codes(await gql(env.client, STATUS, {"l": "nn", **variables}, headers))

    assert await codes(role=None) == ["UNAUTHENTICATED"]
    assert await codes(role="moderator") == ["FORBIDDEN"]
    assert await codes(first=101) == ["BAD_REQUEST"]
    assert await codes(first=-1) == ["BAD_REQUEST"]
    assert await codes(after="nonsense") == ["BAD_REQUEST"]
    for values in ([0], ["12"], [2**40], [True], [1, 2]):
        assert await codes(after=encode_cursor("task", values)) == ["BAD_REQUEST"], values
    media_cursor = encode_cursor("media", ["2024-03-01T12:00:00+00:00", 3, "IMAGE"])
    assert await codes(after=media_cursor) == ["BAD_REQUEST"]
    assert await codes(after="x" * 301) == ["TOO_LONG"]
    assert await codes(l="de") == ["UNKNOWN_LOCALE"]


async def test_a_page_and_the_counts_cost_a_fixed_number_of_statements(
    env: Env, count_queries: QueryCounter
) -> None:
    async def statements(first: int) -> int:
        count_queries.statements.clear()
        status = await env.status("nn", first=first)
        assert len(status["tasks"]["edges"]) == first
        return len(count_queries.statements)

    small, large = await statements(2), await statements(len(NN_TASKS))
    assert small == large, count_queries.statements
    # the token, the counts (once for counts and totalCount), the page
    assert large <= 3, count_queries.statements


async def test_work_done_leaves_the_list(env: Env) -> None:
    """Last in the module: it changes the articles."""
    await env.translate("B2", expected=1)  # from the changed Bokmål
    await env.translate("A1")
    assert await env.tasks("nn", 5) == NN_TASKS[2:]
    assert article_counts(await env.status("nn")) == {"missing": 7, "outdated": 0, "upToDate": 4}
    await env.call(
        "mutation($a: ID!) { restoreArticle(id: $a) { errors { code } } }", {"a": env.ids["D1"]}
    )
    assert ("D1", "MISSING", "nb", "Sak D1") in await env.tasks("nn", 5)
    assert (await env.status("nn"))["tasks"]["totalCount"] == len(NN_TASKS) - 2 + 1
