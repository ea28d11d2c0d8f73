"""Full-text search: the index differs per database (articles/search/index.py says why).

First ``search_text`` is written anew for every translation: it is three lines now
(title, lead, body text) and block elements part words ("<p>a</p><p>b</p>" was "ab").
PostgreSQL then gets a generated ``tsvector`` column (Norwegian stems and exact words,
weighted title A, lead B, body D) with a GIN index; SQLite an FTS5 table, which the app
fills at start (search.index.ensure_current) and a trigger that drops a translation's row
with it.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from contentapi.articles.html import search_text

BATCH = 1000
MAX_INDEXED_BODY = 100_000  # as search.index: tsvector holds at most 1 MB


def _vector(config: str, line: int, weight: str) -> str:
    part = f"split_part(\"search_text\", E'\\n', {line})"
    if line == 3:
        part = f"left({part}, {MAX_INDEXED_BODY})"
    return f"setweight(to_tsvector('{config}'::regconfig, {part}), '{weight}')"


PG_COLUMN = (
    'ALTER TABLE "article_translation" ADD COLUMN "search_vector" tsvector '
    "GENERATED ALWAYS AS ("
    + " || ".join(
        _vector(config, line, weight)
        for line, weight in ((1, "A"), (2, "B"), (3, "D"))
        for config in ("norwegian", "simple")
    )
    + ") STORED"
)
PG_INDEX = (
    'CREATE INDEX "article_translation_search_vector" ON "article_translation" '
    'USING GIN ("search_vector")'
)
SQLITE_TABLE = (
    'CREATE VIRTUAL TABLE "article_search" USING fts5('
    "\"title\", \"lead\", \"body\", tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGER = (
    'CREATE TRIGGER "article_search_gone" AFTER DELETE ON "article_translation" '
    'BEGIN DELETE FROM "article_search" WHERE "rowid" = OLD."id"; END'
)


async def _rewrite_search_text(schema_editor) -> None:
    client = schema_editor.client
    postgres = schema_editor.DIALECT == "postgres"
    select = (
        'SELECT "id", "title", "lead", "body" FROM "article_translation" '
        + ('WHERE "id" > $1 ORDER BY "id" LIMIT $2' if postgres else 'WHERE "id" > ? ORDER BY "id" LIMIT ?')
    )
    update = (
        'UPDATE "article_translation" SET "search_text" = '
        + ('$1 WHERE "id" = $2' if postgres else '? WHERE "id" = ?')
    )
    last = 0
    while True:
        _, rows = await client.execute_query(select, [last, BATCH])
        if not rows:
            return
        values = [
            [search_text(row["title"], row["lead"], row["body"]), row["id"]] for row in rows
        ]
        await client.execute_many(update, values)
        last = rows[-1]["id"]


async def _run(schema_editor, statement: str) -> None:
    """One statement as it is (the SQLite editor splits its text at every ";")."""
    if schema_editor.collect_sql:
        schema_editor.collected_sql.append(statement)
    else:
        await schema_editor.client.execute_query(statement)


async def forward(apps, schema_editor) -> None:
    if not schema_editor.collect_sql:
        await _rewrite_search_text(schema_editor)
    postgres = schema_editor.DIALECT == "postgres"
    for statement in (PG_COLUMN, PG_INDEX) if postgres else (SQLITE_TABLE, SQLITE_TRIGGER):
        await _run(schema_editor, statement)


async def backward(apps, schema_editor) -> None:
    if schema_editor.DIALECT == "postgres":
        statements = (
            'DROP INDEX "article_translation_search_vector"',
            'ALTER TABLE "article_translation" DROP COLUMN "search_vector"',
        )
    else:
        statements = (
            'DROP TRIGGER "article_search_gone"',
            'DROP TABLE "article_search"',
            'DELETE FROM "read_model_state" WHERE "name" = \'article_search\'',
        )
    for statement in statements:
        await _run(schema_editor, statement)


class Migration(migrations.Migration):
    dependencies = [('contentapi', '0008_idempotency')]

    initial = False

    operations = [ops.RunPython(forward, backward)]
