from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0003_comments')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ArticleTranslation',
            name='machine_translated',
            field=fields.BooleanField(default=False),
        ),
    ]
