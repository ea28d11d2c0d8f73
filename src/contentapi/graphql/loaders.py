"""Per-request DataLoaders, named by what they load and by which key.

A fresh set is made for every request (in the context), so nothing is cached
across requests, and each kind of row costs one query per request.

A list resolver loads, for the whole page at once, what its selection will need
(:func:`prefetch`); the fields below it then read the loaders with :func:`soon`, which
answers at once when the value is there. A field that answers at once costs graphql-core
no awaitable, which is most of the price of a field.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from datetime import datetime
from typing import TypeAlias, TypeVar

from strawberry.dataloader import DataLoader

from contentapi.articles import attachments, bylines
from contentapi.articles import queries as articles
from contentapi.articles.attachments import Attached
from contentapi.articles.models import Article, ArticleTranslation, MediaRole, Tag
from contentapi.comments import queries as comments
from contentapi.comments.models import Comment
from contentapi.i18n import LocaleChain
from contentapi.media import queries as media
from contentapi.media.models import Image, Video
from contentapi.media.queries import CaptionFile, ImageText, VideoText

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")
Soon: TypeAlias = R | Awaitable[R]  # a value now, or one to await


def soon(loader: DataLoader[K, V], key: K, then: Callable[[V], Soon[R]]) -> Soon[R]:
    """``then`` of the loaded value: at once when the loader has it, else an awaitable."""
    future = loader.cache_map.get(key)
    if future is not None and future.done() and future.exception() is None:
        return then(future.result())

    async def later() -> R:
        return await settled(then(await loader.load(key)))

    return later()


async def load_now(loader: DataLoader[K, V], keys: Sequence[K]) -> None:
    """Run the loader's batch for ``keys`` it does not hold yet, at once, and keep the results.

    For a resolver that knows what its children will read (see ``prefetch``): the same
    batch function, without the loader's dispatch task.
    """
    missing = list(dict.fromkeys(k for k in keys if loader.cache_map.get(k) is None))
    if missing:
        values = await loader.load_fn(missing)
        found = zip(missing, values, strict=True)
        loader.prime_many({k: v for k, v in found if not isinstance(v, BaseException)})


async def settled(value: Soon[R]) -> R:
    """The value of a :func:`soon`, awaited if it had to be."""
    if inspect.isawaitable(value):
        return await value
    return value


CommentPageKey = tuple[int, int, comments.CommentKey | None]  # article id, first, after
RelatedKey = tuple[int, LocaleChain, int]  # article id, the chain it is served for, first


def _by_key(
    fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]], missing: Callable[[], V]
) -> DataLoader[K, V]:
    async def load(keys: list[K]) -> list[V]:
        found = await fetch(keys)
        return [found.get(key, missing()) for key in keys]

    return DataLoader(load_fn=load)


def _optional(fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]]) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found = await fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """Every loader one request may use."""

    def __init__(self, now: datetime) -> None:
        self.translations_by_article_id: DataLoader[int, dict[str, ArticleTranslation]] = _by_key(
            lambda ids: articles.visible_translations(ids, now), dict
        )
        self.editable_translations_by_article_id: DataLoader[int, dict[str, ArticleTranslation]] = (
            _by_key(articles.editable_translations, dict)
        )
        self.article_by_id: DataLoader[int, Article | None] = _optional(articles.articles_by_id)
        self.tags_by_article_id: DataLoader[int, list[tuple[Tag, dict[str, str]]]] = _by_key(
            articles.attached_tags, list
        )
        self.body_by_translation_id: DataLoader[int, str] = _by_key(articles.bodies, str)
        self.tag_names_by_tag_id: DataLoader[int, dict[str, str]] = _by_key(
            articles.tag_names, dict
        )
        self.images_by_article_id: DataLoader[int, list[Attached[Image, ImageText]]] = _by_key(
            attachments.attached_images, list
        )
        self.lead_images_by_article_id: DataLoader[int, list[Attached[Image, ImageText]]] = _by_key(
            lambda ids: attachments.attached_images(ids, MediaRole.LEAD), list
        )
        self.videos_by_article_id: DataLoader[int, list[Attached[Video, VideoText]]] = _by_key(
            attachments.attached_videos, list
        )
        self.image_by_id: DataLoader[int, Image | None] = _optional(media.images)
        self.image_texts_by_image_id: DataLoader[int, dict[str, ImageText]] = _by_key(
            media.image_texts, dict
        )
        self.video_texts_by_video_id: DataLoader[int, dict[str, VideoText]] = _by_key(
            media.video_texts, dict
        )
        self.captions_by_video_id: DataLoader[int, list[CaptionFile]] = _by_key(
            media.video_captions, list
        )
        self.approved_count_by_article_id: DataLoader[int, int] = _by_key(
            comments.approved_counts, int
        )
        self.approved_comments_by_page: DataLoader[CommentPageKey, list[Comment]] = DataLoader(
            load_fn=self._comment_pages
        )
        self.byline_by_article_id: DataLoader[int, bylines.Byline] = _by_key(
            bylines.bylines, lambda: bylines.Byline([], {})
        )
        self.now = now
        self.related_by_article: DataLoader[RelatedKey, list[ArticleTranslation]] = DataLoader(
            load_fn=self._related
        )

    async def _related(self, keys: list[RelatedKey]) -> list[list[ArticleTranslation]]:
        # one statement per chain and page size (a page of articles shares both)
        groups: dict[tuple[LocaleChain, int], list[int]] = defaultdict(list)
        for article_id, chain, first in keys:
            groups[(chain, first)].append(article_id)
        found: dict[RelatedKey, list[ArticleTranslation]] = {}
        for (chain, first), article_ids in groups.items():
            rows = await articles.related_articles(article_ids, chain, self.now, first)
            for article_id in article_ids:
                found[(article_id, chain, first)] = rows.get(article_id, [])
        return [found[key] for key in keys]

    async def _comment_pages(self, keys: list[CommentPageKey]) -> list[list[Comment]]:
        # Keys that share page arguments are fetched together, one query per shape; the
        # totals that come along answer commentCount without a statement of its own.
        groups: dict[tuple[int, comments.CommentKey | None], list[int]] = defaultdict(list)
        for article_id, first, after in keys:
            groups[(first, after)].append(article_id)
        pages: dict[CommentPageKey, list[Comment]] = {}
        for (first, after), article_ids in groups.items():
            found = await comments.approved_page(article_ids, first, after)
            for article_id in article_ids:
                pages[(article_id, first, after)] = found.pages[article_id]
            self.approved_count_by_article_id.prime_many(found.totals)  # keeps known ones
        return [pages[key] for key in keys]
