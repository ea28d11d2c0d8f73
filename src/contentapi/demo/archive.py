"""A large, deterministic archive of Norwegian municipal news, for benchmarks and trials.

``contentapi load-archive --articles 2000`` fills a database the way a newsroom's archive
looks: every article in Bokmål, 70 % also in Nynorsk, three photos with credits and
per-locale alt texts, one film clip and 15 reader comments (10 approved) each. The texts
are the demo's reviewed topic texts (``demo.content``) with a municipality and figures
filled in; nothing is random and nothing depends on the time, so two loads are equal.
Rows go in through the product's models in batches (the search index with them), then
the article listing is rebuilt.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.connection import connections
from tortoise.models import Model
from tortoise.transactions import in_transaction

from contentapi.articles import listing
from contentapi.articles.html import clean_html, search_text
from contentapi.articles.models import (
    Article,
    ArticleAuthor,
    ArticleAuthorRole,
    ArticleImage,
    ArticleRevision,
    ArticleTag,
    ArticleTranslation,
    ArticleUnit,
    ArticleVideo,
    MediaRole,
    PublicationStatus,
    Tag,
    TagTranslation,
)
from contentapi.articles.search import index as search_index
from contentapi.articles.slugs import slugify
from contentapi.comments.models import Comment, CommentStatus
from contentapi.demo.content import (
    _BOTH,
    _COMMENTS,
    _NB_ONLY,
    _TOPICS,
    TAGS,
    Text,
    in_words,
    municipal_byline,
)
from contentapi.events.outbox import move_content_version
from contentapi.i18n import Locales
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation

BATCH = 500  # articles per transaction
START = datetime(2010, 1, 4, 7, 0, tzinfo=UTC)  # one article an hour: 100,000 end in 2021
IMAGES_PER_ARTICLE = 3
APPROVED_SHARE = 2 / 3  # of the comments
_PLACES = (*_BOTH, *_NB_ONLY)
_CLIP = Text("Filmklipp fra {k} kommune", "Filmklipp frå {k} kommune")
_CAPTION = Text("Bilde {i} av {total} fra {k} kommune.", "Bilete {i} av {total} frå {k} kommune.")


@dataclass(frozen=True)
class ArchiveShape:
    """How big the archive is and what each article carries."""

    articles: int
    comments_per_article: int = 15
    nn_share: float = 0.7


def has_nn(number: int, share: float) -> bool:
    """Whether article ``number`` also has a Nynorsk variant (spread evenly, deterministic)."""
    return (number * 7919) % 1000 < share * 1000


async def load_archive(shape: ArchiveShape, locales: Locales) -> int:
    """Add ``shape.articles`` articles after whatever is there; returns how many."""
    await search_index.ensure_current()  # what follows is indexed as it is written
    tags = await _tags()
    ids = _Ids({model: await _last_id(model) for model in _MODELS})
    for start in range(1, shape.articles + 1, BATCH):
        numbers = range(start, min(start + BATCH, shape.articles + 1))
        rows = _batch(numbers, shape, tags, ids)
        async with in_transaction():
            for model in _MODELS:
                if rows[model]:
                    await model.bulk_create(rows[model], batch_size=1000)
            await search_index.write(rows[ArticleTranslation])  # type: ignore[arg-type]
    await _advance_sequences()
    await listing.rebuild(locales)
    await search_index.optimize()
    await move_content_version()  # running servers forget what they kept
    return shape.articles


async def _advance_sequences() -> None:
    """PostgreSQL: rows came with their ids, so move each id sequence past them."""
    client = connections.get("default")
    if client.capabilities.dialect != "postgres":
        return  # SQLite takes the next id from the table itself
    for model in _MODELS:
        table = model._meta.db_table
        await client.execute_query(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT MAX("id") FROM "{table}"))'
        )


_MODELS: tuple[type[Model], ...] = (
    Article,
    ArticleTranslation,
    ArticleRevision,
    ArticleTag,
    ArticleAuthor,
    ArticleAuthorRole,
    ArticleUnit,
    Image,
    ImageTranslation,
    ArticleImage,
    Video,
    VideoTranslation,
    ArticleVideo,
    Comment,
)


class _Ids:
    """The next primary key per table, so rows can point at each other before insert."""

    def __init__(self, last: dict[type[Model], int]) -> None:
        self.last = last

    def next(self, model: type[Model]) -> int:
        self.last[model] += 1
        return self.last[model]


async def _last_id(model: type[Model]) -> int:
    row = await model.all().order_by("-id").first().only("id")
    return int(row.pk) if row else 0


async def _tags() -> dict[str, Tag]:
    found = {tag.key: tag for tag in await Tag.all()}
    for key, name in TAGS.items():
        if key not in found:
            found[key] = await Tag.create(key=key)
            await TagTranslation.create(tag=found[key], locale="nb", name=name.nb)
            await TagTranslation.create(tag=found[key], locale="nn", name=name.nn)
    return found


def _batch(
    numbers: range, shape: ArchiveShape, tags: dict[str, Tag], ids: _Ids
) -> dict[type[Model], list[Model]]:
    rows: dict[type[Model], list[Model]] = {model: [] for model in _MODELS}
    for number in numbers:
        _article(number, shape, tags, ids, lambda row: rows[type(row)].append(row))
    return rows


def _article(
    number: int,
    shape: ArchiveShape,
    tags: dict[str, Tag],
    ids: _Ids,
    add: Callable[[Model], None],
) -> None:
    topic = _TOPICS[number % len(_TOPICS)]
    place = _PLACES[(number // len(_TOPICS)) % len(_PLACES)]
    values = {
        "k": place,
        "n": in_words(3 + number % 10),  # below 13: in words
        "m": 20 + number % 76,
        "p": 35 + number % 30,
    }
    locales = ("nb", "nn") if has_nn(number, shape.nn_share) else ("nb",)
    published = START + timedelta(hours=number, minutes=(number * 17) % 60)
    updated = published + timedelta(days=number % 5, minutes=(number * 7) % 50)
    article_id = ids.next(Article)
    add(Article(id=article_id, key=f"archive-{number}", original_locale="nb"))

    def fill(text: Text, locale: str, **extra: object) -> str:
        return (text.nb if locale == "nb" else text.nn).format(**values, **extra)

    for locale in locales:
        title = fill(topic.title, locale)
        lead = fill(topic.lead, locale)
        body = clean_html(
            "".join(f"<p>{html.escape(fill(p, locale), quote=False)}</p>" for p in topic.paragraphs)
        )
        translation_id = ids.next(ArticleTranslation)
        source = "nb" if locale == "nn" else None
        common = {"title": title, "slug": f"{slugify(title)}-{number}", "lead": lead, "body": body}
        add(
            ArticleTranslation(
                id=translation_id,
                article_id=article_id,
                locale=locale,
                status=PublicationStatus.PUBLISHED,
                published_at=published,
                updated_at=updated,
                version=1,
                source_locale=source,
                source_version=1 if source else None,
                search_text=search_text(title, lead, body),
                **common,
            )
        )
        add(
            ArticleRevision(
                id=ids.next(ArticleRevision),
                article_id=article_id,
                locale=locale,
                number=1,
                version=1,
                status=PublicationStatus.PUBLISHED,
                published_at=published,
                action="translate" if source else "create",
                author="arkiv",
                created_at=updated,
                **common,
            )
        )
    for position, key in enumerate(topic.tags):
        add(
            ArticleTag(
                id=ids.next(ArticleTag),
                article_id=article_id,
                tag_id=tags[key].id,
                position=position,
            )
        )
    byline = municipal_byline(number, place)
    for position, person in enumerate(byline.authors):
        author_id = ids.next(ArticleAuthor)
        add(ArticleAuthor(id=author_id, article_id=article_id, position=position, name=person.name))
        for locale in locales if person.role is not None else ():
            assert person.role is not None
            add(
                ArticleAuthorRole(
                    id=ids.next(ArticleAuthorRole),
                    author_id=author_id,
                    locale=locale,
                    role=fill(person.role, locale),
                )
            )
    for locale in locales:
        add(
            ArticleUnit(
                id=ids.next(ArticleUnit),
                article_id=article_id,
                locale=locale,
                name=fill(byline.unit, locale),
            )
        )
    for n in range(1, IMAGES_PER_ARTICLE + 1):
        image_id = ids.next(Image)
        add(
            Image(
                id=image_id,
                key=f"archive-{number}-{n}",
                file=f"archive/{number}-{n}.jpg",
                width=1600,
                height=900,
                credit=f"Foto: {place} kommune",
                created_at=published,
            )
        )
        for locale in locales:
            caption = fill(_CAPTION, locale, i=n, total=IMAGES_PER_ARTICLE)
            add(
                ImageTranslation(
                    id=ids.next(ImageTranslation),
                    image_id=image_id,
                    locale=locale,
                    alt=fill(topic.alt, locale),
                    caption=caption,
                )
            )
        role = MediaRole.LEAD if n == 1 else MediaRole.INLINE
        add(
            ArticleImage(
                id=ids.next(ArticleImage),
                article_id=article_id,
                image_id=image_id,
                role=role,
                position=n - 1,
            )
        )
    video_id = ids.next(Video)
    add(
        Video(
            id=video_id,
            key=f"archive-{number}",
            url=f"https://media.example.org/arkiv/{number}.mp4",
            credit=f"Video: {place} kommune",
            created_at=published,
        )
    )
    for locale in locales:
        add(
            VideoTranslation(
                id=ids.next(VideoTranslation),
                video_id=video_id,
                locale=locale,
                title=fill(_CLIP, locale),
            )
        )
    add(ArticleVideo(id=ids.next(ArticleVideo), article_id=article_id, video_id=video_id))
    approved = round(shape.comments_per_article * APPROVED_SHARE)
    for j in range(shape.comments_per_article):
        locale = locales[j % len(locales)]
        author, email, text = _COMMENTS[locale][(number + j) % len(_COMMENTS[locale])]
        add(
            Comment(
                id=ids.next(Comment),
                article_id=article_id,
                locale=locale,
                author_name=author,
                email=email,
                body=text,
                status=CommentStatus.APPROVED if j < approved else CommentStatus.PENDING,
                created_at=published + timedelta(minutes=40 * (j + 1)),
            )
        )
