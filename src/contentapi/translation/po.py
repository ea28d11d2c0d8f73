"""The content round trip through gettext PO files, for translators' own tools.

Export writes one entry per translatable field: ``msgctxt`` names the object, the field,
the source version and the state of the target at export; ``msgid`` is the source text,
``msgstr`` the current translation. Import saves what changed, never publishes, and keeps
out (as a conflict) anything edited after the export.

``msgctxt`` looks like ``article:12:title|nb@3|nn@2`` (article 12's title, from nb at
version 3, into nn at version 2; ``@0`` when there was no translation) and
``image:5:alt|nb|nn#1a2b3c4d`` for texts that keep no versions (the hash is of the
target text at export).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from io import BytesIO
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from tortoise.transactions import in_transaction

from contentapi.articles import services
from contentapi.articles.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    PublicationStatus,
    Tag,
    TagTranslation,
)
from contentapi.errors import DomainError, DomainErrors, ErrorCode
from contentapi.media.models import Image, ImageTranslation, Video, VideoTranslation

ARTICLE_FIELDS = ("title", "lead", "body")
MAX_LIVE_TEXT = 100  # tag names; media titles and alt texts are longer, but this is safe
CONTEXT = re.compile(
    r"^(?P<kind>article|image|video|tag):(?P<id>\d{1,10}):(?P<field>\w+)"
    r"\|(?P<source>[\w-]+)(?:@(?P<sv>\d+))?\|(?P<target>[\w-]+)(?:@(?P<tv>\d+)|#(?P<th>\w+))?$"
)
MEDIA: dict[str, tuple[Any, Any, str, tuple[str, ...]]] = {
    "image": (Image, ImageTranslation, "image_id", ("alt", "caption")),
    "video": (Video, VideoTranslation, "video_id", ("title", "caption")),
}


class Only(StrEnum):
    """Which entries an export holds."""

    MISSING = "missing"
    OUTDATED = "outdated"
    ALL = "all"


def _fingerprint(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:8]


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
    pairs: dict[int, dict[str, ArticleTranslation]] = defaultdict(dict)
    for row in rows:
        pairs[row.article_id][row.locale] = row
    for article_id, found in pairs.items():
        src, dst = found.get(source), found.get(locale)
        if src is None:
            continue
        outdated = dst is not None and (dst.source_version or 0) < src.version
        if not _wanted(only, dst is None, outdated):
            continue
        for name in ARTICLE_FIELDS:
            text = getattr(src, name)
            if not text:
                continue
            context = (
                f"article:{article_id}:{name}|{source}@{src.version}|"
                f"{locale}@{dst.version if dst else 0}"
            )
            catalog.add(text, string=(getattr(dst, name) or "") if dst else "", context=context)
    for kind, (model, texts, key, fields) in MEDIA.items():
        for obj in await model.all().order_by("id"):
            by_locale = {t.locale: t for t in await texts.filter(**{key: obj.id})}
            src_text, dst_text = by_locale.get(source), by_locale.get(locale)
            if src_text is None or not _wanted(only, dst_text is None, False):
                continue
            for name in fields:
                text = getattr(src_text, name)
                if text:
                    current = getattr(dst_text, name) if dst_text else None
                    context = f"{kind}:{obj.id}:{name}|{source}|{locale}#{_fingerprint(current)}"
                    catalog.add(text, string=current or "", context=context)
    for tag in await Tag.all().order_by("id"):
        names = {t.locale: t.name for t in await TagTranslation.filter(tag_id=tag.id)}
        if source in names and _wanted(only, locale not in names, False):
            context = f"tag:{tag.id}:name|{source}|{locale}#{_fingerprint(names.get(locale))}"
            catalog.add(names[source], string=names.get(locale, ""), context=context)
    return catalog


def write_catalog(catalog: Catalog) -> bytes:
    """The PO file's bytes."""
    out = BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


@dataclass
class ImportSummary:
    """What an import did, entry by entry where it matters."""

    saved: list[str] = field(default_factory=list)
    unchanged: int = 0
    untranslated: int = 0
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_catalog(data: bytes) -> Catalog:
    """Parse a PO file; BAD_REQUEST naming the line when it does not parse."""
    try:
        return read_po(BytesIO(data), abort_invalid=True)
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise DomainError(ErrorCode.BAD_REQUEST, f"The PO file cannot be read: {exc}") from None
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        where = f" on line {line}" if line else ""
        raise DomainError(
            ErrorCode.BAD_REQUEST, f"The PO file does not parse{where}: {exc}"
        ) from None


