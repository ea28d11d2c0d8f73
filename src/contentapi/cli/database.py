"""``contentapi migrate`` and ``contentapi reindex``: the schema and the derived tables."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from contentapi import db
from contentapi.articles import listing
from contentapi.articles.search import index as search_index
from contentapi.runtime import build_runtime
from contentapi.settings import Settings


def register(commands: Any) -> None:
    """Add the ``migrate`` and ``reindex`` commands."""
    parser = commands.add_parser(
        "migrate",
        help="apply database migrations",
        description=(
            "Apply every pending migration to CONTENTAPI_DATABASE_URL (creating the "
            "database when there is none, even with CONTENTAPI_REQUIRE_EXISTING_DB), then "
            "rebuild the article listing if the locales or fallback chains changed, and the "
            "search index (SQLite) if it was made by another stemmer or format."
        ),
    )
    parser.set_defaults(handler=migrate)
    parser = commands.add_parser(
        "reindex",
        help="rebuild the article listing and the search index",
        description=(
            "Rebuild the article listing (the read model of article lists) from the "
            "translations, for the configured locales and fallback chains, and the search "
            "index (SQLite's FTS5 table; PostgreSQL keeps its generated column current)."
        ),
    )
    parser.set_defaults(handler=reindex)
    parser = commands.add_parser(
        "load-archive",
        help="add a large generated archive (benchmarks, trials)",
        description=(
            "Add N generated Norwegian news articles (nb, 70 %% also nn), each with three "
            "photos, a film clip and reader comments; deterministic."
        ),
    )
    parser.add_argument("--articles", type=int, default=2000, help="how many (default 2000)")
    parser.add_argument("--comments", type=int, default=15, help="per article (default 15)")
    parser.set_defaults(handler=load_archive)


def migrate(args: argparse.Namespace) -> int:
    """Apply pending migrations; rebuild the listing when the locale chains changed, and
    the search index when it is stale."""
    runtime = build_runtime(Settings.from_env())

    async def run() -> tuple[bool, bool]:
        # the one command that may make a new database (CONTENTAPI_REQUIRE_EXISTING_DB)
        async with db.database(runtime.settings, global_fallback=False, create=True):
            return (
                await listing.ensure_current(runtime.locales),
                await search_index.ensure_current(),
            )

    rebuilt, reindexed = asyncio.run(run())
    print(
        "database is up to date"
        + ("; article listing rebuilt" if rebuilt else "")
        + ("; search index rebuilt" if reindexed else "")
    )
    return 0


def reindex(args: argparse.Namespace) -> int:
    """Rebuild the article listing and the search index whatever their state."""
    runtime = build_runtime(Settings.from_env())

    async def run() -> tuple[int | None, int, bool]:
        async with db.database(runtime.settings, global_fallback=False):
            return (
                await listing.rebuild(runtime.locales),
                await search_index.rebuild(),
                search_index.written_by_app(),
            )

    rows, indexed, by_app = asyncio.run(run())
    print(f"article listing rebuilt: {rows} rows")
    how = "rebuilt" if by_app else "kept current by PostgreSQL"
    print(f"search index: {indexed} translations ({how})")
    return 0


def load_archive(args: argparse.Namespace) -> int:
    """Add the generated archive."""
    from contentapi.demo.archive import ArchiveShape
    from contentapi.demo.archive import load_archive as load

    if args.articles < 1 or args.comments < 0:
        print("contentapi: --articles must be at least 1, --comments at least 0")
        return 2
    runtime = build_runtime(Settings.from_env())
    shape = ArchiveShape(args.articles, args.comments)

    async def run() -> int:
        async with db.database(runtime.settings, global_fallback=False):
            return await load(shape, runtime.locales)

    added = asyncio.run(run())
    print(f"archive: {added} articles added")
    return 0
