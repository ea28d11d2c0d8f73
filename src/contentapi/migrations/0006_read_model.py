from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0005_media')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ArticleListing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('requested_locale', fields.CharField(max_length=35)),
                ('article_id', fields.IntField()),
                ('translation', fields.ForeignKeyField('contentapi.ArticleTranslation', source_field='translation_id', db_constraint=True, to_field='id', related_name='listings', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('rank', fields.IntField()),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('shadowed_from', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'article_listing', 'app': 'contentapi', 'unique_together': (('requested_locale', 'article_id', 'rank'),), 'indexes': [Index(fields=['requested_locale', 'published_at', 'article_id', 'shadowed_from']), Index(fields=['requested_locale', 'updated_at', 'article_id'])], 'pk_attr': 'id', 'table_description': 'The read model of article lists: which translation each requested locale serves.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReadModelState',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('fingerprint', fields.CharField(max_length=2000)),
            ],
            options={'table': 'read_model_state', 'app': 'contentapi', 'pk_attr': 'name', 'table_description': 'What a derived table was last built for (a fingerprint of the configuration).'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='ArticleTag',
            index=Index(fields=['tag_id', 'article_id']),
        ),
    ]
