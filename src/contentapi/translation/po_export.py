"""PO export: every translatable field from one locale into another (see :mod:`po`)."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from contentapi.articles import pending
from contentapi.articles.models import ArticleTranslation, Tag, TagTranslation
from contentapi.articles.revisions import is_outdated
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation
from contentapi.translation.po import ARTICLE_FIELDS, MEDIA_FIELDS, article_context, text_context


class Only(StrEnum):
    """Which entries an export holds."""

    MISSING = "missing"
    OUTDATED = "outdated"
    ALL = "all"


def _wanted(only: Only, missing: bool, outdated: bool) -> bool:
    return (
        only is Only.ALL
        or (only is Only.MISSING and missing)
        or (only is Only.OUTDATED and outdated)
    )


async def export_catalog(locale: str, source: str, only: Only) -> Catalog:
    """Every translatable field from ``source`` into ``locale`` that ``only`` asks for."""
    catalog = Catalog(
        locale=locale.replace("-", "_"), domain="content", project="contentapi", fuzzy=False
    )
    rows = await ArticleTranslation.filter(
        article__deleted_at__isnull=True, locale__in=[source, locale]
    ).order_by("article_id")
    # the target as a translator goes on with it (its pending changes), the source as live
    rows = [r for r in rows if r.locale == source] + await pending.overlay_all(
        [r for r in rows if r.locale != source]
    )
    pairs: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    for row in rows:
        pairs[row.article_id][row.locale] = row
    for article_id, found in pairs.items():
        src, dst = found.get(source), found.get(locale)
        if src is None:
            continue
        outdated = dst is not None and is_outdated(dst, found)
        if not _wanted(only, dst is None, outdated):
            continue
        for name in ARTICLE_FIELDS:
            text = getattr(src, name)
            if text:
                context = article_context(
                    article_id, name, source, src.version, locale, dst.version if dst else 0
                )
                catalog.add(text, string=(getattr(dst, name) or "") if dst else "", context=context)
    media = (
        ("image", Image, ImageTranslation, "image_id"),
        ("video", Video, VideoTranslation, "video_id"),
    )
    for kind, model, texts, key in media:
        for pk in await model.all().order_by("id").values_list("id", flat=True):
            by_locale = {t.locale: t for t in await texts.filter(**{key: pk})}
            src_text, dst_text = by_locale.get(source), by_locale.get(locale)
            if src_text is None or not _wanted(only, dst_text is None, False):
                continue
            for name in MEDIA_FIELDS[kind]:
                text = getattr(src_text, name)
                if text:
                    current = getattr(dst_text, name) if dst_text else None
                    context = text_context(kind, int(str(pk)), name, source, locale, current)
                    catalog.add(text, string=current or "", context=context)
    for tag in await Tag.all().order_by("id"):
        names = {t.locale: t.name for t in await TagTranslation.filter(tag_id=tag.id)}
        if source in names and _wanted(only, locale not in names, False):
            context = text_context("tag", tag.id, "name", source, locale, names.get(locale))
            catalog.add(names[source], string=names.get(locale, ""), context=context)
    return catalog


def write_catalog(catalog: Catalog) -> bytes:
    """The PO file's bytes."""
    out = BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()
