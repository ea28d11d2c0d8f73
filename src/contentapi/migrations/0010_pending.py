from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0009_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ArticlePending',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('translation', fields.OneToOneField('contentapi.ArticleTranslation', source_field='translation_id', db_constraint=True, to_field='id', related_name='pending', on_delete=OnDelete.CASCADE)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='pending_changes', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=300)),
                ('slug', fields.CharField(max_length=200)),
                ('lead', fields.TextField(null=True, unique=False)),
                ('body', fields.TextField(unique=False)),
                ('version', fields.IntField()),
                ('base_version', fields.IntField()),
                ('source_locale', fields.CharField(null=True, max_length=35)),
                ('source_version', fields.IntField(null=True)),
                ('machine_translated', fields.BooleanField(default=False)),
                ('author', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('publish_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'article_pending', 'app': 'contentapi', 'indexes': [Index(fields=['publish_at'])], 'pk_attr': 'id', 'table_description': 'Changes to a live translation kept for review ("changed", as Contentful says).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ArticleRevision',
            name='pending',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddIndex(
            model_name='ArticleTranslation',
            index=Index(fields=['locale', 'updated_at']),
        ),
        ops.AddIndex(
            model_name='ArticleTranslation',
            index=Index(fields=['locale', 'status', 'updated_at']),
        ),
        ops.AddIndex(
            model_name='Image',
            index=Index(fields=['created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Video',
            index=Index(fields=['created_at', 'id']),
        ),
    ]
