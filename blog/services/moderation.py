"""The moderation pipeline: one function decides every new or edited comment.

Issue #4 fills this in (signals, trust, word lists, bans). Until then every comment is approved
unless the site pre-moderates everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from blog.models import Comment, CommentStatus, User


@dataclass
class Assessment:
    """What the pipeline decided for a comment, and the named signals that led there."""

    status: CommentStatus
    signals: list[str] = field(default_factory=list)


def ensure_may_comment(user: User) -> None:
    """Raise Forbidden if `user` may not comment at all (banned)."""


def assess_comment(comment: Comment, *, is_edit: bool = False) -> Assessment:
    """Decide the status of a new or edited comment."""
    if current_app.config["MODERATION_PREMODERATE_ALL"]:
        return Assessment(CommentStatus.PENDING, ["premoderate_all"])
    return Assessment(CommentStatus.APPROVED)


def flag_recorded(comment: Comment) -> None:
    """React to a new flag on `comment` (its flag_count already counts it)."""
