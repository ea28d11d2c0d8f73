"""GraphQL types for articles, their translations and tags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from contentapi.articles import queries
from contentapi.articles.models import ArticleRevision, ArticleTranslation
from contentapi.articles.models import PublicationStatus as PublicationStatusEnum
from contentapi.articles.models import Tag as TagRow
from contentapi.articles.queries import ArticleOrder as ArticleOrderEnum
from contentapi.articles.queries import effective_status
from contentapi.auth.permissions import Action
from contentapi.comments.queries import CommentKey
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.comments.types import CommentConnection, comment_connection
from contentapi.graphql.i18n.types import format_date_field, local_time
from contentapi.graphql.media.types import Image, Video, build_images, build_videos
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import (
    Node,
    PageInfo,
    check_page_args,
    decode_cursor,
    moment_and_pk,
    to_global_id,
)
from contentapi.i18n import DateStyle, Resolved, format_count, pick
from contentapi.media.models import MediaRole as MediaRoleEnum

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

PublicationStatus = strawberry.enum(PublicationStatusEnum, description="State of a translation.")
ArticleOrder = strawberry.enum(ArticleOrderEnum, description="Orderings of article lists.")
COMMENT_COUNT_KEY = "comments.count"
COMMENT_CURSOR = "comment"


@strawberry.type(description="One published translation of an article.")
class TranslationInfo:
    """What a frontend needs for hreflang alternates and a language switch."""

    locale: str = strawberry.field(description="Locale of the translation.")
    slug: str = strawberry.field(description="Slug in that locale.")
    title: str = strawberry.field(description="Title in that locale.")
    status: PublicationStatusEnum = strawberry.field(description="Publication state.")
    outdated: bool = strawberry.field(
        description="The source changed after this translation was made."
    )
    machine_translated: bool = strawberry.field(
        description="Made by machine translation and not yet saved by a person."
    )


def is_outdated(row: ArticleTranslation, every: dict[str, ArticleTranslation]) -> bool:
    """The source changed after this translation was made from it."""
    if row.source_locale is None or row.source_version is None:
        return False
    source = every.get(row.source_locale)
    return source is not None and source.version > row.source_version


@strawberry.type(description="A saved state of one translation.")
class Revision:
    """Who saved what, when."""

    number: int = strawberry.field(description="1, 2, 3 ... per article and locale.")
    locale: str = strawberry.field(description="Locale of the translation.")
    version: int = strawberry.field(description="Translation version this saved.")
    action: str = strawberry.field(description="create, update, translate or revert.")
    author: str = strawberry.field(description="Name of the token that saved it.")
    minor_edit: bool = strawberry.field(description="Saved as a minor edit.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    title: str = strawberry.field(description="Title then.")
    slug: str = strawberry.field(description="Slug then.")
    lead: str | None = strawberry.field(description="Lead then.")
    body: str = strawberry.field(description="Body then.")
    status: PublicationStatusEnum = strawberry.field(description="Status then.")

    @classmethod
    def from_row(cls, ctx: Context, row: ArticleRevision) -> Revision:
        """The GraphQL view of a stored revision."""
        return cls(
            number=row.number,
            locale=row.locale,
            version=row.version,
            action=row.action,
            author=row.author,
            minor_edit=row.minor_edit,
            created_at=local_time(ctx, row.created_at),
            title=row.title,
            slug=row.slug,
            lead=row.lead,
            body=row.body,
            status=PublicationStatusEnum(row.status),
        )


@strawberry.type(description="A subject an article is tagged with.")
class Tag(Node):
    """A tag, its name resolved for the requested locale's chain."""

    row: strawberry.Private[TagRow]
    resolved_name: strawberry.Private[Resolved[str] | None]
    requested_locale: strawberry.Private[str]

    @strawberry.field(description="Global id.")
    def id(self) -> strawberry.ID:
        return to_global_id("Tag", self.row.id)

    @strawberry.field(description="Stable key, the same in every locale; use it to filter.")
    def key(self) -> str:
        return self.row.key

    @strawberry.field(description="Name in the locale (the key when no locale has a name).")
    def name(self) -> str:
        return self.resolved_name.value if self.resolved_name else self.row.key

    @strawberry.field(description="Locale of the name.")
    def locale(self) -> str:
        return self.resolved_name.locale if self.resolved_name else self.requested_locale

    @strawberry.field(description="The name came from a fallback locale.")
    def is_fallback(self) -> bool:
        return self.resolved_name.is_fallback if self.resolved_name else False


