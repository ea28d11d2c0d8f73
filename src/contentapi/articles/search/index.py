"""The search index: kept in step with every write to a translation's text.

PostgreSQL: ``article_translation.search_vector``, a generated stored ``tsvector``
(migration 0009) over ``search_text``, which the database keeps current by itself:
nothing here writes on PostgreSQL.

SQLite: the FTS5 table ``article_search`` (rowid = the translation's id; columns title,
lead and body), which holds each word of ``search_text`` followed by its Snowball stem
(:func:`words.index_text`): FTS5 has no Norwegian stemmer, so Python stems. :func:`write`
is the one way rows get there, called in the transaction of every write that sets a
translation's ``search_text`` (the articles service, the demo loader, the archive);
a trigger of the migration removes a translation's row when the translation goes.
:func:`rebuild` redoes every row (``contentapi reindex``, after an import) and
:func:`ensure_current` does so at start when the index was made by another stemmer or
format (the fingerprint in ``read_model_state``, as for the article listing).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from contentapi.articles.models import ArticleTranslation, ReadModelState
from contentapi.articles.search.words import STEMMER, STOPWORDS, index_text
from contentapi.sql import marks

logger = logging.getLogger("contentapi.search")
STATE_NAME = "article_search"
TABLE = "article_search"
PG_INDEX = "article_translation_search_vector"  # the GIN index of migration 0009
FORMAT = "title,lead,body: word stem; body 100000"  # change it when index_text changes
MAX_INDEXED_BODY = 100_000  # characters of body text indexed (PostgreSQL's column too)
REBUILD_BATCH = 2000  # translations per round of a rebuild
_INSERT = f'INSERT INTO "{TABLE}" ("rowid", "title", "lead", "body") VALUES (?, ?, ?, ?)'


def fingerprint() -> str:
    """What the SQLite index is built by: the stemmer, the stopwords and the format."""
    stop = hashlib.sha256(" ".join(sorted(STOPWORDS)).encode()).hexdigest()[:12]
    return f"{STEMMER}; stop {stop}; {FORMAT}"


def columns(search_text: str) -> tuple[str, str, str]:
    """The index's title, lead and body of a translation's ``search_text`` (three lines)."""
    title, _, rest = search_text.partition("\n")
    lead, _, body = rest.partition("\n")
    return index_text(title), index_text(lead), index_text(body[:MAX_INDEXED_BODY])


def _uses_fts(client: BaseDBAsyncClient) -> bool:
    return client.capabilities.dialect == "sqlite"


def written_by_app() -> bool:
    """True where this module writes the index (SQLite); PostgreSQL generates it."""
    return _uses_fts(connections.get("default"))


async def write(rows: Sequence[ArticleTranslation]) -> None:
    """Index these translations as they are now; call it inside the write's transaction.

    Every row must carry its id and ``search_text``. No-op on PostgreSQL.
    """
    if not rows or not _uses_fts(connections.get("default")):
        return
    async with in_transaction() as connection:  # the caller's (a savepoint), or its own
        await _replace(connection, [(row.id, row.search_text) for row in rows])


async def _replace(connection: BaseDBAsyncClient, rows: list[tuple[int, str]]) -> None:
    ids = [pk for pk, _ in rows]
    await connection.execute_query(
        f'DELETE FROM "{TABLE}" WHERE "rowid" IN ({marks(len(ids))})', ids
    )
    await connection.execute_many(_INSERT, [[pk, *columns(text)] for pk, text in rows])


async def optimize() -> None:
    """Settle the index after a bulk load, so queries read less.

    SQLite: merge the FTS5 segments into one. PostgreSQL: move the GIN index's pending
    list into the index. Both: gather statistics of every table (call it after the listing
    is built); until then (or autovacuum) the planner may read every row.
    """
    client = connections.get("default")
    if _uses_fts(client):
        await client.execute_query(f'INSERT INTO "{TABLE}"("{TABLE}") VALUES (\'optimize\')')
        # sampled statistics (0.3 s at 100,000 articles): without them the editor list's
        # author filter read every translation of the locale (95 ms instead of 1 ms)
        await client.execute_query("PRAGMA analysis_limit = 1000")
        await client.execute_query("ANALYZE")
    else:
        await client.execute_query(f"SELECT gin_clean_pending_list('\"{PG_INDEX}\"'::regclass)")
        # every table: after a bulk load the planner's numbers are those of an empty site
        # (the article page took 24 ms instead of 3.5 at 100,000 articles until ANALYZE)
        await client.execute_query("ANALYZE")


async def rebuild(only_if_stale: bool = False) -> int:
    """Index every translation anew, in one transaction; the number indexed.

    PostgreSQL keeps its column current by itself: there this only counts them. With
    ``only_if_stale``, nothing is done (-1) when the index has the current fingerprint.
    """
    client = connections.get("default")
    if not _uses_fts(client):
        return await ArticleTranslation.all().count()
    written = 0
    async with in_transaction() as connection:
        if only_if_stale and await _built():
            return -1
        await connection.execute_query(f'DELETE FROM "{TABLE}"')
        last = 0
        while True:
            batch = (
                await ArticleTranslation.filter(id__gt=last)
                .order_by("id")
                .limit(REBUILD_BATCH)
                .values_list("id", "search_text")
            )
            if not batch:
                break
            rows = [(int(str(pk)), str(text)) for pk, text in batch]
            await connection.execute_many(_INSERT, [[pk, *columns(text)] for pk, text in rows])
            written += len(rows)
            last = rows[-1][0]
        await ReadModelState.update_or_create(
            name=STATE_NAME, defaults={"fingerprint": fingerprint()}
        )
    await optimize()
    return written


async def ensure_current() -> bool:
    """Rebuild when the index was made by another stemmer or format; True if it did."""
    if not _uses_fts(connections.get("default")) or await _built():
        return False  # PostgreSQL, or the usual start: one read
    count = await rebuild(only_if_stale=True)
    if count < 0:
        return False  # another process did it meanwhile
    logger.info("search index rebuilt (%s): %d translations", fingerprint(), count)
    return True


async def _built() -> bool:
    state = await ReadModelState.get_or_none(name=STATE_NAME)
    return state is not None and state.fingerprint == fingerprint()
