"""The reference reader page at GET /, in Debian's chromium via Playwright: switch language,
send the form empty (Nynorsk errors), send a valid comment, approve it through the API, and
see it appear without a reload. Screenshots go to test-output/."""

from __future__ import annotations

from pathlib import Path

import httpx

from contentapi.app import create_app
from contentapi.demo import load_demo
from contentapi.demo.content import SEED
from tests.conftest import (
    TEST_OUTPUT,
    bearer,
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

PENDING = "{ pendingComments(first: 100) { edges { node { id body } } } }"
APPROVE = """mutation($id: ID!) { moderateComment(id: $id, decision: APPROVE) {
  errors { code } } }"""


async def test_reader_page_in_both_languages_with_live_comments(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with serve(create_app(settings), free_port()) as host:
        await load_demo(settings)
        tokens = await make_tokens()
        async with chromium_page(1000, 1400) as page:
            await watch_csp(page)
            response = await page.goto(f"http://{host}/?slug={SEED.slug['nb']}&lang=nb")
            assert response is not None
            assert "script-src 'self';" in response.headers["content-security-policy"]
            await page.wait_for_selector("#article:not([hidden])", timeout=15000)
            assert await page.text_content("#title") == SEED.title["nb"]
            dates = await page.text_content("#dates")
            assert dates == "Publisert: 08. jun 2018, Sist endret: 04. mar 2019"
            assert "Foto: Difi" in (await page.text_content("figure figcaption") or "")
            assert await page.text_content("#comments-heading") == "Kommentarer"
            await page.screenshot(path=str(OUTPUT / "reader-nb.png"), full_page=True)

            await page.click("#lang-nn")  # the language switch: a new page in nn
            await page.wait_for_selector("#article:not([hidden])", timeout=15000)
            assert await page.text_content("#title") == SEED.title["nn"]
            assert (await page.text_content("#dates") or "").startswith("Publisert: 08. jun")
            assert "Sist endra: 04. mar 2019" in (await page.text_content("#dates") or "")
            assert await page.text_content("#comments-heading") == "Kommentarar"
            assert await page.is_hidden("#fallback")
            assert await csp_violations(page) == []  # the strict CSP breaks nothing

            await page.click("#comment-form button[type=submit]")  # all empty
            # functions, not expressions: Playwright evaluates an expression with eval(),
            # which the page's CSP forbids
            await page.wait_for_function(
                "() => document.querySelector('[data-error-for=body]').textContent.length > 0"
            )
            for field in ("authorName", "email", "body"):
                error = await page.text_content(f"[data-error-for={field}]")
                assert error == "Feltet må fyllast ut.", field
            await page.screenshot(path=str(OUTPUT / "reader-nn-errors.png"), full_page=True)

            await page.fill("#f-name", "Ingrid Lesar")
            await page.fill("#f-email", "ingrid@example.org")
            await page.fill("#f-body", "Gode nyheiter for Træna! <b>ikkje HTML</b>")
            await page.click("#comment-form button[type=submit]")
            await page.wait_for_selector("#thanks:not([hidden])", timeout=15000)
            assert "Takk!" in (await page.text_content("#thanks") or "")
            before = await page.locator("#comments .comment").count()
            await page.evaluate("window.stillThePage = true")  # gone if the page reloads

            base = f"http://{host}"
            async with httpx.AsyncClient(base_url=base) as client:
                queue = (
                    await client.post(
                        "/graphql", json={"query": PENDING}, headers=bearer(tokens["moderator"])
                    )
                ).json()
                mine = next(
                    n["node"]
                    for n in queue["data"]["pendingComments"]["edges"]
                    if n["node"]["body"].startswith("Gode nyheiter")
                )
                approved = await client.post(
                    "/graphql",
                    json={"query": APPROVE, "variables": {"id": mine["id"]}},
                    headers=bearer(tokens["moderator"]),
                )
                assert approved.json()["data"]["moderateComment"]["errors"] == []
            await page.wait_for_function(
                f"() => document.querySelectorAll('#comments .comment').length > {before}",
                timeout=15000,
            )  # no reload: it came over the websocket
            assert await page.evaluate("window.stillThePage === true")
            last = page.locator("#comments .comment").last
            assert await last.locator(".who").text_content() == "Ingrid Lesar"
            assert "<b>ikkje HTML</b>" in (await last.text_content() or "")
            assert (await page.text_content("#comment-count") or "").endswith("kommentarar")
            await page.screenshot(path=str(OUTPUT / "reader-nn-live.png"), full_page=True)
            assert await csp_violations(page) == []
