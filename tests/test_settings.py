"""Settings: the variables read, the rules they follow, the README table that lists them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contentapi.errors import ConfigError
from contentapi.settings import DEFAULT_DATABASE_URL, Settings

README = Path(__file__).resolve().parents[1] / "README.md"
# fields the README table leaves out, and why
UNDOCUMENTED = {"debug": "nothing reads it: the app always builds Starlette with debug=False"}
# defaults the table describes in words instead of a value
DESCRIBED_DEFAULTS = {"locale_dir", "public_url"}


def settings_table(text: str) -> dict[str, tuple[str, str]]:
    """``CONTENTAPI_*`` variable -> (default, meaning) from the README's settings table."""
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`CONTENTAPI_"):
            continue
        variable = cells[0].strip("`")
        assert variable not in rows, f"{variable} has two rows"
        rows[variable] = (cells[1], cells[2])
    return rows


def table_problems(rows: dict[str, tuple[str, str]]) -> list[str]:
    """Where the table and the Settings fields disagree."""
    fields = Settings.model_fields
    variables = {f"CONTENTAPI_{name.upper()}": name for name in fields}
    problems = [f"{v}: a row for no setting" for v in rows if v not in variables]
    for variable, name in variables.items():
        if name in UNDOCUMENTED:
            if variable in rows:
                problems.append(f"{variable}: documented now, drop it from UNDOCUMENTED")
            continue
        if variable not in rows:
            problems.append(f"{variable}: no row in the README's settings table")
            continue
        default, meaning = rows[variable]
        if not meaning:
            problems.append(f"{variable}: no meaning given")
        problems.extend(default_problems(variable, name, default))
    return problems


def default_problems(variable: str, name: str, default: str) -> list[str]:
    """The default column, read as the variable's value, must give the field's default."""
    actual = getattr(Settings(), name)
    if name in DESCRIBED_DEFAULTS:
        return []
    if default == "none":
        return [] if actual in (None, "", ()) else [f"{variable}: default {actual!r}, not none"]
    value = re.fullmatch(r"`([^`]*)`", default)
    if value is None:
        return [f"{variable}: default {default!r} is neither `value` nor none"]
    try:
        parsed = getattr(Settings.from_env({variable: value[1]}), name)
    except ConfigError as exc:
        return [f"{variable}: default {default} does not parse: {exc}"]
    return [] if parsed == actual else [f"{variable}: default {default}, but it is {actual!r}"]


def test_readme_table_matches_the_settings() -> None:
    assert table_problems(settings_table(README.read_text(encoding="utf-8"))) == []


def test_readme_check_finds_disagreements() -> None:
    rows = settings_table(README.read_text(encoding="utf-8"))
    missing = {k: v for k, v in rows.items() if k != "CONTENTAPI_MAX_TOKENS"}
    assert table_problems(missing) == [
        "CONTENTAPI_MAX_TOKENS: no row in the README's settings table"
    ]
    extra = {**rows, "CONTENTAPI_COLOUR": ("`red`", "a colour")}
    assert table_problems(extra) == ["CONTENTAPI_COLOUR: a row for no setting"]
    wrong = {**rows, "CONTENTAPI_MAX_TOKENS": ("`500`", "token limit")}
    assert table_problems(wrong) == ["CONTENTAPI_MAX_TOKENS: default `500`, but it is 5000"]
    debug = {**rows, "CONTENTAPI_DEBUG": ("`0`", "debug")}
    assert table_problems(debug) == ["CONTENTAPI_DEBUG: documented now, drop it from UNDOCUMENTED"]


def test_from_env_parses_every_kind_of_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "CONTENTAPI_DATABASE_URL": "sqlite://elsewhere.sqlite3",
            "CONTENTAPI_LOCALES": " nn, nb ,en,",  # list
            "CONTENTAPI_DEFAULT_LOCALE": " nn ",
            "CONTENTAPI_FALLBACKS": "nn:nb; nb:nn ;en:nb,nn",  # fallbacks
            "CONTENTAPI_LOCALE_DIR": str(tmp_path / "locales"),  # path
            "CONTENTAPI_MEDIA_DIR": "srv/media",
            "CONTENTAPI_PUBLIC_URL": "https://cdn.example/news//",
            "CONTENTAPI_TIME_ZONE": "Europe/London",
            "CONTENTAPI_MAX_TOKENS": "123",  # int
            "CONTENTAPI_WEBHOOK_URLS": "http://a.example/hook, https://b.example/hook",
            "CONTENTAPI_WEBHOOK_SECRET": "s3cret",
            "CONTENTAPI_WEBHOOK_RETRY_SECONDS": "0.5",  # float
            "CONTENTAPI_COMMENT_RATE_LIMIT": "2/second",
            "CONTENTAPI_REDIS_URL": "redis://127.0.0.1:6379/0",  # optional
            "CONTENTAPI_DEBUG": "Yes",  # bool
            "UNRELATED": "ignored",
        }
    )
    assert settings.database_url == "sqlite://elsewhere.sqlite3"
    assert settings.locales == ("nn", "nb", "en")
    assert settings.default_locale == "nn"
    assert settings.fallbacks == {"nn": ("nb",), "nb": ("nn",), "en": ("nb", "nn")}
    assert settings.locale_dir == tmp_path / "locales"
    assert settings.media_dir == Path("srv/media")
    assert settings.public_url == "https://cdn.example/news"
    assert settings.time_zone == "Europe/London"
    assert settings.max_tokens == 123 and isinstance(settings.max_tokens, int)
    assert settings.webhook_urls == ("http://a.example/hook", "https://b.example/hook")
    assert settings.webhook_secret == "s3cret"
    assert settings.webhook_retry_seconds == 0.5
    assert settings.comment_rate_limit == "2/second"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.debug is True
    # what was not set keeps its default
    assert settings.max_aliases == 30 and settings.worker_interval_seconds == 1.0


