"""``contentapi translations export|import|pretranslate``: content through PO files."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from contentapi import db
from contentapi.articles.queries import untranslated_article_ids
from contentapi.auth.permissions import Action, authorize
from contentapi.auth.principal import principal_from_header
from contentapi.auth.tokens import Role
from contentapi.errors import DomainError, DomainErrors, ErrorCode
from contentapi.i18n import UnknownLocale, resolve
from contentapi.runtime import Runtime, build_runtime
from contentapi.settings import Settings
from contentapi.translation.po_export import Only, export_catalog, write_catalog
from contentapi.translation.po_import import import_catalog, read_catalog
from contentapi.translation.pretranslate import pretranslate


def register(commands: Any) -> None:
    """Add the ``translations`` command group."""
    parser = commands.add_parser(
        "translations",
        help="content translation through PO files, and pre-translation",
        description="Export content to PO files for translators, import them back as drafts.",
    )
    sub = parser.add_subparsers(dest="translations_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="write a PO file of fields to translate")
    export.add_argument("--locale", required=True, help="translate into this locale")
    export.add_argument("--source", help="translate from (default: the default locale)")
    export.add_argument("--only", choices=[o.value for o in Only], default=Only.ALL.value)
    export.add_argument("-o", "--output", required=True, help="the .po file to write")
    export.set_defaults(handler=_export)
    imp = sub.add_parser("import", help="save a translated PO file as drafts")
    imp.add_argument("file", help="the .po file")
    imp.add_argument(
        "--token",
        default=os.environ.get("CONTENTAPI_TOKEN"),
        help="act as this token (its locales apply); default: CONTENTAPI_TOKEN",
    )
    imp.set_defaults(handler=_import)
    pre = sub.add_parser("pretranslate", help="machine drafts with Apertium (nb↔nn)")
    pre.add_argument("--from", dest="source", required=True)
    pre.add_argument("--to", dest="target", required=True)
    pre.add_argument("--only", choices=["missing"], default="missing")
    pre.set_defaults(handler=_pretranslate)


def _locale(runtime: Runtime, tag: str) -> str:
    try:
        return resolve(tag, runtime.locales)
    except UnknownLocale as exc:
        raise DomainError(ErrorCode.UNKNOWN_LOCALE, str(exc)) from None


def _fail(message: str) -> int:
    print(f"contentapi: {message}", file=sys.stderr)
    return 2


def _export(args: argparse.Namespace) -> int:
    runtime = build_runtime(Settings.from_env())
    try:
        locale = _locale(runtime, args.locale)
        source = _locale(runtime, args.source or runtime.settings.default_locale)
    except DomainError as exc:
        return _fail(exc.message)

    async def run() -> int:
        async with db.database(runtime.settings, global_fallback=False):
            catalog = await export_catalog(locale, source, Only(args.only))
        Path(args.output).write_bytes(write_catalog(catalog))
        return len(catalog)

    count = asyncio.run(run())
    print(f"{args.output}: {count} entries ({source} → {locale}, {args.only})")
    return 0


def _bar(done: int, total: int) -> None:
    if total < 50:
        return
    width = 30
    filled = width * done // total
    end = "\n" if done == total else ""
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def _import(args: argparse.Namespace) -> int:
    runtime = build_runtime(Settings.from_env())
    try:
        catalog = read_catalog(Path(args.file).read_bytes())
    except (OSError, DomainError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    if catalog.locale is None:
        return _fail("the PO file's Language header is missing or names no known locale")
    try:
        locale = _locale(runtime, str(catalog.locale).replace("_", "-"))
    except DomainError as exc:
        return _fail(exc.message)

    async def run() -> int:
        async with db.database(runtime.settings, global_fallback=False), runtime.events.connected():
            name, principal_role = "command line", None
            if args.token:
                principal = authorize(
                    await principal_from_header(f"Bearer {args.token}"), Action.TRANSLATE, locale
                )
                name, principal_role = principal.name, principal.role
            actor = runtime.actor(name)
            editor = principal_role is None or principal_role in {Role.ADMIN, Role.EDITOR}
            # the writes reach running servers' caches through the content version
            async with runtime.events.recording() as outbox:
                summary = await import_catalog(
                    catalog, locale, actor, outbox, progress=_bar, live_texts=editor
                )
        for line in summary.saved:
            print(f"saved     {line}")
        for line in summary.conflicts:
            print(f"conflict  {line}")
        for line in summary.skipped:
            print(f"skipped   {line}")
        print(
            f"{len(summary.saved)} saved, {summary.unchanged} unchanged, "
            f"{summary.untranslated} untranslated, {len(summary.conflicts)} conflicts, "
            f"{len(summary.skipped)} skipped; article translations were saved as drafts, "
            "nothing was published"
        )
        return 1 if summary.conflicts else 0

    try:
        return asyncio.run(run())
    except DomainError as exc:
        return _fail(exc.message)


def _pretranslate(args: argparse.Namespace) -> int:
    runtime = build_runtime(Settings.from_env())
    try:
        source, target = _locale(runtime, args.source), _locale(runtime, args.target)
    except DomainError as exc:
        return _fail(exc.message)

    async def run() -> tuple[int, list[str]]:
        made, problems = 0, []
        async with db.database(runtime.settings, global_fallback=False), runtime.events.connected():
            todo = await untranslated_article_ids(source, target)
            for number, article_id in enumerate(todo, start=1):
                _bar(number, len(todo))
                actor = runtime.actor("apertium")
                try:
                    async with runtime.events.recording() as outbox:
                        await pretranslate(article_id, source, target, actor, outbox)
                    made += 1
                except DomainError as exc:
                    problems.append(f"article:{article_id}: {exc.message}")
                    if exc.code is ErrorCode.UNAVAILABLE:
                        break
                except DomainErrors as exc:  # the machine's text breaks a limit
                    problems.append(f"article:{article_id}: {exc}")
        return made, problems

    made, problems = asyncio.run(run())
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{made} machine drafts {source} → {target} (marked machineTranslated, not published)")
    return 1 if problems else 0
