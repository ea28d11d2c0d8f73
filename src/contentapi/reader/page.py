"""What the reader page shows, read from the domain queries (the ones behind GraphQL).

One article, resolved through the fallback chain of the page's locale, with its
pictures, film clips, tags and approved comments. Every text keeps the locale it is
written in, so the template can put ``lang`` on whatever fell back to another locale.
About eight statements per page, whatever the article holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contentapi.articles import attachments, bylines, queries
from contentapi.articles.models import ArticleTranslation, MediaRole
from contentapi.comments import queries as comment_queries
from contentapi.i18n import (
    Catalogs,
    DateStyle,
    LocaleChain,
    Resolved,
    format_count,
    format_moment,
    language_label,
    pick,
)
from contentapi.media import queries as media_queries
from contentapi.media import renditions
from contentapi.media.models import Image as ImageRow
from contentapi.media.queries import ImageText
from contentapi.reader.links import page_url, public_url
from contentapi.reader.publisher import Publisher, ShownAuthor, authors_of, publisher_of
from contentapi.site_urls import Alternate, SiteUrls, hreflang_alternates

SITE_PATTERN_KEY = "format.date.site"
COMMENT_COUNT_KEY = "comments.count"
VIDEO_LABEL_KEY = "media.video"
COMMENTS_SHOWN = 100  # the newest arrive over the subscription
LEAD_WIDTH = 960
INLINE_WIDTH = 640
MAX_SLUG_LENGTH = 200


@dataclass(frozen=True)
class Moment:
    """A date as the page shows it: ISO 8601 for ``<time datetime>`` and the house style."""

    iso: str
    text: str


@dataclass(frozen=True)
class Picture:
    """An image with its texts in ``locale`` and the URLs of its renditions."""

    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str
    caption: str | None
    credit: str | None
    locale: str


@dataclass(frozen=True)
class Caption:
    """A WebVTT captions file of a film clip (``<track kind="captions">``)."""

    url: str
    locale: str
    label: str


@dataclass(frozen=True)
class Clip:
    """A film clip: a file played by ``<video>``, or a provider page linked to."""

    url: str
    is_file: bool
    title: str
    label: str  # "Filmklipp: Træna", or the title when it says "Filmklipp ..." already
    caption: str | None
    credit: str | None
    locale: str
    poster: str | None = None
    captions: tuple[Caption, ...] = ()


@dataclass(frozen=True)
class TagName:
    """A tag's name in the locale it is written in."""

    name: str
    locale: str


