from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0013_byline')]

    initial = False

    operations = [
        ops.CreateModel(
            name='VideoCaption',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('video', fields.ForeignKeyField('contentapi.Video', source_field='video_id', db_constraint=True, to_field='id', related_name='captions', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('file', fields.CharField(max_length=255)),
                ('size', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'video_caption', 'app': 'contentapi', 'unique_together': (('video', 'locale'),), 'pk_attr': 'id', 'table_description': 'A WebVTT caption file for a video in one locale (``file`` as for images).'},
            bases=['Model'],
        ),
    ]