async def import_catalog(
    catalog: Catalog,
    locale: str,
    actor: services.Actor,
    progress: Callable[[int, int], None] | None = None,
    live_texts: bool = True,
) -> ImportSummary:
    """Save the changed entries of ``catalog`` (translations into ``locale``) as drafts.

    Media and tag texts have no drafts: they are saved only with ``live_texts`` (editors
    and the command line), and otherwise listed as skipped. One bad entry never stops the
    rest: it is reported.
    """
    summary = ImportSummary()
    articles: dict[int, dict[str, tuple[str, re.Match[str]]]] = defaultdict(dict)
    others: list[tuple[str, re.Match[str]]] = []
    entries = [m for m in catalog if m.id and m.context]
    for number, message in enumerate(entries, start=1):
        if progress:
            progress(number, len(entries))
        match = CONTEXT.match(message.context or "")
        if match is None or match["target"] != locale:
            summary.skipped.append(f"{message.context}: not an entry for {locale}")
            continue
        text = str(message.string or "")
        if not text.strip():
            summary.untranslated += 1
            continue
        if match["kind"] == "article":
            articles[int(match["id"])][match["field"]] = (text, match)
        else:
            others.append((text, match))
    for article_id, fields in articles.items():
        try:
            await _import_article(article_id, fields, locale, actor, summary)
        except (DomainError, DomainErrors) as exc:
            problems = exc.errors if isinstance(exc, DomainErrors) else [exc]
            summary.skipped.append(
                f"article:{article_id}: " + "; ".join(p.message for p in problems)
            )
    for text, match in others:
        label = f"{match['kind']}:{match['id']}:{match['field']}"
        if not live_texts:
            summary.skipped.append(f"{label}: a live text; importing it needs an editor token")
        elif len(text) > MAX_LIVE_TEXT:
            summary.skipped.append(f"{label}: longer than {MAX_LIVE_TEXT} characters")
        else:
            await _import_text(text, match, locale, summary)
    return summary


async def _import_article(
    article_id: int,
    fields: dict[str, tuple[str, re.Match[str]]],
    locale: str,
    actor: services.Actor,
    summary: ImportSummary,
) -> None:
    label = f"article:{article_id}"
    if not await Article.exists(id=article_id, deleted_at=None):
        summary.skipped.append(f"{label}: no such article (deleted?)")
        return
    first = next(iter(fields.values()))[1]
    exported_version = int(first["tv"] or 0)
    source_locale, source_version = first["source"], int(first["sv"] or 0)
    current = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if (current.version if current else 0) != exported_version:
        summary.conflicts.append(
            f"{label}: the {locale} translation changed after the export "
            f"(version {exported_version} then, {current.version if current else 0} now)"
        )
        return
    values = {name: text for name, (text, _) in fields.items()}
    if current is None:
        if not values.get("title") or not values.get("body"):
            summary.skipped.append(f"{label}: a new translation needs a title and a body")
            return
        draft = services.Draft(values.get("title"), None, values.get("lead"), values.get("body"))
        row = await services.translate_article(
            article_id, locale, source_locale, draft, None, actor, source_version=source_version
        )
        summary.saved.append(f"{label}: new {locale} draft, version {row.version}")
        return
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        summary.unchanged += 1
        return
    if current.status is PublicationStatus.DRAFT:
        draft = services.Draft(changed.get("title"), None, changed.get("lead"), changed.get("body"))
        row = await services.translate_article(
            article_id,
            locale,
            source_locale,
            draft,
            current.version,
            actor,
            source_version=source_version,
        )
        summary.saved.append(f"{label}: {locale} draft saved, version {row.version}")
        return
    # a published translation is not changed behind the editors' backs: the import is kept
    # as a draft revision, which an editor reviews and applies with revertArticle
    async with in_transaction():
        last = (
            await ArticleRevision.filter(article_id=article_id, locale=locale)
            .order_by("-number")
            .first()
        )
        number = (last.number if last else 0) + 1
        await ArticleRevision.create(
            article_id=article_id,
            locale=locale,
            number=number,
            version=current.version,
            title=changed.get("title", current.title),
            slug=current.slug,
            lead=changed.get("lead", current.lead),
            body=changed.get("body", current.body),
            status=PublicationStatus.DRAFT,
            published_at=current.published_at,
            minor_edit=False,
            action="import",
            author=actor.name,
            created_at=actor.now,
        )
    summary.saved.append(
        f"{label}: {locale} is published; saved as draft revision {number} "
        f"(source {source_locale}@{source_version}); apply it with revertArticle"
    )


async def _import_text(
    text: str, match: re.Match[str], locale: str, summary: ImportSummary
) -> None:
    kind, pk, name = match["kind"], int(match["id"]), match["field"]
    label = f"{kind}:{pk}:{name}"
    if kind == "tag":
        if not await Tag.exists(id=pk):
            summary.skipped.append(f"{label}: no such tag")
            return
        current_tag = await TagTranslation.get_or_none(tag_id=pk, locale=locale)
        if _fingerprint(current_tag.name if current_tag else None) != match["th"]:
            summary.conflicts.append(f"{label}: changed after the export")
        elif current_tag is None:
            await TagTranslation.create(tag_id=pk, locale=locale, name=text)
            summary.saved.append(label)
        elif current_tag.name != text:
            current_tag.name = text
            await current_tag.save()
            summary.saved.append(label)
        else:
            summary.unchanged += 1
        return
    model, texts, key, fields = MEDIA[kind]
    if name not in fields or not await model.exists(id=pk):
        summary.skipped.append(f"{label}: no such {kind} field")
        return
    row = await texts.get_or_none(**{key: pk, "locale": locale})
    if _fingerprint(getattr(row, name) if row else None) != match["th"]:
        summary.conflicts.append(f"{label}: changed after the export")
        return
    if row is None:
        if kind == "image" and name != "alt":
            summary.skipped.append(f"{label}: translate the alt text first")
            return
        if kind == "video" and name != "title":
            summary.skipped.append(f"{label}: translate the title first")
            return
        await texts.create(**{key: pk, "locale": locale, name: text})
        summary.saved.append(label)
    elif getattr(row, name) != text:
        setattr(row, name, text)
        await row.save()
        summary.saved.append(label)
    else:
        summary.unchanged += 1
