"""Write side for tags: their names per locale."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from contentapi.articles.events import TagRenamed
from contentapi.articles.models import Tag, TagTranslation
from contentapi.articles.validation import too_long
from contentapi.errors import DomainError, ErrorCode, not_found
from contentapi.events.outbox import Outbox
from contentapi.text_rules import text_error

MAX_TAG_NAME = 100  # the column


async def set_name(tag_id: int, locale: str, name: str, now: datetime, outbox: Outbox) -> bool:
    """Name the tag in ``locale``; says whether that changed anything."""
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.REQUIRED, "A tag needs a name", field="name")
    if len(name) > MAX_TAG_NAME:
        raise too_long("name", MAX_TAG_NAME)
    if (problem := text_error("name", name, shown=True)) is not None:
        raise problem
    if not await Tag.exists(id=tag_id):
        raise not_found("tag")
    current = await TagTranslation.get_or_none(tag_id=tag_id, locale=locale)
    if current is not None and current.name == name:
        return False
    async with in_transaction():
        if current is None:
            await TagTranslation.create(tag_id=tag_id, locale=locale, name=name)
        else:
            current.name = name
            await current.save(update_fields=["name"])
        await outbox.record(TagRenamed(tag_id, locale, now))
    return True
