"""In-app notifications, the outbox of events that make them, and readers' preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.comment import Comment
from blog.models.post import Post
from blog.models.user import User


class NotificationKind(enum.StrEnum):
    REPLY = "reply"
    COMMENT = "comment"
    POST = "post"
    MODERATION = "moderation"
    #: To admins: a webhook endpoint kept failing and was disabled.
    WEBHOOK = "webhook"


class EventKind(enum.StrEnum):
    COMMENT_APPROVED = "comment_approved"
    COMMENT_DECIDED = "comment_decided"
    POST_PUBLISHED = "post_published"
    #: A new comment held for a moderator (pending or spam) when written.
    COMMENT_HELD = "comment_held"
    #: Readers' flags took an approved comment out of public view.
    COMMENT_FLAGGED = "comment_flagged"


class EmailPreference(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    OFF = "off"


class Event(Base):
    """A row of the transactional outbox, written in the transaction of the change it reports."""

    __tablename__ = "events"
    __table_args__ = (
        # The worker's queue: unprocessed events in order.
        Index("ix_events_pending", "id", postgresql_where=text("processed_at IS NULL"),
              sqlite_where=text("processed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: Names what happened once: notifications are unique per reader and key, so an event
    #: written twice (a comment approved, hidden, approved again) never notifies twice.
    key: Mapped[str] = mapped_column(String(64))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # One notification per reader and event, whatever number of follows matched.
        UniqueConstraint("user_id", "event_key"),
        # The feed, newest first, and the unread count.
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_unread", "user_id", postgresql_where=text("read_at IS NULL"),
              sqlite_where=text("read_at IS NULL")),
        # The emails of one event's notifications.
        Index("ix_notifications_event_key", "event_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    #: Why this reader hears of it: reply, thread, author, tag or moderation (the most specific).
    reason: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: The moderator's decision for kind `moderation`: approve or reject.
    detail: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    post: Mapped[Post | None] = relationship()
    comment: Mapped[Comment | None] = relationship()


class NotificationPreferences(Base):
    """A reader's choices; a reader without a row has the defaults."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(16), default=EmailPreference.IMMEDIATE.value)
    #: Writing a comment follows its thread at level `replies`.
    auto_follow: Mapped[bool] = mapped_column(default=True)
    #: When the last daily digest was queued (its notifications are those made before).
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