async def build_tags(ctx: Context, rows: Sequence[TagRow], chain: tuple[str, ...]) -> list[Tag]:
    """Tags with their names picked for ``chain``, in one batched load."""
    names = await ctx.loaders.tag_names_by_tag_id.load_many([row.id for row in rows])
    return [
        Tag(row=row, resolved_name=pick(found, chain), requested_locale=chain[0])
        for row, found in zip(rows, names, strict=True)
    ]


@strawberry.type(description="An article, resolved for the requested locale.")
class Article(Node):
    """An article's translation chosen by the fallback chain of the requested locale."""

    resolved: strawberry.Private[Resolved[ArticleTranslation]]
    chain: strawberry.Private[tuple[str, ...]]
    preview: strawberry.Private[bool] = False  # drafts count (editors and translators)

    @property
    def row(self) -> ArticleTranslation:
        """The translation shown."""
        return self.resolved.value

    @strawberry.field(description="Global id (the same in every locale).")
    def id(self) -> strawberry.ID:
        return to_global_id("Article", self.row.article_id)

    @strawberry.field(description="Locale of the content returned.")
    def locale(self) -> str:
        return self.resolved.locale

    @strawberry.field(description="Locale that was asked for.")
    def requested_locale(self) -> str:
        return self.resolved.requested_locale

    @strawberry.field(description="The content is in a fallback locale.")
    def is_fallback(self) -> bool:
        return self.resolved.is_fallback

    async def _visible(self, info: strawberry.Info[Context]) -> dict[str, ArticleTranslation]:
        loaders = info.context.loaders
        if self.preview:
            return await loaders.editable_translations_by_article_id.load(self.row.article_id)
        return await loaders.translations_by_article_id.load(self.row.article_id)

    @strawberry.field(description="Locales with a published translation (any, in preview).")
    async def available_locales(self, info: strawberry.Info[Context]) -> list[str]:
        visible = await self._visible(info)
        return [code for code in info.context.runtime.locales.codes if code in visible]

    @strawberry.field(
        description="Every published translation (every one, in preview), for hreflang links."
    )
    async def translations(self, info: strawberry.Info[Context]) -> list[TranslationInfo]:
        visible = await self._visible(info)
        # outdated compares with the source as it is now, published or not
        every = visible
        if any(r.source_locale and r.source_locale not in visible for r in visible.values()):
            loader = info.context.loaders.editable_translations_by_article_id
            every = await loader.load(self.row.article_id)
        return [
            TranslationInfo(
                locale=code,
                slug=visible[code].slug,
                title=visible[code].title,
                status=effective_status(visible[code], info.context.now),
                outdated=is_outdated(visible[code], every),
                machine_translated=visible[code].machine_translated,
            )
            for code in info.context.runtime.locales.codes
            if code in visible
        ]

    @strawberry.field(
        description="Saved states of this article, newest first (editors and translators).",
        permission_classes=[requires(Action.PREVIEW)],
    )
    async def revisions(
        self, info: strawberry.Info[Context], locale: str | None = None
    ) -> list[Revision]:
        ctx = info.context
        code = ctx.locale(locale) if locale is not None else None
        rows = await queries.revisions(self.row.article_id, code)
        return [Revision.from_row(ctx, row) for row in rows]

    @strawberry.field(description="Title.")
    def title(self) -> str:
        return self.row.title

    @strawberry.field(description="URL slug, unique per locale.")
    def slug(self) -> str:
        return self.row.slug

    @strawberry.field(description="Lead paragraph (ingress).")
    def lead(self) -> str | None:
        return self.row.lead

    @strawberry.field(description="Body as sanitised HTML.")
    def body(self) -> str:
        return self.row.body

    @strawberry.field(description="First publication (ISO 8601 with offset).")
    def published_at(self, info: strawberry.Info[Context]) -> datetime | None:
        moment = self.row.published_at
        return local_time(info.context, moment) if moment else None

    @strawberry.field(description="Last content change, 'Sist endret' (ISO 8601 with offset).")
    def updated_at(self, info: strawberry.Info[Context]) -> datetime:
        return local_time(info.context, self.row.updated_at)

    @strawberry.field(
        description="Publication date written for the locale; nb SITE: '08. jun 2018'."
    )
    def published(
        self,
        info: strawberry.Info[Context],
        format: DateStyle | None = DateStyle.SITE,
        pattern: str | None = None,
    ) -> str | None:
        return format_date_field(
            info.context, self.row.published_at, self.resolved.requested_locale, format, pattern
        )

    @strawberry.field(description="Last change written for the locale; nb SITE: '04. mar 2019'.")
    def updated(
        self,
        info: strawberry.Info[Context],
        format: DateStyle | None = DateStyle.SITE,
        pattern: str | None = None,
    ) -> str | None:
        return format_date_field(
            info.context, self.row.updated_at, self.resolved.requested_locale, format, pattern
        )

    @strawberry.field(description="The lead picture.")
    async def lead_image(self, info: strawberry.Info[Context]) -> Image | None:
        links = await info.context.loaders.image_links_by_article_id.load(self.row.article_id)
        lead = [link.image for link in links if link.role is MediaRoleEnum.LEAD][:1]
        images = await build_images(info.context, lead, self.chain)
        return images[0] if images else None

    @strawberry.field(description="Pictures in display order; role narrows them.")
    async def images(
        self, info: strawberry.Info[Context], role: MediaRoleEnum | None = None
    ) -> list[Image]:
        links = await info.context.loaders.image_links_by_article_id.load(self.row.article_id)
        rows = [link.image for link in links if role is None or link.role == role]
        return await build_images(info.context, rows, self.chain)

    @strawberry.field(description="Film clips in display order.")
    async def videos(self, info: strawberry.Info[Context]) -> list[Video]:
        links = await info.context.loaders.video_links_by_article_id.load(self.row.article_id)
        return await build_videos(info.context, [link.video for link in links], self.chain)

    @strawberry.field(description="Tags in display order.")
    async def tags(self, info: strawberry.Info[Context]) -> list[Tag]:
        links = await info.context.loaders.tag_links_by_article_id.load(self.row.article_id)
        return await build_tags(info.context, [link.tag for link in links], self.chain)

    @strawberry.field(description="Approved comments, oldest first; 20 by default, at most 100.")
    async def comments(
        self, info: strawberry.Info[Context], first: int | None = None, after: str | None = None
    ) -> CommentConnection:
        ctx = info.context
        page = check_page_args(first, None)
        key = None
        if after is not None:
            found = moment_and_pk(decode_cursor(after, COMMENT_CURSOR, "after"))
            if found is None:
                raise DomainError(ErrorCode.BAD_REQUEST, "Invalid cursor in 'after'", "after")
            key = CommentKey(*found)
        rows = await ctx.loaders.approved_comments_by_page.load(
            (self.row.article_id, page.size, key)
        )
        total = await ctx.loaders.approved_count_by_article_id.load(self.row.article_id)
        return comment_connection(
            rows, page.size, after, COMMENT_CURSOR, self.resolved.requested_locale, total
        )

    @strawberry.field(description="Readers may post comments.")
    async def comments_open(self, info: strawberry.Info[Context]) -> bool:
        article = await info.context.loaders.article_by_id.load(self.row.article_id)
        return bool(article and article.comments_open)

    @strawberry.field(description="Number of approved comments.")
    async def comment_count(self, info: strawberry.Info[Context]) -> int:
        return await info.context.loaders.approved_count_by_article_id.load(self.row.article_id)

    @strawberry.field(description="The count as words, plural-aware: nn '3 kommentarar'.")
    async def comment_count_label(self, info: strawberry.Info[Context]) -> str:
        ctx = info.context
        count = await ctx.loaders.approved_count_by_article_id.load(self.row.article_id)
        locale = self.resolved.requested_locale
        found = ctx.runtime.catalogs.lookup(COMMENT_COUNT_KEY, ctx.chain(locale), count)
        if found is None:
            return format_count(count, locale)
        return found.text.replace("%(count)s", format_count(count, found.locale))

    @strawberry.field(description="Version of this translation; writes must name it.")
    def version(self) -> int:
        return self.row.version


@strawberry.type(description="An edge in an article list.")
class ArticleEdge:
    """An article and its cursor."""

    cursor: str = strawberry.field(description="Opaque cursor of this article.")
    node: Article = strawberry.field(description="The article.")


@strawberry.type(description="A page of articles.")
class ArticleConnection:
    """Relay connection of articles."""

    edges: list[ArticleEdge] = strawberry.field(description="The articles on this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="Articles matching, on every page.")


@strawberry.input(description="Narrowing of an article list.")
class ArticleFilter:
    """Every part is optional; the parts combine with AND."""

    tag: str | None = strawberry.field(default=None, description="Tag key.")
    published_after: datetime | None = strawberry.field(
        default=None, description="Published at or after this moment."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published before this moment."
    )
    updated_after: datetime | None = strawberry.field(
        default=None, description="Changed at or after this moment."
    )
    updated_before: datetime | None = strawberry.field(
        default=None, description="Changed before this moment."
    )
