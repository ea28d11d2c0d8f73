"""The command line: help everywhere, tokens printed once and stored as hashes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contentapi.auth.tokens import hash_token
from contentapi.settings import Settings
from tests.conftest import bearer, fresh_database_url, gql, running_app


def contentapi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contentapi", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["migrate"],
        ["export-schema"],
        ["token"],
        ["token", "create"],
        ["token", "list"],
        ["token", "revoke"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = contentapi(*args, "--help", env={})
    assert result.returncode == 0, result.stderr
    assert "usage: contentapi" in result.stdout


async def test_token_lifecycle(tmp_path: Path) -> None:
    env = {"CONTENTAPI_DATABASE_URL": await fresh_database_url(tmp_path)}
    created = contentapi(
        "token",
        "create",
        "--role",
        "translator",
        "--locales",
        "nn",
        "--name",
        "Kari Omsetjar",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("cat_") and len(token) >= 4 + 43  # 32 random bytes
    listed = contentapi("token", "list", env=env)
    assert "Kari Omsetjar" in listed.stdout and "translator" in listed.stdout
    assert token not in listed.stdout and hash_token(token) not in listed.stdout

    bad = contentapi("token", "create", "--role", "translator", "--name", "x", env=env)
    assert bad.returncode == 2 and "--locales" in bad.stdout
    unknown = contentapi(
        "token", "create", "--role", "editor", "--locales", "sv", "--name", "x", env=env
    )
    assert unknown.returncode == 2

    # the same database the commands wrote to (not wiped again)
    settings = Settings(
        database_url=env["CONTENTAPI_DATABASE_URL"],
        media_dir=tmp_path / "media",
        allowed_hosts=("testserver",),
    )
    query = '{ article(slug: "x", preview: true) { id } }'
    async with running_app(settings) as client:
        body = await gql(client, query, headers=bearer(token))
        assert body == {"data": {"article": None}}  # accepted: a translator may preview
    token_id = listed.stdout.splitlines()[1].split("\t")[0]
    revoked = contentapi("token", "revoke", token_id, env=env)
    assert revoked.returncode == 0
    assert contentapi("token", "revoke", token_id, env=env).returncode == 1
    async with running_app(settings) as client:
        body = await gql(client, query, headers=bearer(token))
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
