"""The article listing (read model) shows what the fallback rule says, at every moment.

Lists follow publishing, scheduling, unpublishing, deleting and restoring at once; a
scheduled translation of the requested locale replaces the fallback when its time comes
(no background job needed); a new locale in the configuration is listed after a restart
or ``contentapi reindex``; and the SQL visibility rule agrees with its Python twin.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from contentapi import sql
from contentapi.articles.models import ArticleListing, ArticleTranslation
from contentapi.articles.visibility import is_visible, visible, visible_sql
from contentapi.demo.archive import ArchiveShape, load_archive
from contentapi.graphql.relay import from_global_id
from tests.api.test_configured_apps import EN_PO, LOCALE_DIR
from tests.api.test_editors import CREATE, PUBLISH, TRANSLATE, UNPUBLISH
from tests.conftest import FakeClock, bearer, gql, make_settings, make_tokens, running_app

LIST = """query($locale: String!) { articles(locale: $locale, first: 100) { totalCount
  edges { node { id title locale isFallback } } } }"""
DELETE = """mutation($id: ID!) { deleteArticle(id: $id) { errors { code } } }"""
RESTORE = """mutation($id: ID!) { restoreArticle(id: $id) { errors { code } } }"""


async def listed(client, locale: str) -> dict[int, tuple[str, str]]:
    """Article (primary key; its ids differ per locale) -> (locale, title), as listed."""
    body = await gql(client, LIST, {"locale": locale})
    assert "errors" not in body, body
    connection = body["data"]["articles"]
    edges = connection["edges"]
    assert connection["totalCount"] == len(edges)
    return {
        from_global_id(e["node"]["id"])[1]: (e["node"]["locale"], e["node"]["title"]) for e in edges
    }


async def test_lists_follow_every_visibility_change(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running_app(await make_settings(tmp_path), clock=clock) as client:
        editor = bearer((await make_tokens())["editor"])

        async def call(query: str, **variables: object) -> dict:
            body = await gql(client, query, variables, headers=editor)
            assert "errors" not in body, body
            payload = next(iter(body["data"].values()))
            assert payload.get("errors", []) == [], payload
            return dict(payload)

        created = await call(CREATE, input={"locale": "nb", "title": "Ferje", "body": "<p>Ja</p>"})
        article_id = created["article"]["id"]
        pk = from_global_id(article_id)[1]
        assert pk not in await listed(client, "nb")  # a draft is not listed
        await call(PUBLISH, id=article_id, locale="nb")
        assert (await listed(client, "nn"))[pk] == ("nb", "Ferje")  # the fallback

        await call(
            TRANSLATE,
            input={"id": article_id, "locale": "nn", "title": "Ferja", "body": "<p>Ja</p>"},
        )
        soon = clock.now + timedelta(hours=2)
        await call(PUBLISH, id=article_id, locale="nn", at=soon.isoformat())
        assert (await listed(client, "nn"))[pk] == ("nb", "Ferje")  # not yet
        clock.advance(hours=2, seconds=1)
        assert (await listed(client, "nn"))[pk] == ("nn", "Ferja")  # its time came
        assert (await listed(client, "nb"))[pk] == ("nb", "Ferje")

        await call(UNPUBLISH, id=article_id, locale="nb")
        assert (await listed(client, "nb"))[pk] == ("nn", "Ferja")  # nb falls back
        await call(DELETE, id=article_id)
        assert pk not in await listed(client, "nb")
        assert pk not in await listed(client, "nn")
        await call(RESTORE, id=article_id)
        assert (await listed(client, "nn"))[pk] == ("nn", "Ferja")


async def test_two_locales_published_at_once(tmp_path: Path) -> None:
    # both writes recompute the same article's rows: they must take turns, not collide
    async with running_app(await make_settings(tmp_path)) as client:
        editor = bearer((await make_tokens())["editor"])
        for attempt in range(5):
            created = await gql(
                client,
                CREATE,
                {"input": {"locale": "nb", "title": f"Sak {attempt}", "body": "<p>Ja</p>"}},
                headers=editor,
            )
            article_id = created["data"]["createArticle"]["article"]["id"]
            pk = from_global_id(article_id)[1]
            translated = await gql(
                client,
                TRANSLATE,
                {
                    "input": {
                        "id": article_id,
                        "locale": "nn",
                        "title": f"Sak {attempt}",
                        "body": "<p>Ja</p>",
                    }
                },
                headers=editor,
            )
            assert translated["data"]["translateArticle"]["errors"] == []
            both = await asyncio.gather(
                *(
                    gql(client, PUBLISH, {"id": article_id, "locale": locale}, headers=editor)
                    for locale in ("nb", "nn")
                )
            )
            for body in both:
                assert "errors" not in body, body
                assert body["data"]["publishArticle"]["errors"] == []
            assert (await listed(client, "nn"))[pk][0] == "nn"
            assert (await listed(client, "nb"))[pk][0] == "nb"


async def test_a_new_locale_is_listed_after_a_restart_and_reindex(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings):
        await load_archive(ArchiveShape(30, comments_per_article=0), settings.make_locales())
    locale_dir = tmp_path / "locales"
    shutil.copytree(LOCALE_DIR, locale_dir)
    en = locale_dir / "en" / "LC_MESSAGES" / "contentapi.po"
    en.parent.mkdir(parents=True)
    en.write_text(EN_PO, encoding="utf-8")
    three = settings.with_changes(
        locales=("nb", "nn", "en"),
        fallbacks={"nb": ("nn",), "nn": ("nb",), "en": ("nb", "nn")},
        locale_dir=locale_dir,
    )
    async with running_app(three) as client:  # the start rebuilds for the new chains
        english = await listed(client, "en")
        assert len(english) == 30
        assert {locale for locale, _ in english.values()} == {"nb"}
        before = await ArticleListing.filter(requested_locale="en").count()
        await ArticleListing.filter(requested_locale="en").delete()  # damaged by hand
    env = {
        **os.environ,
        "CONTENTAPI_DATABASE_URL": settings.database_url,
        "CONTENTAPI_LOCALES": "nb,nn,en",
        "CONTENTAPI_FALLBACKS": "nb:nn;nn:nb;en:nb,nn",
        "CONTENTAPI_LOCALE_DIR": str(locale_dir),
    }
    result = subprocess.run(
        [sys.executable, "-m", "contentapi", "reindex"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "article listing rebuilt" in result.stdout
    async with running_app(three) as client:
        assert len(await listed(client, "en")) == 30
        assert await ArticleListing.filter(requested_locale="en").count() == before


@pytest.mark.parametrize("offset_hours", [-1, 0, 1])
async def test_sql_and_python_visibility_agree(tmp_path: Path, offset_hours: int) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings):
        await load_archive(ArchiveShape(12, comments_per_article=0), settings.make_locales())
        rows = await ArticleTranslation.all().order_by("id")
        now = rows[5].published_at + timedelta(hours=offset_hours)
        # vary the states: drafts, unpublished, scheduled in the future
        for n, row in enumerate(rows):
            status = ("PUBLISHED", "DRAFT", "UNPUBLISHED", "SCHEDULED")[n % 4]
            await ArticleTranslation.filter(id=row.id).update(status=status)
        rows = await ArticleTranslation.all().order_by("id")
        in_sql = set(await ArticleTranslation.filter(visible(now)).values_list("id", flat=True))
        in_python = {row.id for row in rows if is_visible(row, now)}
        in_text = {
            int(r["id"])
            for r in await sql.fetch(
                'SELECT t."id" AS "id" FROM "article_translation" t '
                f'JOIN "article" a ON a."id" = t."article_id" WHERE {visible_sql("t", "a")}',
                [now],
            )
        }
        assert in_sql == in_python == in_text
        assert in_python  # the case is not empty
