"""Comments for tests, made through the same service the API uses."""

from __future__ import annotations

from datetime import timedelta

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, User, utcnow
from blog.services import comments
from blog.services.comment_status import change_status


def make_comment(post: Post, author: User, body: str = "A fair point.", *,
                 parent: Comment | None = None, status: str | None = None,
                 minutes_ago: float | None = None, signals: list[str] | None = None) -> Comment:
    """Write a comment (approved unless `status` says otherwise) and commit it."""
    comment = comments.create_comment(post, author, body, parent.id if parent else None)
    if status is not None:
        change_status(comment, CommentStatus(status))
    if signals is not None:
        comment.signals = signals
    if minutes_ago is not None:
        comment.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return comment


def assert_problem(response, status: int) -> dict:
    """Check that `response` is a problem+json answer with `status`; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def fresh(instance):
    """Return `instance` as the database holds it now (requests ran in their own sessions)."""
    db.session.refresh(instance)
    return instance
