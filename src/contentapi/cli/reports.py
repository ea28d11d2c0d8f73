"""``contentapi report language --year YEAR``: the language-use report as a table."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from contentapi import db
from contentapi.settings import Settings
from contentapi.translation.report import LanguageUse, language_use


def register(commands: Any) -> None:
    """Add the ``report`` command group."""
    parser = commands.add_parser("report", help="reports", description="Reports.")
    sub = parser.add_subparsers(dest="report_command", required=True, metavar="REPORT")
    language = sub.add_parser(
        "language", help="language use (målbruk): published items and words per locale"
    )
    language.add_argument("--year", type=int, required=True, help="calendar year, local time")
    language.set_defaults(handler=run_language)


def render(report: LanguageUse, title: str) -> str:
    """The report as a plain-text table."""
    lines = [
        title,
        f"{'locale':<8}{'items':>8}{'share':>9}{'words':>10}{'share':>9}  minimum "
        f"{report.minimum_share:.0%}",
    ]
    for row in report.by_locale:
        lines.append(
            f"{row.locale:<8}{row.count:>8}{row.share:>9.1%}{row.words:>10}{row.word_share:>9.1%}"
            f"  {'yes' if row.meets_minimum else 'NO'}"
        )
    lines.append(f"{'total':<8}{report.total:>8}{'':>9}{report.total_words:>10}")
    return "\n".join(lines)


def run_language(args: argparse.Namespace) -> int:
    """Print the report for a calendar year in the configured time zone."""
    settings = Settings.from_env()
    zone = ZoneInfo(settings.time_zone)
    start = datetime(args.year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(args.year + 1, 1, 1, tzinfo=zone).astimezone(UTC)

    async def run() -> LanguageUse:
        async with db.database(settings, global_fallback=False):
            return await language_use(
                settings.locales, start, end, datetime.now(UTC), settings.language_minimum_share
            )

    print(render(asyncio.run(run()), f"Language use {args.year} (published, by first publication)"))
    return 0
