from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0006_read_model')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'content_version', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'One row: a number every write that readers can see moves on, in its transaction.'},
            bases=['Model'],
        ),
        # the one row, so a write only ever updates it
        ops.RunSQL(
            'INSERT INTO "content_version" ("id", "version") VALUES (1, 0)',
            reverse_sql='DELETE FROM "content_version" WHERE "id" = 1',
        ),
    ]
