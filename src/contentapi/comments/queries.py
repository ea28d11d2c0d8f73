"""Read-side queries for comments: only approved comments are public."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from contentapi import sql
from contentapi.articles.queries import published_article_ids
from contentapi.comments.models import Comment, CommentStatus


@dataclass(frozen=True)
class CommentKey:
    """A comment's place in its article's oldest-first order."""

    created_at: datetime
    comment_id: int


_APPROVED = CommentStatus.APPROVED.value


async def approved_counts(article_ids: Sequence[int]) -> dict[int, int]:
    """How many approved comments each article has (from the comment index alone)."""
    ids = list(article_ids)
    rows = await sql.fetch(
        'SELECT "article_id" AS "article_id", COUNT(*) AS "n" FROM "comment" '
        f'WHERE "article_id" IN ({sql.marks(len(ids))}) AND "status" = ? GROUP BY "article_id"',
        [*ids, _APPROVED],
    )
    return {int(r["article_id"]): int(r["n"]) for r in rows}


async def approved_page(
    article_ids: Sequence[int], first: int, after: CommentKey | None
) -> dict[int, list[Comment]]:
    """Up to ``first + 1`` approved comments per article after ``after``, oldest first.

    The extra row tells whether there is a next page. One statement: for one article
    (or after a cursor, which belongs to one article's list) the index gives the page in
    order; for many, a window picks each article's first rows, so no article's comments
    are all read.
    """
    ids = [int(a) for a in article_ids]
    pages: dict[int, list[Comment]] = {article_id: [] for article_id in ids}
    every = sql.columns(Comment, "c")
    if len(ids) == 1 or after is not None:
        for article_id in ids:
            where, params = '"article_id" = ? AND "status" = ?', [article_id, _APPROVED]
            if after is not None:
                where += ' AND ("created_at", "id") > (?, ?)'
                params += [after.created_at, after.comment_id]
            rows = await sql.fetch(
                f'SELECT {every} FROM "comment" c WHERE {where} '
                'ORDER BY "created_at", "id" LIMIT ?',
                [*params, first + 1],
            )
            pages[article_id] = sql.as_models(Comment, rows)
        return pages
    rows = await sql.fetch(
        f"SELECT {sql.columns(Comment, 'r')} FROM (SELECT {every}, ROW_NUMBER() OVER "
        '(PARTITION BY "article_id" ORDER BY "created_at", "id") AS "rn" FROM "comment" c '
        f'WHERE "status" = ? AND "article_id" IN ({sql.marks(len(ids))})) r '
        'WHERE "rn" <= ? ORDER BY "created_at", "id"',
        [_APPROVED, *ids, first + 1],
    )
    for row in sql.as_models(Comment, rows):
        pages[row.article_id].append(row)
    return pages


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
