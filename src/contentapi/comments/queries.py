"""Read-side queries for comments: only approved comments are public."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.connection import connections
from tortoise.expressions import Q
from tortoise.functions import Count

from contentapi.articles.queries import published_article_ids
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

    The extra row tells whether there is a next page. For many articles at once, one
    window query picks each article's first rows, so no article's comments are all read.
    """
    pages: dict[int, list[Comment]] = {article_id: [] for article_id in article_ids}
    if len(article_ids) == 1 or after is not None:
        # an article's own comment page (a cursor belongs to one article's list)
        for article_id in article_ids:
            qs = Comment.filter(article_id=article_id, status=CommentStatus.APPROVED)
            if after is not None:
                qs = qs.filter(
                    Q(created_at__gt=after.created_at)
                    | Q(created_at=after.created_at, id__gt=after.comment_id)
                )
            pages[article_id] = await qs.order_by("created_at", "id").limit(first + 1)
        return pages
    ids = await _first_ids_per_article([int(a) for a in article_ids], first + 1)
    for row in await Comment.filter(id__in=ids).order_by("created_at", "id"):
        pages[row.article_id].append(row)
    return pages


async def _first_ids_per_article(article_ids: list[int], limit: int) -> list[int]:
    # Only whole numbers are put into this SQL; it runs unchanged on SQLite and PostgreSQL.
    id_list = ",".join(str(int(a)) for a in article_ids)
    sql = (
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
        "(PARTITION BY article_id ORDER BY created_at, id) AS rn FROM comment "
        f"WHERE status = '{CommentStatus.APPROVED.value}' AND article_id IN ({id_list})) ranked "
        f"WHERE rn <= {int(limit)}"
    )
    _, rows = await connections.get("default").execute_query(sql)
    return [int(row["id"]) if isinstance(row, dict) else int(row[0]) for row in rows]


async def public_comment(comment_id: int, now: datetime) -> Comment | None:
    """An approved comment on a published article, or None."""
    return await Comment.get_or_none(
        id=comment_id,
        status=CommentStatus.APPROVED,
        article_id__in=published_article_ids(now),
    )


async def pending_page(
    first: int, after: CommentKey | None, article_id: int | None
) -> tuple[list[Comment], int]:
    """Up to ``first + 1`` pending comments after ``after`` (oldest first), and how many wait."""
    qs = Comment.filter(status=CommentStatus.PENDING)
    if article_id is not None:
        qs = qs.filter(article_id=article_id)
    total = await qs.count()
    if after is not None:
        qs = qs.filter(
            Q(created_at__gt=after.created_at)
            | Q(created_at=after.created_at, id__gt=after.comment_id)
        )
    return await qs.order_by("created_at", "id").limit(first + 1), total
