from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0011_editor_sort')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ArticleListing',
            index=Index(fields=['requested_locale', 'rank', 'published_at', 'article_id']),
        ),
    ]
