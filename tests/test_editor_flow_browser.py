"""An editor's review flow in the GraphiQL playground, in Debian's chromium via Playwright.

List the drafts, open one in preview, edit a live article as a pending change, preview
it and publish it, while an anonymous reader (httpx against the same server) sees the
old text until the publish. The screenshot goes to ``test-output/editor-flow.png``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from contentapi.app import create_app
from tests.conftest import (
    TEST_OUTPUT,
    bearer,
    chromium_page,
    free_port,
    make_settings,
    make_tokens,
    needs_chromium,
    serve,
)
from tests.test_playground_browser import HEADERS_EDITOR, QUERY_EDITOR, run_in_playground

pytestmark = needs_chromium

LIVE_BODY = "<p>Biblioteket opnar 1. mars.</p>"
FIXED_BODY = "<p>Biblioteket opnar 8. mars, ei veke seinare enn planlagt.</p>"


async def post(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query}, headers=headers or {})
    body = dict(response.json())
    assert "errors" not in body, body
    return dict(body["data"])


async def reader_body(client: httpx.AsyncClient, article_id: str) -> str:
    """What an anonymous reader gets for the article's nn body."""
    data = await post(client, f'{{ article(id: "{article_id}", locale: "nn") {{ body }} }}')
    return str(data["article"]["body"])


async def test_editor_reviews_a_pending_change_in_the_playground(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with serve(create_app(settings), free_port()) as host:
        tokens = await make_tokens()
        editor = bearer(tokens["editor"])
        async with httpx.AsyncClient(base_url=f"http://{host}") as client:
            # a live article, and a draft written by someone else
            made = await post(
                client,
                'mutation { createArticle(input: {locale: "nn", title: "Nytt bibliotek i Træna",'
                f' body: "{LIVE_BODY}"}}) {{ article {{ id }} errors {{ code }} }} }}',
                editor,
            )
            live_id = made["createArticle"]["article"]["id"]
            published = await post(
                client,
                f'mutation {{ publishArticle(id: "{live_id}", locale: "nn")'
                " { errors { code } } }",
                editor,
            )
            assert published["publishArticle"]["errors"] == []
            made = await post(
                client,
                'mutation { createArticle(input: {locale: "nn", title: "Utkast om ferjetider",'
                ' body: "<p>Ikkje klar enno.</p>"}) { article { id } } }',
                editor,
            )
            draft_id = made["createArticle"]["article"]["id"]

            async with chromium_page(1400, 900) as page:
                await page.goto(f"http://{host}/graphql", wait_until="networkidle")
                await page.wait_for_selector(QUERY_EDITOR, timeout=15000)
                await page.click("button[data-name=headers]")
                await page.evaluate(
                    "([sel, h]) => document.querySelector(sel).CodeMirror.setValue(h)",
                    [HEADERS_EDITOR, json.dumps(editor)],
                )
                # 1. the list of drafts: the draft, not the live article
                drafts = await run_in_playground(
                    page,
                    'query Utkast { articles(locale: "nn", filter: {status: [DRAFT]}, first: 20)'
                    " { totalCount edges { node { id title } } } }",
                    "totalCount",
                )
                listed = drafts["data"]["articles"]
                assert [e["node"]["id"] for e in listed["edges"]] == [draft_id]
                assert listed["totalCount"] == 1
                # 2. open it: only a preview shows a draft
                opened = await run_in_playground(
                    page,
                    f'query Opne {{ article(id: "{draft_id}", locale: "nn", preview: true)'
                    " { title body translations { status } } }",
                    "translations",
                )
                assert opened["data"]["article"]["title"] == "Utkast om ferjetider"
                assert opened["data"]["article"]["translations"] == [{"status": "DRAFT"}]
                # 3. edit the live article as a pending change
                saved = await run_in_playground(
                    page,
                    "mutation Rett { updateArticle(input: "
                    f'{{id: "{live_id}", locale: "nn", expectedVersion: 1, draft: true,'
                    f' body: "{FIXED_BODY}"}})'
                    " { article { body hasPendingChanges } errors { code message } } }",
                    "hasPendingChanges",
                )
                assert saved["data"]["updateArticle"]["errors"] == []
                assert saved["data"]["updateArticle"]["article"]["hasPendingChanges"] is True
                assert await reader_body(client, live_id) == LIVE_BODY  # readers: old text
                # 4. preview shows the pending text
                preview = await run_in_playground(
                    page,
                    f'query Forhandsvis {{ article(id: "{live_id}", locale: "nn", preview: true)'
                    " { body translations { status hasPendingChanges } } }",
                    "translations",
                )
                assert preview["data"]["article"]["body"] == FIXED_BODY
                assert preview["data"]["article"]["translations"] == [
                    {"status": "PUBLISHED", "hasPendingChanges": True}
                ]
                assert await reader_body(client, live_id) == LIVE_BODY
                # 5. publish it
                done = await run_in_playground(
                    page,
                    f'mutation Publiser {{ publishArticle(id: "{live_id}", locale: "nn")'
                    " { article { hasPendingChanges } errors { code } } }",
                    "publishArticle",
                )
                assert done["data"]["publishArticle"]["errors"] == []
                assert done["data"]["publishArticle"]["article"]["hasPendingChanges"] is False
                TEST_OUTPUT.mkdir(exist_ok=True)
                await page.screenshot(path=str(TEST_OUTPUT / "editor-flow.png"), full_page=True)
            assert await reader_body(client, live_id) == FIXED_BODY  # readers: the new text
    assert (TEST_OUTPUT / "editor-flow.png").stat().st_size > 10_000
