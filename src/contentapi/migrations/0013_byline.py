from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('contentapi', '0012_own_locale_listing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ArticleAuthor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='authors', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
                ('name', fields.CharField(max_length=200)),
            ],
            options={'table': 'article_author', 'app': 'contentapi', 'indexes': [Index(fields=['article_id', 'position'])], 'pk_attr': 'id', 'table_description': 'A person in the byline of an article, in display order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleAuthorRole',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('contentapi.ArticleAuthor', source_field='author_id', db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('role', fields.CharField(max_length=200)),
            ],
            options={'table': 'article_author_role', 'app': 'contentapi', 'unique_together': (('author', 'locale'),), 'pk_attr': 'id', 'table_description': 'The role of a byline author in one locale ("juryleiar" in nn, "juryleder" in nb).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleUnit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='units', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('name', fields.CharField(max_length=300)),
            ],
            options={'table': 'article_unit', 'app': 'contentapi', 'unique_together': (('article', 'locale'),), 'pk_attr': 'id', 'table_description': 'The name of the publishing unit of an article in one locale.'},
            bases=['Model'],
        ),
    ]
