from tortoise import migrations
from tortoise.migrations import operations as ops
from contentapi.articles.models import PublicationStatus
from contentapi.comments.models import CommentStatus
from contentapi.articles.models import MediaRole
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Article',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(null=True, unique=True, max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'article', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'The article itself, which holds no language (nb and nn are peers).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('title', fields.CharField(max_length=300)),
                ('slug', fields.CharField(max_length=200)),
                ('lead', fields.TextField(null=True, unique=False)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=PublicationStatus.DRAFT, description='DRAFT: DRAFT\nSCHEDULED: SCHEDULED\nPUBLISHED: PUBLISHED\nUNPUBLISHED: UNPUBLISHED', enum_type=PublicationStatus, max_length=16)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'article_translation', 'app': 'contentapi', 'unique_together': (('article', 'locale'), ('locale', 'slug')), 'indexes': [Index(fields=['locale', 'status', 'published_at'])], 'pk_attr': 'id', 'table_description': "One locale's version of an article."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('author_name', fields.CharField(max_length=100)),
                ('email', fields.CharField(max_length=254)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=CommentStatus.PENDING, description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED\nSPAM: SPAM', enum_type=CommentStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'comment', 'app': 'contentapi', 'indexes': [Index(fields=['article_id', 'status', 'created_at'])], 'pk_attr': 'id', 'table_description': "A reader's comment, in the locale it was written in."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Image',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(null=True, unique=True, max_length=100)),
                ('file', fields.CharField(max_length=255)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('credit', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'image', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'A stored picture. ``file`` is relative to the media folder.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleImage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='image_links', on_delete=OnDelete.CASCADE)),
                ('image', fields.ForeignKeyField('contentapi.Image', source_field='image_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharEnumField(description='LEAD: LEAD\nINLINE: INLINE\nGALLERY: GALLERY', enum_type=MediaRole, max_length=16)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_image', 'app': 'contentapi', 'unique_together': (('article', 'image'),), 'pk_attr': 'id', 'table_description': 'An image used in an article, with its role and order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImageTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('image', fields.ForeignKeyField('contentapi.Image', source_field='image_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('alt', fields.CharField(max_length=500)),
                ('caption', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'image_translation', 'app': 'contentapi', 'unique_together': (('image', 'locale'),), 'pk_attr': 'id', 'table_description': "An image's alt text and caption in one locale."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Tag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=100)),
            ],
            options={'table': 'tag', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'A subject, with a name per locale.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='tag_links', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('contentapi.Tag', source_field='tag_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_tag', 'app': 'contentapi', 'unique_together': (('article', 'tag'),), 'pk_attr': 'id', 'table_description': "An article's tag, in display order."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TagTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tag', fields.ForeignKeyField('contentapi.Tag', source_field='tag_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('name', fields.CharField(max_length=100)),
            ],
            options={'table': 'tag_translation', 'app': 'contentapi', 'unique_together': (('tag', 'locale'),), 'pk_attr': 'id', 'table_description': "A tag's name in one locale."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Video',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(null=True, unique=True, max_length=100)),
                ('url', fields.CharField(max_length=1000)),
                ('embed_url', fields.CharField(null=True, max_length=1000)),
                ('duration_seconds', fields.IntField(null=True)),
                ('credit', fields.CharField(null=True, max_length=200)),
                ('thumbnail', fields.ForeignKeyField('contentapi.Image', source_field='thumbnail_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'video', 'app': 'contentapi', 'pk_attr': 'id', 'table_description': 'A film clip hosted elsewhere (a provider page or a direct file).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ArticleVideo',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('contentapi.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='video_links', on_delete=OnDelete.CASCADE)),
                ('video', fields.ForeignKeyField('contentapi.Video', source_field='video_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharEnumField(default=MediaRole.INLINE, description='LEAD: LEAD\nINLINE: INLINE\nGALLERY: GALLERY', enum_type=MediaRole, max_length=16)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'article_video', 'app': 'contentapi', 'unique_together': (('article', 'video'),), 'pk_attr': 'id', 'table_description': 'A video used in an article, with its order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VideoTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('video', fields.ForeignKeyField('contentapi.Video', source_field='video_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('title', fields.CharField(max_length=300)),
                ('caption', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'video_translation', 'app': 'contentapi', 'unique_together': (('video', 'locale'),), 'pk_attr': 'id', 'table_description': "A video's title and caption in one locale."},
            bases=['Model'],
        ),
    ]
