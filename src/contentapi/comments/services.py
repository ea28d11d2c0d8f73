"""Reader comments: posting (validation, anti-spam) and moderation.

Comments are plain text, stored exactly as written. Client addresses are kept only as
salted SHA-256 hashes (:mod:`clients`), for the rate limit and the duplicate check.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.transactions import in_transaction

from contentapi import sql
from contentapi.articles.visibility import visible_sql
from contentapi.comments.events import APPROVED, HIDDEN, CommentEvent
from contentapi.comments.models import Comment, CommentStatus
from contentapi.errors import DomainError, DomainErrors, ErrorCode, not_found
from contentapi.events.outbox import Outbox
from contentapi.text_rules import text_error

MAX_NAME_LENGTH = 100
MAX_BODY_LENGTH = 4000
MAX_WEBSITE_LENGTH = 2000  # the honeypot is never stored; anything in it is spam
MAX_LINKS = 2  # more than this holds a comment back with the flag "links"
DUPLICATE_WINDOW = timedelta(minutes=10)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)  # one match per address


class Decision(StrEnum):
    """What a moderator decides."""

    APPROVE = "APPROVE"
    REJECT = "REJECT"
    SPAM = "SPAM"


_STATUS = {
    Decision.APPROVE: CommentStatus.APPROVED,
    Decision.REJECT: CommentStatus.REJECTED,
    Decision.SPAM: CommentStatus.SPAM,
}


@dataclass(frozen=True)
class NewComment:
    """A comment as a reader sends it."""

    article_id: int
    locale: str
    author_name: str
    email: str
    body: str
    website: str | None = None  # the honeypot: people leave it empty


def _check(new: NewComment) -> None:
    errors: list[DomainError] = []
    for field, value, limit in (
        ("authorName", new.author_name, MAX_NAME_LENGTH),
        ("email", new.email, 254),
        ("body", new.body, MAX_BODY_LENGTH),
    ):
        if not value.strip():
            errors.append(DomainError(ErrorCode.REQUIRED, f"{field} is required", field=field))
        elif len(value) > limit:
            errors.append(
                DomainError(
                    ErrorCode.TOO_LONG,
                    f"{field} is over {limit} characters",
                    field=field,
                    params={"max": limit},
                )
            )
        elif (bad := text_error(field, value, shown=field != "email")) is not None:
            errors.append(bad)  # control or text-direction characters; an invisible name
        elif field == "email" and not EMAIL.match(value.strip()):
            errors.append(
                DomainError(ErrorCode.INVALID_EMAIL, "That is not an e-mail address", "email")
            )
    if new.website is not None and len(new.website) > MAX_WEBSITE_LENGTH:
        errors.append(
            DomainError(
                ErrorCode.TOO_LONG,
                f"website is over {MAX_WEBSITE_LENGTH} characters",
                field="website",
                params={"max": MAX_WEBSITE_LENGTH},
            )
        )
    if errors:
        raise DomainErrors(errors)


async def post_comment(new: NewComment, client: str, now: datetime) -> Comment:
    """Store a reader's comment: PENDING, or SPAM when the honeypot was filled."""
    _check(new)
    # one statement: the article, if it is live and has a visible translation
    found = await sql.fetch(
        'SELECT a."comments_open" AS "comments_open" FROM "article" a WHERE a."id" = ? AND '
        'EXISTS (SELECT 1 FROM "article_translation" t WHERE t."article_id" = a."id" AND '
        f"{visible_sql('t', 'a')})",
        [new.article_id, now],
    )
    if not found:
        raise not_found("article", field="articleId")
    if not found[0]["comments_open"]:
        raise DomainError(
            ErrorCode.COMMENTS_CLOSED, "Comments are closed for this article", field="articleId"
        )
    body_hash = hashlib.sha256(new.body.encode()).hexdigest()
    flag: str | None
    if new.website:
        status, flag = CommentStatus.SPAM, "honeypot"  # the poster sees a normal answer
    else:
        if await sql.fetch(
            'SELECT 1 AS "found" FROM "comment" WHERE "client_hash" = ? AND "body_hash" = ? '
            'AND "created_at" >= ? LIMIT 1',
            [client, body_hash, now - DUPLICATE_WINDOW],
        ):
            raise DomainError(ErrorCode.DUPLICATE, "The same comment was just posted", field="body")
        links = len(LINK.findall(new.body))
        status, flag = CommentStatus.PENDING, ("links" if links > MAX_LINKS else None)
    return await sql.insert(
        Comment,
        {
            "article_id": new.article_id,
            "locale": new.locale,
            "author_name": new.author_name.strip(),
            "email": new.email.strip(),
            "body": new.body,  # exactly as written
            "status": status,
            "flag": flag,
            "client_hash": client,
            "body_hash": body_hash,
            "created_at": now,
        },
    )


class StatusConflict(DomainError):
    """CONFLICT: the comment's status is not the one the moderator decided on."""

    def __init__(self, comment: Comment) -> None:
        status = CommentStatus(comment.status).value
        super().__init__(
            ErrorCode.CONFLICT,
            f"Someone else decided first; the comment is {status} now",
            field="expectedStatus",
            params={"status": status},
            extensions={"currentStatus": status},
        )
        self.comment = comment  # as it is now, for the payload


async def moderate(
    comment_id: int,
    decision: Decision,
    moderator: str,
    now: datetime,
    outbox: Outbox,
    expected: CommentStatus | None = None,
) -> Comment:
    """Approve, reject or mark as spam; NOT_FOUND for a comment that does not exist.

    With ``expected`` (the status the moderator saw), the decision is taken only while
    the comment still has it, tested in the UPDATE itself, so of two decisions made at
    once exactly one wins and the other is :class:`StatusConflict`. Deciding what is
    already so changes nothing and succeeds. An approval that changes the status is
    recorded in ``outbox`` (a second one is not).
    """
    if not await Comment.exists(id=comment_id):
        raise not_found("comment")
    target = _STATUS[decision]
    async with in_transaction():
        # one statement: UPDATE ... WHERE id = ? [AND status = expected] AND status <> target
        query = Comment.filter(id=comment_id)
        if expected is not None:
            query = query.filter(status=expected)
        changed = await query.exclude(status=target).update(
            status=target, moderated_at=now, moderated_by=moderator
        )
        row = await Comment.get(id=comment_id)
        if expected is not None and not changed and not row.status == expected == target:
            raise StatusConflict(row)
        # an approval is announced; any other change may hide an approved comment
        name = APPROVED if decision is Decision.APPROVE else HIDDEN
        if changed:
            await outbox.record(CommentEvent(name, row.id, row.article_id, now.astimezone(UTC)))
    return row
