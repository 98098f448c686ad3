"""Moderation: bans, per-post pre-moderation and the append-only audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.comment import Comment
from blog.models.user import User

#: Marks a plain id column that names a user without a foreign key (blog.services.privacy finds
#: every column naming a user through foreign keys to users.id and this mark).
REFERS_TO_USER = {"refers_to": "users.id"}

#: The moderation queue shows each author's approved and rejected counts (one grouped index
#: scan), and the pipeline looks at an author's approved comments and recent spam (each an index
#: range that stops early; without `created_at` here SQLite walked every comment of the author
#: in the spam window instead).
Index("ix_comments_author_status_created", Comment.author_id, Comment.status, Comment.created_at)


class ModerationAction(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    DELETE = "delete"
    #: Readers' flags crossed the threshold; the comment left public view (no moderator).
    FLAG_THRESHOLD = "flag_threshold"
    BAN = "ban"
    UNBAN = "unban"
    PREMODERATE_POST = "premoderate_post"


class Ban(Base):
    """A user who may not comment (or whose comments are silently stored as spam)."""

    __tablename__ = "bans"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The moderator who banned; not a foreign key, so a moderator's account can go.
    moderator_id: Mapped[int | None] = mapped_column(info=REFERS_TO_USER)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The ban ends by itself at this time; NULL means until lifted.
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A shadow ban lets the user post, stores their comments as spam and shows them only to them.
    shadow: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def is_active(self, now: datetime) -> bool:
        return self.in_force(self.until, now)

    @staticmethod
    def in_force(until: datetime | None, now: datetime) -> bool:
        """A ban ends by itself when `until` passes; without one it lasts until lifted."""
        return until is None or until > now


class PostModeration(Base):
    """Per-post moderation settings (a row only for posts that differ from the site's)."""

    __tablename__ = "post_moderation"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    #: Every new or edited comment on this post waits for a moderator.
    premoderate: Mapped[bool] = mapped_column(default=False)


class ModerationLogEntry(Base):
    """One decision, ban or unban, as it happened. Rows are never changed or deleted.

    The ids are plain columns, not foreign keys: deleting a comment or an account must not
    delete history. The one change ever made: deleting an account erases its id from the rows
    (blog.services.privacy), so the history stays without naming them.
    """

    __tablename__ = "moderation_log"
    __table_args__ = (
        Index("ix_moderation_log_created", "created_at", "id"),
        Index("ix_moderation_log_user", "user_id", "created_at"),
        Index("ix_moderation_log_comment", "comment_id"),
        # The dashboard: the decisions that took comments out of the pending queue, by time
        # (covering: the query reads the comment ids and new statuses from the index alone).
        Index("ix_moderation_log_status_before_created", "status_before", "created_at",
              "status_after", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who acted; NULL for the system (e.g. readers' flags crossing the threshold) and for an
    #: account deleted since (blog.services.privacy erases the reference, keeping the row).
    moderator_id: Mapped[int | None] = mapped_column(info=REFERS_TO_USER)
    action: Mapped[str] = mapped_column(String(32))
    comment_id: Mapped[int | None] = mapped_column()
    #: The user concerned: the comment's author, or the user banned or unbanned (NULL once
    #: their account is deleted).
    user_id: Mapped[int | None] = mapped_column(info=REFERS_TO_USER)
    post_id: Mapped[int | None] = mapped_column()
    #: The comment's status as the acting transaction saw it, before and after.
    status_before: Mapped[str | None] = mapped_column(String(16))
    status_after: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: What else the action set, e.g. "shadow, until 2026-12-01T00:00:00+00:00".
    detail: Mapped[str] = mapped_column(String(200), default="")


@event.listens_for(ModerationLogEntry, "before_update")
@event.listens_for(ModerationLogEntry, "before_delete")
def _refuse_rewriting_history(mapper, connection, target) -> None:
    raise RuntimeError("the moderation log is append-only")
