"""PO import: save a translator's changed entries through the domain services (see :mod:`po`).

Article translations become drafts (a published one gets pending changes for an editor
to review and publish); media and tag texts, which have no drafts, are saved only for editors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from contentapi.articles import pending, services, tags
from contentapi.articles.actor import Actor
from contentapi.articles.models import ArticleTranslation, Tag, TagTranslation
from contentapi.articles.validation import Draft, live_article
from contentapi.errors import DomainError, DomainErrors, ErrorCode
from contentapi.events.outbox import Outbox
from contentapi.media import services as media_services
from contentapi.media.queries import image_texts, medium, video_texts
from contentapi.translation.po import CONTEXT, fingerprint

Fields = dict[str, tuple[str, re.Match[str]]]


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
    actor: Actor,
    outbox: Outbox,
    progress: Callable[[int, int], None] | None = None,
    live_texts: bool = True,
) -> ImportSummary:
    """Save the changed entries of ``catalog`` (translations into ``locale``) as drafts.

    Media and tag texts have no drafts: they are saved only with ``live_texts`` (editors
    and the command line), and otherwise listed as skipped. One bad entry never stops the
    rest: it is reported.
    """
    summary = ImportSummary()
    articles: dict[int, Fields] = defaultdict(dict)
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
        elif match["kind"] == "article":
            articles[int(match["id"])][match["field"]] = (text, match)
        else:
            others.append((text, match))
    for article_id, fields in articles.items():
        await _reported(
            f"article:{article_id}",
            summary,
            _import_article(article_id, fields, locale, actor, outbox, summary),
        )
    for text, match in others:
        label = f"{match['kind']}:{match['id']}:{match['field']}"
        if not live_texts:
            summary.skipped.append(f"{label}: a live text; importing it needs an editor token")
        else:
            await _reported(
                label, summary, _import_text(text, match, locale, label, actor.now, outbox, summary)
            )
    return summary


async def _reported(label: str, summary: ImportSummary, work: Awaitable[None]) -> None:
    """Run one entry's import; a refusal is listed as skipped, with the service's reasons."""
    try:
        await work
    except (DomainError, DomainErrors) as exc:
        problems = exc.errors if isinstance(exc, DomainErrors) else [exc]
        summary.skipped.append(f"{label}: " + "; ".join(p.message for p in problems))


async def _import_article(
    article_id: int,
    fields: Fields,
    locale: str,
    actor: Actor,
    outbox: Outbox,
    summary: ImportSummary,
) -> None:
    label = f"article:{article_id}"
    try:
        await live_article(article_id)
    except DomainError:
        summary.skipped.append(f"{label}: no such article (deleted?)")
        return
    first = next(iter(fields.values()))[1]
    exported_version = int(first["tv"] or 0)
    source_locale, source_version = first["source"], int(first["sv"] or 0)
    current = await ArticleTranslation.get_or_none(article_id=article_id, locale=locale)
    if current is not None:
        current = (await pending.overlay_all([current]))[0]  # the version a translator saw
    if (current.version if current else 0) != exported_version:
        summary.conflicts.append(
            f"{label}: the {locale} translation changed after the export "
            f"(version {exported_version} then, {current.version if current else 0} now)"
        )
        return
    values = {name: text for name, (text, _) in fields.items()}
    if current is None and (not values.get("title") or not values.get("body")):
        summary.skipped.append(f"{label}: a new translation needs a title and a body")
        return
    changed = {k: v for k, v in values.items() if current is None or getattr(current, k) != v}
    if not changed:
        summary.unchanged += 1
        return
    draft = Draft(changed.get("title"), None, changed.get("lead"), changed.get("body"))
    # a live translation is not changed behind the editors' backs: the import becomes its
    # pending changes, which an editor previews and publishes (or discards)
    row = await services.translate_article(
        article_id,
        locale,
        source_locale,
        draft,
        current.version if current else None,
        actor,
        outbox,
        source_version=source_version,
        action="import",
    )
    if current is None:
        what = f"new {locale} draft"
    elif pending.has_pending(row):
        what = f"{locale} is published; saved as pending changes (publishArticle publishes them)"
    else:
        what = f"{locale} draft saved"
    summary.saved.append(f"{label}: {what}, version {row.version}")


async def _import_text(
    text: str,
    match: re.Match[str],
    locale: str,
    label: str,
    now: datetime,
    outbox: Outbox,
    summary: ImportSummary,
) -> None:
    kind, pk, name = match["kind"], int(match["id"]), match["field"]
    if kind == "tag":
        if not await Tag.exists(id=pk):
            summary.skipped.append(f"{label}: no such tag")
            return
        current = await TagTranslation.get_or_none(tag_id=pk, locale=locale)
        if fingerprint(current.name if current else None) != match["th"]:
            summary.conflicts.append(f"{label}: changed after the export")
        elif await tags.set_name(pk, locale, text, now, outbox):
            summary.saved.append(label)
        else:
            summary.unchanged += 1
        return
    found = await medium(kind.capitalize(), pk)
    if found is None:
        summary.skipped.append(f"{label}: no such {kind}")
        return
    texts = await (image_texts if kind == "image" else video_texts)([pk])
    exported = texts.get(pk, {}).get(locale)
    if fingerprint(getattr(exported, name, None)) != match["th"]:
        summary.conflicts.append(f"{label}: changed after the export")
    elif await media_services.set_text(found, locale, name, text, now, outbox):
        summary.saved.append(label)
    else:
        summary.unchanged += 1
