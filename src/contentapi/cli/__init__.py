"""The ``contentapi`` command: one module per command group."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from contentapi.cli import database, i18n, reports, schema, server, tokens, transfer, translations
from contentapi.errors import ConfigError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="contentapi",
        description=(
            "Multilingual headless content API (Bokmål and Nynorsk) over GraphQL. "
            "Configured by CONTENTAPI_* environment variables; see the README."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (server, database, schema, tokens, i18n, translations, reports, transfer):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"contentapi: configuration error: {exc}", file=sys.stderr)
        return 2
