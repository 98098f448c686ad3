"""The one place where a comment's status changes, so the counters can never drift."""

from __future__ import annotations

from sqlalchemy import bindparam, update

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post
from blog.services import events, sql, thread_cache


def change_status(comment: Comment, new_status: CommentStatus | str) -> str:
    """Set `comment`'s status; keep the post's and parent's approved counts exact.

    The counters move with atomic `UPDATE ... SET n = n + 1` statements, so concurrent
    decisions never lose an update. Returns the previous status.
    """
    old_status = comment.status
    new_status = str(CommentStatus(new_status))
    if old_status == new_status:
        return old_status
    comment.status = new_status
    _count_change(comment, old_status, new_status)
    return old_status


_comments, _posts = Comment.__table__.c, Post.__table__.c
#: Built once (Core statements: the ORM has no objects of these rows to keep in step).
_COUNT_REPLY = sql.DriverStatement(
    update(Comment.__table__).where(_comments.id == bindparam("comment_id"))
    .values(reply_count=_comments.reply_count + bindparam("delta")))
_COUNT_ON_POST = sql.DriverStatement(
    update(Post.__table__).where(_posts.id == bindparam("post_id"))
    .values(comment_count=_posts.comment_count + bindparam("delta"), **thread_cache.RAISE_VERSION))


def set_first_status(comment: Comment, status: CommentStatus | str) -> None:
    """Give a comment not yet written its first status (see `count_new_comment`)."""
    if comment.id is not None:
        raise ValueError("set_first_status is for comments not yet written; use change_status")
    comment.status = str(CommentStatus(status))


def count_new_comment(comment: Comment) -> None:
    """Count a comment just written with its first status, as a change from no status at all.

    A new comment is inserted with the status the pipeline decided, in one INSERT; an approved
    one then moves the counters and reports itself, as `change_status` would.
    """
    _count_change(comment, None, comment.status)
    if comment.status != CommentStatus.APPROVED:
        events.comment_held(comment)


def _count_change(comment: Comment, old_status: str | None, new_status: str) -> None:
    """Move the counters for a status change, and report a comment that became public."""
    delta = (new_status == CommentStatus.APPROVED) - (old_status == CommentStatus.APPROVED)
    if delta:
        _move_counters(comment, delta)
    db.session.flush()
    if new_status == CommentStatus.APPROVED:
        events.comment_approved(comment, created=old_status is None)


def _move_counters(comment: Comment, delta: int) -> None:
    """Move the parent's reply count, then the post's count and its thread version.

    Comment rows before the post's row, as everywhere, so a vote on the parent and this change
    cannot wait on each other in a circle. The post's UPDATE raises the thread version too
    (blog.services.thread_cache), which then needs no UPDATE of its own at commit.
    """
    if comment.parent_id is not None:
        _COUNT_REPLY.execute({"comment_id": comment.parent_id, "delta": delta})
    _COUNT_ON_POST.execute({"post_id": comment.post_id, "delta": delta})
    thread_cache.note_raised(db.session, comment.post_id)
