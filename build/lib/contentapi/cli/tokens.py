"""``contentapi token create|list|revoke``: API tokens for editors and others."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from contentapi import db
from contentapi.auth.tokens import Role, create_token, list_tokens, revoke_token
from contentapi.errors import DomainError
from contentapi.settings import Settings


def register(commands: Any) -> None:
    """Add the ``token`` command group."""
    parser = commands.add_parser(
        "token",
        help="create, list and revoke API tokens",
        description="API tokens. Only a hash is stored: a new token is printed once.",
    )
    sub = parser.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="create a token and print it once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help="who or what uses it")
    create.add_argument(
        "--locales", help="comma-separated locales the token may write in (translators)"
    )
    create.set_defaults(handler=_create)
    listing = sub.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.set_defaults(handler=_list)
    revoke = sub.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_revoke)


def _create(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    locales = [c.strip() for c in args.locales.split(",") if c.strip()] if args.locales else None
    unknown = [c for c in locales or [] if c not in settings.locales]
    if unknown:
        print(
            f"contentapi: unknown locales {', '.join(unknown)}; configured: "
            f"{', '.join(settings.locales)}"
        )
        return 2

    async def run() -> str:
        async with db.database(settings, global_fallback=False):
            _, token = await create_token(args.name, Role(args.role), locales)
            return token

    try:
        token = asyncio.run(run())
    except DomainError as exc:
        print(f"contentapi: {exc.message}")
        return 2
    print(token)
    return 0


def _list(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def run() -> list[str]:
        async with db.database(settings, global_fallback=False):
            return [
                f"{t.id}\t{t.prefix}…\t{t.role}\t{t.locales or '*'}\t{t.name}\t"
                f"{'revoked ' + t.revoked_at.isoformat() if t.revoked_at else 'active'}"
                for t in await list_tokens()
            ]

    print("id\ttoken\trole\tlocales\tname\tstate")
    for line in asyncio.run(run()):
        print(line)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def run() -> bool:
        async with db.database(settings, global_fallback=False):
            return await revoke_token(args.id)

    if not asyncio.run(run()):
        print(f"contentapi: no active token with id {args.id}")
        return 1
    print(f"token {args.id} revoked")
    return 0
