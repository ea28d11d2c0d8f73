"""GraphQL types for articles, their translations and tags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

import strawberry

from contentapi.articles import queries, reading
from contentapi.articles.attachments import Attached
from contentapi.articles.bylines import Byline as BylineRow
from contentapi.articles.models import ArticleRevision, ArticleTranslation
from contentapi.articles.models import MediaRole as MediaRoleEnum
from contentapi.articles.models import PublicationStatus as PublicationStatusEnum
from contentapi.articles.models import Tag as TagRow
from contentapi.articles.pending import has_pending
from contentapi.articles.queries import ArticleOrder as ArticleOrderEnum
from contentapi.articles.queries import effective_status
from contentapi.articles.revisions import is_outdated
from contentapi.auth.permissions import Action
from contentapi.comments.models import Comment as CommentRow
from contentapi.comments.queries import CommentKey
from contentapi.errors import DomainError, ErrorCode
from contentapi.graphql.articles.tags import Tag, tag_from
from contentapi.graphql.comments.types import CommentConnection, comment_connection
from contentapi.graphql.i18n.types import format_date_field, local_time, zone
from contentapi.graphql.loaders import CommentPageKey, Soon, settled, soon
from contentapi.graphql.media.types import Image, Video, image_from, video_from
from contentapi.graphql.permissions import requires
from contentapi.graphql.relay import (
    Node,
    check_page_args,
    keyset,
    to_global_id,
)
from contentapi.i18n import DateStyle, LocaleChain, Resolved, format_count, pick
from contentapi.media.models import Image as ImageRow
from contentapi.media.models import Video as VideoRow
from contentapi.media.queries import ImageText, VideoText

if TYPE_CHECKING:
    from contentapi.graphql.context import Context

R = TypeVar("R")

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
    has_pending_changes: bool = strawberry.field(
        description="Changes wait for review; preview shows them (always false for readers)."
    )


@strawberry.type(description="A language version of an article's page, for hreflang links.")
class Alternate:
    """``<link rel="alternate" hreflang="{locale}" href="{url}">``."""

    locale: str = strawberry.field(
        description="The hreflang: a locale with a published translation, or 'x-default'."
    )
    url: str = strawberry.field(description="The page on the public site.")


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
    pending: bool = strawberry.field(
        description="Saved as pending changes of the live text (readers did not see it)."
    )

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
            pending=row.pending,
        )


@strawberry.type(description="A person in an article's byline.")
class BylineAuthor:
    """A name (the same in every locale) and a role picked through the locale's chain."""

    name: str = strawberry.field(description="The person's name.")
    role: str | None = strawberry.field(
        description="Role or title in the locale ('juryleiar' in nn); null when none is given."
    )
    role_locale: str | None = strawberry.field(description="Locale of the role text.")


@strawberry.type(description="The unit that publishes an article (a ministry, a directorate).")
class PublishingUnit:
    """Its name picked through the locale's chain."""

    name: str = strawberry.field(
        description="Name in the locale: 'Kommunal- og moderniseringsdepartementet'."
    )
    locale: str = strawberry.field(description="Locale of the name.")
    is_fallback: bool = strawberry.field(description="The name came from a fallback locale.")


@strawberry.type(description="Who wrote an article and who publishes it.")
class Byline:
    """Authors in display order, and the publishing unit."""

    authors: list[BylineAuthor] = strawberry.field(description="Authors in display order.")
    unit: PublishingUnit | None = strawberry.field(description="The publishing unit, if any.")


def byline_from(row: BylineRow, chain: tuple[str, ...]) -> Byline:
    """A byline with its roles and unit name picked for ``chain``."""
    authors = []
    for author in row.authors:
        role = pick(author.roles, chain)
        authors.append(
            BylineAuthor(
                name=author.name,
                role=role.value if role else None,
                role_locale=role.locale if role else None,
            )
        )
    unit = pick(row.unit, chain)
    return Byline(
        authors=authors,
        unit=PublishingUnit(name=unit.value, locale=unit.locale, is_fallback=unit.is_fallback)
        if unit
        else None,
    )


