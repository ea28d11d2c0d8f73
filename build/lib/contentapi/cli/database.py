"""``contentapi migrate``: bring the database schema up to date."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from contentapi import db
from contentapi.settings import Settings


def register(commands: Any) -> None:
    """Add the ``migrate`` command."""
    parser = commands.add_parser(
        "migrate",
        help="apply database migrations",
        description="Apply every pending migration to CONTENTAPI_DATABASE_URL.",
    )
    parser.set_defaults(handler=migrate)


def migrate(args: argparse.Namespace) -> int:
    """Apply pending migrations."""
    settings = Settings.from_env()
    asyncio.run(db.migrate(settings))
    print("database is up to date")
    return 0
