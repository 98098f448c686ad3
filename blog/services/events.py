"""Events that other features react to (notifications, related posts).

Issue #5 turns each of these into a row of the transactional outbox, written in the caller's
transaction; until then they record nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blog.models import Comment, Post, User


def comment_created(comment: Comment) -> None:
    """A signed-in reader wrote a comment (any status): they follow the thread for replies."""


def comment_approved(comment: Comment) -> None:
    """A comment became public (on creation, or by a moderator's approval)."""


def comment_decided(comment: Comment, decision: str, moderator: User | None) -> None:
    """A moderator approved or rejected a comment; its author hears of it."""


def post_published(post: Post) -> None:
    """A post became public for the first time."""


def post_changed(post: Post) -> None:
    """A post's text, tags or status changed (related posts are recomputed)."""
