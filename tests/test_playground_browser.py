"""An editor's first session in the GraphiQL playground, in Debian's chromium via Playwright.

The browser is the system's (/usr/bin/chromium, Debian package ``chromium``); nothing is
downloaded. The screenshots go to ``test-output/`` in the checkout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from contentapi.app import create_app
from tests.conftest import (
    TEST_OUTPUT,
    chromium_page,
    csp_violations,
    free_port,
    make_settings,
    make_tokens,
    needs_chromium,
    serve,
    watch_csp,
)

OUTPUT = TEST_OUTPUT
pytestmark = needs_chromium

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
RESPONSE = ".graphiql-response .CodeMirror"


async def run_in_playground(page: Any, query: str, expect: str) -> dict[str, Any]:
    """Type ``query`` into GraphiQL, run it, and return the JSON it shows."""
    await page.evaluate(
        "([sel, q]) => document.querySelector(sel).CodeMirror.setValue(q)", [QUERY_EDITOR, query]
    )
    await page.wait_for_timeout(500)  # GraphiQL reads the operation name after a debounce
    await page.click(".graphiql-execute-button")
    await page.wait_for_function(
        "([sel, text]) => { const cm = document.querySelector(sel);"
        " return cm && cm.CodeMirror.getValue().includes(text); }",
        arg=[RESPONSE, expect],
        timeout=15000,
    )
    text = await page.evaluate(
        "(sel) => document.querySelector(sel).CodeMirror.getValue()", RESPONSE
    )
    return dict(json.loads(text))


async def test_editor_creates_and_publishes_in_the_playground(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with serve(create_app(settings), free_port()) as host:
        tokens = await make_tokens()
        async with chromium_page(1400, 900) as page:
            await watch_csp(page)
            response = await page.goto(f"http://{host}/graphql", wait_until="networkidle")
            assert response is not None and response.status == 200
            assert "script-src 'self';" in response.headers["content-security-policy"]
            await page.wait_for_selector(QUERY_EDITOR, timeout=15000)
            # paste the token into the Headers tab, as an editor would
            await page.click("button[data-name=headers]")
            await page.evaluate(
                "([sel, h]) => document.querySelector(sel).CodeMirror.setValue(h)",
                [HEADERS_EDITOR, json.dumps({"Authorization": f"Bearer {tokens['editor']}"})],
            )
            created = await run_in_playground(
                page,
                "mutation Opprett { createArticle(input: "
                '{locale: "nn", title: "Frå leikeplassen", '
                'body: "<p>Skriven i GraphiQL.</p>"}) '
                "{ article { id slug } errors { code } } }",
                "createArticle",
            )
            assert created.get("data"), created
            payload = created["data"]["createArticle"]
            assert payload["errors"] == []
            article_id = payload["article"]["id"]
            published = await run_in_playground(
                page,
                f'mutation Publiser {{ publishArticle(id: "{article_id}", locale: "nn") '
                "{ article { translations { status } } errors { code } } }",
                "publishArticle",
            )
            assert published["data"]["publishArticle"]["errors"] == []
            await page.screenshot(path=str(OUTPUT / "playground.png"), full_page=True)
            assert await csp_violations(page) == []  # no inline script, nothing blocked
        # read back anonymously, as a frontend would
        async with httpx.AsyncClient(base_url=f"http://{host}") as client:
            body = (
                await client.post(
                    "/graphql",
                    json={
                        "query": 'query($id: ID!) { article(id: $id, locale: "nn") '
                        "{ title published } }",
                        "variables": {"id": article_id},
                    },
                )
            ).json()
        assert body["data"]["article"]["title"] == "Frå leikeplassen"
    assert (OUTPUT / "playground.png").stat().st_size > 10_000
