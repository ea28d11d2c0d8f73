"""Rows that hang off articles (tags, images, videos), fetched for many articles at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from tortoise.models import Model

L = TypeVar("L", bound=Model)


async def links_by_article(
    model: type[L], article_ids: Sequence[int], related: str, **where: object
) -> dict[int, list[L]]:
    """Each article's ``model`` rows with ``related`` joined in, in display order."""
    links: dict[int, list[L]] = defaultdict(list)
    rows = (
        await model.filter(article_id__in=list(article_ids), **where)
        .select_related(related)
        .order_by("position", "id")
    )
    for link in rows:
        links[link.article_id].append(link)  # type: ignore[attr-defined]
    return links
