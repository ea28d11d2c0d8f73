from tortoise import migrations
from tortoise.migrations import operations as ops
from contentapi.articles.models import PublicationStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('role', fields.CharField(max_length=32)),
                ('locales', fields.CharField(null=True, max_length=200)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('prefix', fields.CharField(max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_token', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'A bearer token with one role, optionally limited to some locales.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('number', fields.IntField()),
                ('version', fields.IntField()),
                ('title', fields.CharField(max_length=300)),
                ('slug', fields.CharField(max_length=200)),
                ('lead', fields.TextField(null=True, unique=False)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nSCHEDULED: SCHEDULED\nPUBLISHED: PUBLISHED\nUNPUBLISHED: UNPUBLISHED', enum_type=PublicationStatus, max_length=16)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('minor_edit', fields.BooleanField(default=False)),
                ('action', fields.CharField(max_length=32)),
                ('author', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'article_revision', 'app': 'contentapi', 'unique_together': (('article', 'locale', 'number'),), 'pk_attr': 'id', 'table_description': 'Every saved state of a translation: who, when, and every field.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=1000)),
                ('event', fields.CharField(max_length=64)),
                ('payload', fields.TextField(unique=False)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('failed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'contentapi', 'indexes': [Index(fields=['delivered_at', 'failed_at', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'One event for one receiver, retried with backoff until delivered or given up.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Article',
            name='original_locale',
            field=fields.CharField(null=True, max_length=35),
        ),
        ops.AddField(
            model_name='ArticleTranslation',
            name='search_text',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='ArticleTranslation',
            name='source_locale',
            field=fields.CharField(null=True, max_length=35),
        ),
        ops.AddField(
            model_name='ArticleTranslation',
            name='source_version',
            field=fields.IntField(null=True),
        ),
    ]
