from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0004_machine_translation')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Image',
            name='content_type',
            field=fields.CharField(default='image/jpeg', max_length=50),
        ),
        ops.AddField(
            model_name='Image',
            name='focal_x',
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name='Image',
            name='focal_y',
            field=fields.FloatField(null=True),
        ),
    ]
