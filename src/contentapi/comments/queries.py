"""Read-side queries for comments: only approved comments are public."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from contentapi.comments.models import Comment, CommentStatus


@dataclass(frozen=True)
class CommentKey:
    """A comment's place in its article's oldest-first order."""

    created_at: datetime
    comment_id: int


async def approved_counts(article_ids: Sequence[int]) -> dict[int, int]:
    """How many approved comments each article has."""
    rows = (
        await Comment.filter(article_id__in=list(article_ids), status=CommentStatus.APPROVED)
        .group_by("article_id")
        .annotate(n=Count("id"))
        .values("article_id", "n")
    )
    return {int(r["article_id"]): int(r["n"]) for r in rows}


async def approved_page(
    article_ids: Sequence[int], first: int, after: CommentKey | None
) -> dict[int, list[Comment]]:
    """Up to ``first + 1`` approved comments per article after ``after``, oldest first.

    One query for all the articles; the extra row tells whether there is a next page.
    """
    qs = Comment.filter(article_id__in=list(article_ids), status=CommentStatus.APPROVED)
    if after is not None:
        qs = qs.filter(
            Q(created_at__gt=after.created_at)
            | Q(created_at=after.created_at, id__gt=after.comment_id)
        )
    pages: dict[int, list[Comment]] = {article_id: [] for article_id in article_ids}
    for row in await qs.order_by("created_at", "id"):
        page = pages[row.article_id]
        if len(page) <= first:
            page.append(row)
    return pages
