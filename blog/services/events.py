"""Events that other features react to (notifications, related posts).

Each event the notification worker delivers is a row of the transactional outbox (`events`),
written in the caller's transaction: it becomes durable exactly when the change it reports is
committed, and the worker (`flask notifications work`) turns it into notifications and emails.
These functions only flush; they never commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert

from blog.models import Event, EventKind
from blog.services import sql

if TYPE_CHECKING:
    from blog.models import Comment, Post, User

DECISIONS = ("approve", "reject")


def comment_created(comment: Comment) -> None:
    """A signed-in reader wrote a comment (any status): they follow the thread for replies.

    Nothing is delivered for a new comment: readers hear of it once it is approved.
    """
    from blog.services import follows

    if comment.author_id is not None:
        follows.follow_on_comment(comment.author_id, comment.post_id)


def comment_approved(comment: Comment, *, created: bool = False) -> None:
    """A comment became public (on creation, or by a moderator's approval).

    `created` marks the approval of a comment just written: its webhooks then also say
    `comment.created`, so a published new comment costs one outbox row, not two.
    """
    _record(EventKind.COMMENT_APPROVED, f"comment:{comment.id}", post_id=comment.post_id,
            comment_id=comment.id, actor_id=comment.author_id,
            data={"created": True} if created else {})


def comment_held(comment: Comment) -> None:
    """A new comment was held for a moderator (pending) or marked spam; only webhooks hear."""
    _record(EventKind.COMMENT_HELD, f"held:{comment.id}", post_id=comment.post_id,
            comment_id=comment.id, actor_id=comment.author_id,
            data={"status": comment.status})


def comment_flagged(comment: Comment) -> None:
    """Readers' flags took an approved comment out of public view; only webhooks hear."""
    _record(EventKind.COMMENT_FLAGGED, f"flagged:{comment.id}", post_id=comment.post_id,
            comment_id=comment.id)


def comment_decided(comment: Comment, decision: str, moderator: User | None) -> None:
    """A moderator approved or rejected a comment; its author hears of it."""
    if decision not in DECISIONS or comment.author_id is None:
        return
    _record(EventKind.COMMENT_DECIDED, f"moderation:{comment.id}:{decision}",
            post_id=comment.post_id, comment_id=comment.id,
            actor_id=moderator.id if moderator is not None else None,
            data={"decision": decision})


def post_published(post: Post) -> None:
    """A post became public for the first time."""
    _record(EventKind.POST_PUBLISHED, f"post:{post.id}", post_id=post.id,
            actor_id=post.author_id)


def post_changed(post: Post) -> None:
    """A post's text, tags or status changed (related posts are recomputed)."""


_INSERT_EVENT = sql.DriverStatement(insert(Event.__table__))


def _record(kind: EventKind, key: str, **values) -> None:
    """Write the event in the session's transaction (one INSERT; no ORM object to track)."""
    _INSERT_EVENT.execute({"kind": kind.value, "key": key, **values})
