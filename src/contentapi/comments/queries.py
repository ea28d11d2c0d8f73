"""Read-side queries for comments: only approved comments are public."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True)
class CommentPages:
    """Comment pages by article, and each article's approved total when it came along."""

    pages: dict[int, list[Comment]]
    totals: dict[int, int]


async def approved_page(
    article_ids: Sequence[int], first: int, after: CommentKey | None
) -> CommentPages:
    """Up to ``first + 1`` approved comments per article after ``after``, oldest first.

    The extra row tells whether there is a next page. One statement: for one article
    (or after a cursor, which belongs to one article's list) the index gives the page in
    order; for many, a window picks each article's first rows, so no article's comments
    are all read. Without a cursor, each article's total comes in the same statement.
    """
    ids = [int(a) for a in article_ids]
    found = CommentPages({article_id: [] for article_id in ids}, {})
    every = sql.columns(Comment, "c")
    if len(ids) == 1 or after is not None:
        for article_id in ids:
            where = '"article_id" = ? AND "status" = ?'
            params: list[Any] = [article_id, _APPROVED]
            total = ""
            if after is None:  # the total, by the same index, once for the statement
                total = ', (SELECT COUNT(*) FROM "comment" n WHERE n."article_id" = ? '
                total += 'AND n."status" = ?) AS "total"'
                params = [article_id, _APPROVED, *params]
            else:
                where += ' AND ("created_at", "id") > (?, ?)'
                params += [after.created_at, after.comment_id]
            rows = await sql.fetch(
                f'SELECT {every}{total} FROM "comment" c WHERE {where} '
                'ORDER BY "created_at", "id" LIMIT ?',
                [*params, first + 1],
            )
            _collect(found, rows, counted=after is None)
            if after is None and not rows:
                found.totals[article_id] = 0
        return found
    rows = await sql.fetch(
        f'SELECT {sql.columns(Comment, "r")}, "total" FROM (SELECT {every}, ROW_NUMBER() OVER '
        '(PARTITION BY "article_id" ORDER BY "created_at", "id") AS "rn", COUNT(*) OVER '
        '(PARTITION BY "article_id") AS "total" FROM "comment" c '
        f'WHERE "status" = ? AND "article_id" IN ({sql.marks(len(ids))})) r '
        'WHERE "rn" <= ? ORDER BY "created_at", "id"',
        [_APPROVED, *ids, first + 1],
    )
    _collect(found, rows, counted=True)
    for article_id in ids:
        found.totals.setdefault(article_id, 0)
    return found


def _collect(found: CommentPages, rows: list[dict[str, Any]], counted: bool) -> None:
    for row in rows:
        total = row.pop("total", None)
        comment = sql.as_model(Comment, row)
        found.pages[comment.article_id].append(comment)
        if counted and total is not None:
            found.totals[comment.article_id] = int(total)


async def comment_by_id(comment_id: int) -> Comment | None:
    """A comment whatever its status (the one a write just made), or None."""
    return await Comment.get_or_none(id=comment_id)


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