@dataclass(frozen=True)
class ShownComment:
    """An approved comment, in the locale it was written in."""

    author_name: str
    body: str
    created: Moment
    locale: str


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch: every configured locale, current or not."""

    locale: str
    url: str
    current: bool


@dataclass
class ArticlePage:
    """Everything the article template shows."""

    locale: str  # the page's locale: its <html lang> and its interface text
    article_id: int
    content_locale: str  # the locale title, lead and body are written in
    is_fallback: bool
    title: str
    lead: str | None
    body: str  # sanitised HTML (the API stores it sanitised to a small allowlist)
    published: Moment | None
    updated: Moment
    publisher: Publisher | None  # the publishing unit; None when the byline has none
    authors: list[ShownAuthor]
    canonical: str
    alternates: list[Alternate]
    languages: list[LanguageLink]
    lead_image: Picture | None
    images: list[Picture]
    clips: list[Clip]
    tags: list[TagName]
    comments: list[ShownComment]
    comment_count: int
    comment_count_label: str
    comments_open: bool


@dataclass(frozen=True)
class PageSettings:
    """What the page needs of the runtime: locales, catalogs, time zone, base URL."""

    catalogs: Catalogs
    codes: tuple[str, ...]
    default_locale: str
    time_zone: str
    base: str  # absolute URLs start with it (the public URL or the request's)
    site_urls: SiteUrls | None = None  # the public site's pages, where configured


async def find_article(
    slug: str | None, chain: LocaleChain, codes: tuple[str, ...], now: datetime
) -> tuple[int, dict[str, ArticleTranslation]] | None:
    """The article a slug names (any locale's slug), or the newest one for ``chain``;
    with its visible translations by locale. None when there is nothing to show."""
    if slug is not None:
        if not slug or len(slug) > MAX_SLUG_LENGTH:
            return None
        found = await queries.article_id_by_slug(slug, chain, codes, now)
        if found is None or found[1] is None:
            return None
        return found[0], found[1]
    newest = await queries.list_articles(
        chain, now, queries.ArticleFilter(), queries.ArticleOrder.PUBLISHED_DESC, first=1
    )
    if not newest.rows:
        return None
    article_id = newest.rows[0].article_id
    visible = await queries.visible_translations([article_id], now)
    return (article_id, visible[article_id]) if article_id in visible else None


async def article_page(
    site: PageSettings,
    chain: LocaleChain,
    article_id: int,
    visible: dict[str, ArticleTranslation],
    now: datetime,
) -> ArticlePage | None:
    """The page of an article for ``chain``'s locale; None if no translation is in it."""
    resolved = pick(visible, chain)
    if resolved is None:
        return None
    row = resolved.value
    locale = chain.requested

    def moment(value: datetime) -> Moment:
        return moment_of(site, value, chain)

    images = (await attachments.attached_images([article_id])).get(article_id, [])
    lead = next((a for a in images if a.role is MediaRole.LEAD), None)
    videos = (await attachments.attached_videos([article_id])).get(article_id, [])
    thumbnails = {a.row.thumbnail_id for a in videos if a.row.thumbnail_id is not None}
    posters = await _posters(site, thumbnails)
    tags = (await queries.attached_tags([article_id])).get(article_id, [])
    found = await comment_queries.approved_page([article_id], COMMENTS_SHOWN, None)
    count = found.totals.get(article_id, 0)
    article = (await queries.articles_by_id([article_id])).get(article_id)
    alternates = hreflang_alternates(
        {code: row.slug for code, row in visible.items()},
        site.codes,
        site.default_locale,
        lambda code, slug: public_url(site.site_urls, site.base, code, slug),
    )
    byline = (await bylines.bylines([article_id])).get(article_id)
    caption_files = await media_queries.video_captions([a.row.id for a in videos])
    clips = []
    for attached in videos:
        text = pick(attached.texts, chain)
        clips.append(
            Clip(
                url=attached.row.url,
                is_file=attached.row.embed_url is None,
                title=text.value.title if text else "",
                label=clip_label(site.catalogs, chain, text.value.title if text else ""),
                caption=text.value.caption if text else None,
                credit=attached.row.credit,
                locale=text.locale if text else locale,
                poster=posters.get(attached.row.thumbnail_id or 0),
                captions=captions_of(site, caption_files.get(attached.row.id, []), chain),
            )
        )
    tag_names = []
    for _tag, names in tags:
        name = pick(names, chain)
        if name is not None:
            tag_names.append(TagName(name.value, name.locale))
    return ArticlePage(
        locale=locale,
        article_id=article_id,
        content_locale=resolved.locale,
        is_fallback=resolved.is_fallback,
        title=row.title,
        lead=row.lead,
        body=row.body,
        published=moment(row.published_at) if row.published_at else None,
        updated=moment(row.updated_at),
        publisher=publisher_of(byline, chain),
        authors=authors_of(byline, chain),
        # a fallback page is a copy of the other locale's page: that one is canonical
        canonical=public_url(site.site_urls, site.base, resolved.locale, row.slug),
        alternates=alternates,
        languages=[
            LanguageLink(
                code,
                page_url(site.base, code, (visible.get(code) or row).slug),
                current=code == locale,
            )
            for code in site.codes
        ],
        lead_image=_picture(site, lead.row, lead.texts, chain, LEAD_WIDTH) if lead else None,
        images=[
            _picture(site, a.row, a.texts, chain, INLINE_WIDTH)
            for a in images
            if a.role is MediaRole.INLINE
        ],
        clips=clips,
        tags=tag_names,
        comments=[
            ShownComment(c.author_name, c.body, moment(c.created_at), c.locale)
            for c in found.pages.get(article_id, [])[:COMMENTS_SHOWN]
        ],
        comment_count=count,
        comment_count_label=count_label(site.catalogs, chain, count),
        comments_open=bool(article and article.comments_open),
    )


def captions_of(
    site: PageSettings, files: list[media_queries.CaptionFile], chain: LocaleChain
) -> tuple[Caption, ...]:
    """The captions files of a clip, one ``<track>`` each: the reader's chain first, each
    labelled with its language's name in the page's language ("Norsk nynorsk")."""
    return tuple(
        Caption(
            url=f"{site.base}/media/{f.file}",
            locale=f.locale,
            label=language_label(f.locale, chain.requested),
        )
        for f in media_queries.in_chain_order(files, tuple(chain))
    )


def clip_label(catalogs: Catalogs, chain: LocaleChain, title: str) -> str:
    """A clip's link text: "Filmklipp: Sommar på Træna", but not "Filmklipp: Filmklipp om
    ..." when the title says it already."""
    found = catalogs.lookup(VIDEO_LABEL_KEY, chain)
    if found is None or not found.text or title.casefold().startswith(found.text.casefold()):
        return title
    return f"{found.text}: {title}"


def moment_of(site: PageSettings, value: datetime, chain: LocaleChain) -> Moment:
    """A moment in the house style of the chain's locale, and as ISO 8601 in the site's
    time zone."""
    pattern = site.catalogs.lookup(SITE_PATTERN_KEY, chain)
    text = format_moment(
        value,
        DateStyle.SITE,
        chain.requested,
        site.time_zone,
        pattern.text if pattern else "dd.MM.y",
    )
    iso = format_moment(value, DateStyle.ISO, chain.requested, site.time_zone, "")
    return Moment(iso=iso, text=text)


def count_label(catalogs: Catalogs, chain: LocaleChain, count: int) -> str:
    """The comment count as words, plural-aware: nn "3 kommentarar"."""
    found = catalogs.lookup(COMMENT_COUNT_KEY, chain, count)
    if found is None:
        return format_count(count, chain.requested)
    return found.text.replace("%(count)s", format_count(count, found.locale))


def image_url(base: str, row: ImageRow, width: int | None = None) -> str:
    """The URL of an image, or of its rendition for ``width`` (as ``Image.url(width)``)."""
    chosen = renditions.rendition_width(width, row.width) if width else None
    if chosen is None:
        return f"{base}/media/{row.file}"
    return f"{base}/media/w{chosen}/{row.file}"


def _picture(
    site: PageSettings,
    row: ImageRow,
    texts: dict[str, ImageText],
    chain: LocaleChain,
    width: int,
) -> Picture:
    text: Resolved[ImageText] | None = pick(texts, chain)
    alt = text.value.alt if text else ""
    caption = text.value.caption if text else None
    widths = [w for w in renditions.WIDTHS if w < row.width]
    every = [*(f"{image_url(site.base, row, w)} {w}w" for w in widths)]
    srcset = ", ".join([*every, f"{image_url(site.base, row)} {row.width}w"])
    return Picture(
        src=image_url(site.base, row, width),
        srcset=srcset,
        sizes=f"(max-width: 46rem) 100vw, {width}px",
        width=row.width,
        height=row.height,
        alt=alt,
        caption=caption,
        credit=row.credit,
        locale=text.locale if text else chain.requested,
    )


async def _posters(site: PageSettings, image_ids: set[int]) -> dict[int, str]:
    if not image_ids:
        return {}
    rows = await media_queries.images(sorted(image_ids))
    return {pk: image_url(site.base, row, INLINE_WIDTH) for pk, row in rows.items()}
