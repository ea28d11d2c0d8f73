"""``contentapi i18n extract|update|compile|check|init``: the interface catalogs."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from contentapi.i18n import tooling
from contentapi.i18n.catalogs import CatalogError
from contentapi.settings import Settings


def register(commands: Any) -> None:
    """Add the ``i18n`` command group."""
    parser = commands.add_parser(
        "i18n",
        help="interface catalogs: extract, update, compile, check, init",
        description="Babel's catalog tooling for locales/ (CONTENTAPI_LOCALE_DIR).",
    )
    sub = parser.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    sub.add_parser("extract", help="write locales/contentapi.pot from the marked keys")
    sub.add_parser("update", help="merge the template into every configured locale")
    sub.add_parser("compile", help="write .mo files (the API itself reads .po)")
    sub.add_parser(
        "check",
        help="exit 1 and name each problem in any configured locale, including messages that"
        " read wrong once filled with sample values (English field names, 60,000,000)",
    )
    init = sub.add_parser("init", help="start a catalog for a new locale, e.g. 'se'")
    init.add_argument("locale")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Do the chosen action."""
    settings = Settings.from_env()
    folder = settings.locale_dir
    try:
        if args.i18n_command == "extract":
            template = tooling.extract(folder)
            print(f"{tooling.template_path(folder)}: {len(template)} keys")
        elif args.i18n_command == "update":
            for path in tooling.update(folder, settings.locales):
                print(f"updated {path}")
        elif args.i18n_command == "compile":
            for path in tooling.compile_catalogs(folder, settings.locales):
                print(f"wrote {path}")
        elif args.i18n_command == "init":
            print(f"created {tooling.init(folder, args.locale)}")
        else:
            problems = tooling.check(folder, list(settings.locales), settings.default_locale)
            for problem in problems:
                print(problem)
            if problems:
                print(f"{len(problems)} problems", file=sys.stderr)
                return 1
            print(f"catalogs complete: {', '.join(settings.locales)}")
    except CatalogError as exc:
        print(f"contentapi: {exc}", file=sys.stderr)
        return 2
    return 0
