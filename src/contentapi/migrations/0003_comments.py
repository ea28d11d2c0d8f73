from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0002_editors')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AppSecret',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('value', fields.CharField(max_length=200)),
            ],
            options={'table': 'app_secret', 'app': 'contentapi', 'pk_attr': 'key', 'table_description': 'Secrets the app makes for itself on first start (the salt for client hashes).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Article',
            name='comments_open',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Comment',
            name='body_hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Comment',
            name='client_hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Comment',
            name='flag',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='Comment',
            name='moderated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Comment',
            name='moderated_by',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['client_hash', 'created_at']),
        ),
    ]
