"""Comments and flags for moderation tests, inserted directly (the comments feature not needed)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from blog.extensions import db
from blog.models import Comment, CommentFlag, CommentStatus, Post, User, utcnow
from blog.services.comment_status import change_status

_numbers = itertools.count(1)


def make_comment(post: Post, author: User | None, body: str | None = None, *,
                 status: str = CommentStatus.APPROVED, parent: Comment | None = None,
                 signals: list[str] | None = None, minutes_ago: float | None = None,
                 commit: bool = True) -> Comment:
    """Insert a comment, then move it to `status` through change_status (counters stay exact)."""
    text = body if body is not None else f"Comment number {next(_numbers)}."
    comment = Comment(
        post_id=post.id, author_id=author.id if author else None, body=text,
        body_html=f"<p>{text}</p>", status=CommentStatus.PENDING, signals=signals or [],
        parent_id=parent.id if parent else None,
        thread_id=(parent.thread_id or parent.id) if parent else None,
        depth=(parent.depth + 1) if parent else 0,
    )
    if minutes_ago is not None:
        comment.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.add(comment)
    db.session.flush()
    change_status(comment, status)
    if commit:
        db.session.commit()
    return comment


def flag(comment: Comment, user: User, reason: str = "abuse", note: str = "") -> CommentFlag:
    """Record a reader's flag the way the comments feature does, then tell moderation."""
    from blog.services import moderation

    flag = CommentFlag(comment_id=comment.id, user_id=user.id, reason=reason, note=note)
    db.session.add(flag)
    comment.flag_count += 1
    db.session.flush()
    moderation.flag_recorded(comment)
    db.session.commit()
    return flag
