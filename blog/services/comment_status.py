"""The one place where a comment's status changes, so the counters can never drift."""

from __future__ import annotations

from sqlalchemy import update

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post
from blog.services import events


def change_status(comment: Comment, new_status: CommentStatus | str) -> str:
    """Set `comment`'s status; keep the post's and parent's approved counts exact.

    The counters move with atomic `UPDATE ... SET n = n + 1` statements, so concurrent
    decisions never lose an update. Returns the previous status.
    """
    old_status = comment.status
    new_status = str(CommentStatus(new_status))
    if old_status == new_status:
        return old_status
    delta = (new_status == CommentStatus.APPROVED) - (old_status == CommentStatus.APPROVED)
    comment.status = new_status
    if delta:
        _move_counters(comment, delta)
    db.session.flush()
    if new_status == CommentStatus.APPROVED:
        events.comment_approved(comment)
    return old_status


def _move_counters(comment: Comment, delta: int) -> None:
    """Move the parent's reply count, then the post's count.

    Comment rows before the post's row, as everywhere (the thread version is raised last, at
    commit), so a vote on the parent and this change cannot wait on each other in a circle.
    """
    if comment.parent_id is not None:
        db.session.execute(
            update(Comment).where(Comment.id == comment.parent_id)
            .values(reply_count=Comment.reply_count + delta)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Post).where(Post.id == comment.post_id)
        .values(comment_count=Post.comment_count + delta)
        .execution_options(synchronize_session=False)
    )
