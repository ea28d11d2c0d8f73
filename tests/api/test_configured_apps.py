"""Apps built from other settings: a third locale, a tighter depth limit, an empty database."""

from __future__ import annotations

import shutil
from pathlib import Path

from contentapi.settings import Settings, parse_fallbacks
from tests.conftest import error_codes, gql, make_settings, running_app

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales"
EN_PO = """\
msgid ""
msgstr ""
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "format.date.site"
msgstr "d MMM y"

msgid "comments.heading"
msgstr "Comments"

msgid "comments.count"
msgid_plural "comments.count.plural"
msgstr[0] "%(count)s comment"
msgstr[1] "%(count)s comments"
"""


async def test_a_third_locale_is_configuration_only(tmp_path: Path) -> None:
    locale_dir = tmp_path / "locales"
    shutil.copytree(LOCALE_DIR, locale_dir)
    en = locale_dir / "en" / "LC_MESSAGES" / "contentapi.po"
    en.parent.mkdir(parents=True)
    en.write_text(EN_PO, encoding="utf-8")
    env = {
        "CONTENTAPI_LOCALES": "nb,nn,en",
        "CONTENTAPI_FALLBACKS": "nb:nn;nn:nb;en:nb,nn",
        "CONTENTAPI_LOCALE_DIR": str(locale_dir),
    }
    configured = Settings.from_env(env)
    settings = await make_settings(
        tmp_path / "app",
        locales=configured.locales,
        fallbacks=configured.fallbacks,
        locale_dir=configured.locale_dir,
    )
    async with running_app(settings, demo=True) as client:
        body = await gql(client, "{ locales { code name englishName isDefault fallbacks } }")
        en_info = body["data"]["locales"][2]
        assert en_info == {
            "code": "en",
            "name": "English",
            "englishName": "English",
            "isDefault": False,
            "fallbacks": ["nb", "nn"],
        }
        body = await gql(
            client,
            """{ heading: message(key: "comments.heading", locale: "en-GB") {
                   text locale isFallback }
                 share: message(key: "page.share", locale: "en") { text locale isFallback }
                 articles(locale: "en", first: 1) { edges { node { locale isFallback
                   requestedLocale published commentCountLabel } } } }""",
        )
        data = body["data"]
        assert data["heading"] == {"text": "Comments", "locale": "en", "isFallback": False}
        assert data["share"] == {"text": "Del dette", "locale": "nb", "isFallback": True}
        node = data["articles"]["edges"][0]["node"]
        assert node["requestedLocale"] == "en" and node["isFallback"] and node["locale"] == "nb"
        assert node["commentCountLabel"].endswith(("comment", "comments"))
        assert node["published"][0].isdigit() and " " in node["published"]


async def test_depth_limit_is_refused_before_execution(tmp_path: Path) -> None:
    # our own types nest at most seven deep; a tighter setting shows the limiter at work
    settings = await make_settings(tmp_path, max_query_depth=3)
    async with running_app(settings) as client:
        fine = await gql(client, "{ articles { totalCount edges { cursor } } }")
        assert "errors" not in fine
        deep = await gql(client, "{ articles { edges { node { videos { title } } } } }")
        assert error_codes(deep) == ["QUERY_TOO_COMPLEX"]
        assert "maximum operation depth of 3" in deep["errors"][0]["extensions"]["detail"]
        assert deep.get("data") is None


async def test_empty_database_serves_empty_lists(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path)
    async with running_app(settings) as client:
        body = await gql(client, '{ articles(locale: "nn") { totalCount edges { cursor } } }')
        assert body == {"data": {"articles": {"totalCount": 0, "edges": []}}}


def test_fallback_setting_is_parsed_and_checked() -> None:
    assert parse_fallbacks("nn:nb; nb:nn ;en:nb,nn") == {
        "nn": ("nb",),
        "nb": ("nn",),
        "en": ("nb", "nn"),
    }
    import pytest

    from contentapi.errors import ConfigError

    with pytest.raises(ConfigError, match="not configured"):
        Settings.from_env({"CONTENTAPI_FALLBACKS": "nn:sv"})
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        Settings.from_env({"CONTENTAPI_DEFAULT_LOCALE": "en"})
    with pytest.raises(ConfigError, match="time zone"):
        Settings.from_env({"CONTENTAPI_TIME_ZONE": "Mars/Olympus"})


async def test_comment_rate_limit_per_client(tmp_path: Path) -> None:
    settings = await make_settings(tmp_path, comment_rate_limit="3/minute")
    async with running_app(settings, demo=True) as client:
        first = await gql(client, "{ articles(first: 1) { edges { node { id } } } }")
        article_id = first["data"]["articles"]["edges"][0]["node"]["id"]
        query = """mutation($b: String!, $a: ID!) { postComment(input: {articleId: $a,
          authorName: "Per", email: "per@example.org", body: $b}) { errors { code } } }"""
        for i in range(3):
            body = await gql(client, query, {"b": f"Kommentar {i}", "a": article_id})
            assert body["data"]["postComment"]["errors"] == []
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": {"b": "Ein til", "a": article_id}},
            headers={"Accept-Language": "nn"},
        )
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) >= 1
        limited = response.json()
        assert error_codes(limited) == ["RATE_LIMITED"]
        retry_after = limited["errors"][0]["extensions"]["retryAfter"]
        assert 1 <= retry_after <= 60
        assert f"Vent {retry_after} s og prøv igjen" in limited["errors"][0]["message"]
