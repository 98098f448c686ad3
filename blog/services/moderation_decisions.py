"""Moderators' decisions on comments: approve, reject, mark spam, delete; one or many.

Each decision locks the comment's row first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite a
write that takes the database's write lock), then reads its status afresh. Two moderators
deciding the same comment at once are thus served one after the other: both succeed, the second
sees the first one's result, and the log holds two rows with the statuses each one really saw.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Comment, CommentFlag, CommentStatus, ModerationAction, User, utcnow
from blog.services import events, moderation_log
from blog.services.comment_status import change_status
from blog.services.errors import Conflict, NotFound, ServiceError

MAX_BULK = 100


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    DELETE = "delete"


OUTCOME = {
    Decision.APPROVE: CommentStatus.APPROVED,
    Decision.REJECT: CommentStatus.REJECTED,
    Decision.SPAM: CommentStatus.SPAM,
    Decision.DELETE: CommentStatus.DELETED,
}
#: The author hears of these decisions (through the notifications feature), by their names
#: here: the event, the notification's `decision` and its email all say "approve"/"reject".
NOTIFIED = (Decision.APPROVE, Decision.REJECT)


def lock_comment(comment_id: int) -> Comment:
    """Return the comment, its row locked for this transaction and its fields read afresh."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a write takes the database's write lock before the read.
        db.session.execute(
            update(Comment).where(Comment.id == comment_id).values(status=Comment.status)
            .execution_options(synchronize_session=False)
        )
    comment = db.session.scalar(
        select(Comment).where(Comment.id == comment_id)
        .with_for_update().execution_options(populate_existing=True)
    )
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def decide(comment_id: int, action: Decision | str, moderator: User, reason: str = "") -> Comment:
    """Apply a moderator's decision to one comment and write it to the audit log."""
    action = Decision(action)
    comment = lock_comment(comment_id)
    before = comment.status
    if before == CommentStatus.DELETED and action != Decision.DELETE:
        raise Conflict("This comment was deleted; it can no longer be decided.")
    change_status(comment, OUTCOME[action])
    if action == Decision.APPROVE:
        clear_flags(comment)
    if action == Decision.DELETE and comment.deleted_at is None:
        comment.deleted_at = utcnow()
    moderation_log.record(ModerationAction(action.value), moderator, comment=comment,
                          before=before, after=comment.status, reason=reason)
    if action in NOTIFIED and before != comment.status:
        events.comment_decided(comment, action.value, moderator)
    db.session.flush()
    return comment


def clear_flags(comment: Comment) -> None:
    """Clear the comment's open flags: they no longer count, and their readers cannot re-flag."""
    db.session.execute(
        update(CommentFlag)
        .where(CommentFlag.comment_id == comment.id, CommentFlag.cleared_at.is_(None))
        .values(cleared_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    comment.flag_count = 0


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def decide_many(ids: list[int], action: Decision | str, moderator: User,
                reason: str = "") -> BulkResult:
    """Apply one decision to many comments; each one that cannot be decided is reported."""
    result = BulkResult()
    # A fixed lock order, so two bulk decisions over the same comments cannot deadlock.
    for comment_id in sorted(set(ids)):
        try:
            with db.session.begin_nested():
                decide(comment_id, action, moderator, reason)
        except ServiceError as error:
            result.failed[str(comment_id)] = error.detail
        else:
            result.done.append(comment_id)
    return result
