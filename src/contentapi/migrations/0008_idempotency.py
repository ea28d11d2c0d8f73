from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0007_content_version')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('scope', fields.CharField(max_length=100)),
                ('operation', fields.CharField(max_length=50)),
                ('key', fields.CharField(max_length=100)),
                ('input_hash', fields.CharField(max_length=64)),
                ('result_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'idempotency_key', 'app': 'contentapi', 'unique_together': (('scope', 'operation', 'key'),), 'indexes': [Index(fields=['created_at'])], 'pk_attr': 'id', 'table_description': "A caller's key for one create, the hash of its input and the id it made."},
            bases=['Model'],
        ),
    ]
