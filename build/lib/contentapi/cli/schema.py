"""``contentapi export-schema``: print the GraphQL SDL."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from contentapi.graphql.schema import export_sdl


def register(commands: Any) -> None:
    """Add the ``export-schema`` command."""
    parser = commands.add_parser(
        "export-schema",
        help="print the GraphQL schema (SDL)",
        description="Print the SDL; schema/schema.graphql is this output.",
    )
    parser.set_defaults(handler=export_schema)


def export_schema(args: argparse.Namespace) -> int:
    """Write the SDL to standard output."""
    sys.stdout.write(export_sdl())
    return 0
