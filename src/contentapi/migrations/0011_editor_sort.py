from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0010_pending')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ArticleRevision',
            index=Index(fields=['author', 'locale', 'article_id']),
        ),
        # the editor list's publication order (editorial.sort_column): a never-published
        # translation sorts by its last change; the same SQL on SQLite and PostgreSQL
        ops.RunSQL(
            'CREATE INDEX "idx_article_tr_editor_published" ON "article_translation" '
            '("locale", (COALESCE("published_at", "updated_at")), "article_id")',
            reverse_sql='DROP INDEX "idx_article_tr_editor_published"',
        ),
    ]