@strawberry.type(description="An article, resolved for the requested locale.")
class Article(Node):
    """An article's translation chosen by the fallback chain of the requested locale."""

    resolved: strawberry.Private[Resolved[ArticleTranslation]]
    chain: strawberry.Private[tuple[str, ...]]
    # plain values, copied from the row when the object is made (see ``of``): a field
    # without a resolver costs Strawberry and graphql-core the least
    locale: str = strawberry.field(description="Locale of the content returned.")
    requested_locale: str = strawberry.field(description="Locale that was asked for.")
    is_fallback: bool = strawberry.field(description="The content is in a fallback locale.")
    title: str = strawberry.field(description="Title.")
    slug: str = strawberry.field(description="URL slug, unique per locale.")
    lead: str | None = strawberry.field(description="Lead paragraph (ingress).")
    version: int = strawberry.field(description="Version of this translation; writes must name it.")
    published_at: datetime | None = strawberry.field(
        description="First publication (ISO 8601 with offset)."
    )
    updated_at: datetime = strawberry.field(
        description="Last content change, 'Sist endret' (ISO 8601 with offset)."
    )
    has_pending_changes: bool = strawberry.field(
        description=(
            "Preview shows pending changes; readers still see the live text (false outside "
            "preview)."
        )
    )
    preview: strawberry.Private[bool] = False  # drafts count (editors and translators)

    @classmethod
    def of(
        cls,
        resolved: Resolved[ArticleTranslation],
        chain: tuple[str, ...],
        zone: ZoneInfo,
        preview: bool = False,
    ) -> Article:
        """The article as shown: ``resolved`` is the translation the chain picked."""
        row = resolved.value
        published = row.published_at
        return cls(
            resolved=resolved,
            chain=chain,
            locale=resolved.locale,
            requested_locale=resolved.requested_locale,
            is_fallback=resolved.is_fallback,
            title=row.title,
            slug=row.slug,
            lead=row.lead,
            version=row.version,
            published_at=published.astimezone(zone) if published else None,
            updated_at=row.updated_at.astimezone(zone),
            has_pending_changes=has_pending(row),
            preview=preview,
        )

    @property
    def row(self) -> ArticleTranslation:
        """The translation shown."""
        return self.resolved.value

    @strawberry.field(
        description=(
            "Global id of the article as resolved for the requested locale: one id per "
            "language, so normalised client caches never mix them. Arguments that take an "
            "article id accept it and the plain id alike."
        )
    )
    def id(self) -> strawberry.ID:
        return to_global_id("Article", self.row.article_id, self.requested_locale)

    def _visible(
        self, info: strawberry.Info[Context], then: Callable[[dict[str, ArticleTranslation]], R]
    ) -> Soon[R]:
        loaders = info.context.loaders
        if self.preview:
            return soon(loaders.editable_translations_by_article_id, self.row.article_id, then)
        return soon(loaders.translations_by_article_id, self.row.article_id, then)

    @strawberry.field(
        description="Locales with a published translation (any, in preview).",
        graphql_type=list[str],
    )
    def available_locales(self, info: strawberry.Info[Context]) -> Soon[list[str]]:
        codes = info.context.runtime.locales.codes
        return self._visible(info, lambda visible: [code for code in codes if code in visible])

    @strawberry.field(
        description="Every published translation (every one, in preview), for hreflang links."
    )
    async def translations(self, info: strawberry.Info[Context]) -> list[TranslationInfo]:
        visible = await settled(self._visible(info, dict))
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
                has_pending_changes=has_pending(visible[code]),
            )
            for code in info.context.runtime.locales.codes
            if code in visible
        ]

    @strawberry.field(
        description=(
            "The public page of the content shown (its locale and slug, so a fallback "
            "names the page it comes from), from CONTENTAPI_PUBLIC_SITE_URL; null when "
            "that is not set."
        )
    )
    def canonical_url(self, info: strawberry.Info[Context]) -> str | None:
        urls = info.context.runtime.site_urls
        return urls.url(self.locale, self.row.slug) if urls else None

    @strawberry.field(
        description=(
            "The page in every locale with a published translation (any, in preview), then "
            "'x-default' (the default locale's page, else the first): the hreflang links. "
            "Empty when CONTENTAPI_PUBLIC_SITE_URL is not set."
        ),
        graphql_type=list[Alternate],
    )
    def alternates(self, info: strawberry.Info[Context]) -> Soon[list[Alternate]]:
        urls = info.context.runtime.site_urls
        if urls is None:
            return []
        codes = info.context.runtime.locales.codes

        def build(visible: dict[str, ArticleTranslation]) -> list[Alternate]:
            slugs = {code: row.slug for code, row in visible.items()}
            return [Alternate(locale=a.locale, url=a.url) for a in urls.alternates(slugs, codes)]

        return self._visible(info, build)

    @strawberry.field(
        description="Saved states of this article, newest first (editors and translators).",
        permission_classes=[requires(Action.PREVIEW)],
    )
    async def revisions(
        self, info: strawberry.Info[Context], locale: str | None = None
    ) -> list[Revision] | None:
        ctx = info.context
        code = ctx.locale(locale) if locale is not None else None
        rows = await queries.revisions(self.row.article_id, code)
        return [Revision.from_row(ctx, row) for row in rows]

    @strawberry.field(description="Body as sanitised HTML.", graphql_type=str)
    def body(self, info: strawberry.Info[Context]) -> Soon[str]:
        if not self.row._partial:
            return self.row.body
        # a list row, read without its body: load the bodies of the page together
        return soon(info.context.loaders.body_by_translation_id, self.row.id, str)

    def _body(self, info: strawberry.Info[Context], then: Callable[[str], R]) -> Soon[R]:
        if not self.row._partial:
            return then(self.row.body)
        return soon(info.context.loaders.body_by_translation_id, self.row.id, then)

    @strawberry.field(
        description=(
            f"Words in the body text (title and lead not counted): runs of letters or "
            f"digits between spaces. readingMinutes is this at {reading.WORDS_PER_MINUTE} "
            "words a minute."
        ),
        graphql_type=int,
    )
    def word_count(self, info: strawberry.Info[Context]) -> Soon[int]:
        return self._body(info, reading.word_count)

    @strawberry.field(
        description=(
            f"Minutes to read the body at {reading.WORDS_PER_MINUTE} words a minute, "
            "rounded up; at least 1."
        ),
        graphql_type=int,
    )
    def reading_minutes(self, info: strawberry.Info[Context]) -> Soon[int]:
        return self._body(info, reading.reading_minutes)

    @strawberry.field(
        description=(
            "The body as plain text (no markup, whitespace collapsed), at most length "
            "characters: cut at a word boundary and ended with '…' when longer. length: "
            f"{reading.MIN_EXCERPT} to {reading.MAX_EXCERPT}, else BAD_REQUEST."
        ),
        graphql_type=str,
    )
    def excerpt(
        self, info: strawberry.Info[Context], length: int = reading.DEFAULT_EXCERPT
    ) -> Soon[str]:
        check_excerpt_length(length)
        return self._body(info, lambda body: reading.excerpt(body, length))

    @strawberry.field(
        description=(
            "Who wrote it (names; roles in the locale through its chain) and the "
            "publishing unit. Empty authors and a null unit when none is given."
        ),
        graphql_type=Byline,
    )
    def byline(self, info: strawberry.Info[Context]) -> Soon[Byline]:
        return soon(
            info.context.loaders.byline_by_article_id,
            self.row.article_id,
            lambda row: byline_from(row, self.chain),
        )

    @strawberry.field(
        description=(
            "Published articles sharing tags with this one, in the same locale through "
            "the same fallback chain: most shared tags first, then newest, among the "
            f"{queries.RELATED_CANDIDATES} newest that share a tag; never this article. "
            f"first: 5 unless given, 0 to {queries.MAX_RELATED}."
        ),
        graphql_type=list["Article"],
    )
    def related(self, info: strawberry.Info[Context], first: int = 5) -> Soon[list[Article]]:
        check_related_first(first)
        chain = LocaleChain(self.chain)
        shown = zone(info.context)
        requested = self.resolved.requested_locale

        def build(rows: list[ArticleTranslation]) -> list[Article]:
            return [Article.of(Resolved(row, row.locale, requested), chain, shown) for row in rows]

        return soon(
            info.context.loaders.related_by_article, (self.row.article_id, chain, first), build
        )

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

    @strawberry.field(description="The lead picture.", graphql_type=Image | None)
    def lead_image(self, info: strawberry.Info[Context]) -> Soon[Image | None]:
        def lead(found: list[Attached[ImageRow, ImageText]]) -> Image | None:
            first = next((a for a in found if a.role is MediaRoleEnum.LEAD), None)
            return image_from(first, self.chain) if first else None

        loaders = info.context.loaders
        # the page's images when they are read anyway, else only the lead pictures
        loader = (
            loaders.images_by_article_id
            if loaders.images_by_article_id.cache_map.get(self.row.article_id)
            else loaders.lead_images_by_article_id
        )
        return soon(loader, self.row.article_id, lead)

    @strawberry.field(
        description="Pictures in display order; role narrows them.", graphql_type=list[Image]
    )
    def images(
        self, info: strawberry.Info[Context], role: MediaRoleEnum | None = None
    ) -> Soon[list[Image]]:
        return soon(
            info.context.loaders.images_by_article_id,
            self.row.article_id,
            lambda found: [
                image_from(a, self.chain) for a in found if role is None or a.role == role
            ],
        )

    @strawberry.field(description="Film clips in display order.", graphql_type=list[Video])
    def videos(self, info: strawberry.Info[Context]) -> Soon[list[Video]]:
        def build(found: list[Attached[VideoRow, VideoText]]) -> list[Video]:
            return [video_from(a, self.chain) for a in found]

        return soon(info.context.loaders.videos_by_article_id, self.row.article_id, build)

    @strawberry.field(description="Tags in display order.", graphql_type=list[Tag])
    def tags(self, info: strawberry.Info[Context]) -> Soon[list[Tag]]:
        def build(found: list[tuple[TagRow, dict[str, str]]]) -> list[Tag]:
            return [tag_from(row, names, self.chain) for row, names in found]

        return soon(info.context.loaders.tags_by_article_id, self.row.article_id, build)

    @strawberry.field(
        description="Approved comments, oldest first; 20 by default, at most 100.",
        graphql_type=CommentConnection,
    )
    def comments(
        self, info: strawberry.Info[Context], first: int | None = None, after: str | None = None
    ) -> Soon[CommentConnection]:
        loaders = info.context.loaders
        key = comment_page_key(self.row.article_id, first, after)
        locale = self.resolved.requested_locale
        shown = zone(info.context)

        def connection(rows: list[CommentRow]) -> Soon[CommentConnection]:
            return soon(
                loaders.approved_count_by_article_id,
                key[0],
                lambda total: comment_connection(
                    rows, key[1], after, COMMENT_CURSOR, locale, total, shown
                ),
            )

        return soon(loaders.approved_comments_by_page, key, connection)

    @strawberry.field(description="Readers may post comments.", graphql_type=bool)
    def comments_open(self, info: strawberry.Info[Context]) -> Soon[bool]:
        return soon(
            info.context.loaders.article_by_id,
            self.row.article_id,
            lambda article: bool(article and article.comments_open),
        )

    @strawberry.field(description="Number of approved comments.", graphql_type=int)
    def comment_count(self, info: strawberry.Info[Context]) -> Soon[int]:
        return soon(info.context.loaders.approved_count_by_article_id, self.row.article_id, int)

    @strawberry.field(
        description="The count as words, plural-aware: nn '3 kommentarar'.", graphql_type=str
    )
    def comment_count_label(self, info: strawberry.Info[Context]) -> Soon[str]:
        ctx = info.context
        locale = self.resolved.requested_locale

        def label(count: int) -> str:
            found = ctx.runtime.catalogs.lookup(COMMENT_COUNT_KEY, ctx.chain(locale), count)
            if found is None:
                return format_count(count, locale)
            return found.text.replace("%(count)s", format_count(count, found.locale))

        return soon(ctx.loaders.approved_count_by_article_id, self.row.article_id, label)


def check_excerpt_length(length: int) -> None:
    """BAD_REQUEST unless ``length`` is within the excerpt's limits."""
    if not reading.MIN_EXCERPT <= length <= reading.MAX_EXCERPT:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"'length' must be between {reading.MIN_EXCERPT} and {reading.MAX_EXCERPT}, "
            f"got {length}",
            field="length",
            params={"min": reading.MIN_EXCERPT, "max": reading.MAX_EXCERPT},
        )


def check_related_first(first: int) -> None:
    """BAD_REQUEST unless ``first`` is within related's limits."""
    if not 0 <= first <= queries.MAX_RELATED:
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"'first' must be between 0 and {queries.MAX_RELATED}, got {first}",
            field="first",
            params={"max": queries.MAX_RELATED},
        )


def comment_page_key(article_id: int, first: int | None, after: str | None) -> CommentPageKey:
    """The loader key of an article's comment page; BAD_REQUEST for bad arguments."""
    page = check_page_args(first, None)
    key = CommentKey(*keyset(after, COMMENT_CURSOR, "after")) if after is not None else None
    return (article_id, page.size, key)