def test_empty_optional_variables_are_unset() -> None:
    settings = Settings.from_env({"CONTENTAPI_PUBLIC_URL": "/", "CONTENTAPI_REDIS_URL": ""})
    assert settings.public_url is None and settings.redis_url is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("0", False),
        ("no", False),
        ("on", False),  # not one of the three
        ("", False),
    ],
)
def test_debug_is_true_only_for_1_true_yes(text: str, expected: bool) -> None:
    assert Settings.from_env({"CONTENTAPI_DEBUG": text}).debug is expected


@pytest.mark.parametrize(
    ("locales", "kept"),
    [
        ("nb,nn,en", {"nb": ("nn",), "nn": ("nb",)}),
        ("nb,en", {}),  # nb -> nn would name a locale that is not configured
        ("nb", {}),
    ],
)
def test_locales_alone_keep_the_default_fallbacks_they_can(
    locales: str, kept: dict[str, tuple[str, ...]]
) -> None:
    assert Settings.from_env({"CONTENTAPI_LOCALES": locales}).fallbacks == kept


def test_fallbacks_given_are_not_pruned() -> None:
    env = {"CONTENTAPI_LOCALES": "nb,en", "CONTENTAPI_FALLBACKS": "en:nb"}
    assert Settings.from_env(env).fallbacks == {"en": ("nb",)}
    with pytest.raises(ConfigError, match="not configured: nn"):
        Settings.from_env({**env, "CONTENTAPI_FALLBACKS": "en:nb;nb:nn"})


def test_keywords_read_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONTENTAPI_DATABASE_URL", "sqlite://from-the-environment.sqlite3")
    monkeypatch.setenv("CONTENTAPI_MAX_TOKENS", "7")
    assert Settings().database_url == DEFAULT_DATABASE_URL
    settings = Settings(media_dir=tmp_path)
    assert settings.database_url == DEFAULT_DATABASE_URL and settings.max_tokens == 5000
    assert Settings.from_env({}).database_url == DEFAULT_DATABASE_URL  # the mapping given
    from_os = Settings.from_env()  # os.environ
    assert from_os.database_url == "sqlite://from-the-environment.sqlite3"
    assert from_os.max_tokens == 7


def test_every_bad_variable_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"CONTENTAPI_MAX_TOKENS": "many", "CONTENTAPI_TIME_ZONE": "Mars/Olympus"})
    message = str(caught.value)
    assert "CONTENTAPI_MAX_TOKENS: 'many' is not a whole number" in message
    assert "CONTENTAPI_TIME_ZONE: unknown time zone 'Mars/Olympus'" in message

    with pytest.raises(ConfigError) as caught:
        Settings.from_env(
            {
                "CONTENTAPI_DEFAULT_LOCALE": "sv",
                "CONTENTAPI_FALLBACKS": "nb",
                "CONTENTAPI_MAX_ALIASES": "0",
                "CONTENTAPI_WORKER_INTERVAL_SECONDS": "soon",
                "CONTENTAPI_WEBHOOK_URLS": "http://ok.example/hook",
                "CONTENTAPI_COMMENT_RATE_LIMIT": "lots",
            }
        )
    assert str(caught.value).splitlines() == [
        "6 settings are wrong:",
        "  CONTENTAPI_DEFAULT_LOCALE='sv' is not one of CONTENTAPI_LOCALES=nb,nn",
        "  CONTENTAPI_FALLBACKS: cannot read 'nb'; write 'nn:nb;nb:nn'",
        "  CONTENTAPI_MAX_ALIASES: must be above 0",
        "  CONTENTAPI_WEBHOOK_SECRET is needed to sign webhooks",
        "  CONTENTAPI_WORKER_INTERVAL_SECONDS: 'soon' is not a number",
        "  CONTENTAPI_COMMENT_RATE_LIMIT: 'lots' is not a rate such as '5/minute'",
    ]
    assert not isinstance(caught.value, ValidationError)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"locales": ()}, "CONTENTAPI_LOCALES: at least one locale is needed"),
        ({"webhook_urls": ("ftp://x",), "webhook_secret": "s"}, "is not an http(s) URL"),
        ({"webhook_urls": ("http://x/" + "a" * 1000,), "webhook_secret": "s"}, "over 1000"),
        ({"max_tokens": -1}, "CONTENTAPI_MAX_TOKENS: must be above 0"),
        ({"max_tokens": "x"}, "CONTENTAPI_MAX_TOKENS: 'x' is not a whole number"),
        ({"locales": [1]}, "CONTENTAPI_LOCALES: Input should be a valid string"),
        ({"colour": "red"}, "'colour' is not a setting"),
    ],
)
def test_keywords_are_checked_too(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(reason)):
        Settings(**changes)
    with pytest.raises(ConfigError, match=re.escape(reason)):
        Settings().with_changes(**changes)


def test_with_changes_copies_and_checks(tmp_path: Path) -> None:
    settings = Settings(media_dir=tmp_path)
    changed = settings.with_changes(locales=["nb", "nn", "en"], max_tokens=7)
    assert changed.locales == ("nb", "nn", "en") and changed.max_tokens == 7
    assert changed.media_dir == tmp_path and changed.fallbacks == settings.fallbacks
    assert settings.locales == ("nb", "nn") and settings.max_tokens == 5000
    with pytest.raises(ConfigError, match="not configured: nn"):
        settings.with_changes(locales=("nb",), default_locale="nb")


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValidationError, match="frozen"):
        settings.max_tokens = 1  # type: ignore[misc]
