"""Email: visitors' subscriptions, the messages to send, and suppressed addresses."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.post import Tag


class SubscriptionStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"


class MessageKind(enum.StrEnum):
    NOTIFICATION = "notification"
    DIGEST = "digest"
    CONFIRM = "confirm"
    #: A new post, to a visitor's email subscription.
    POST = "post"
    #: A link to set a new password (the token is made when the email is rendered).
    PASSWORD_RESET = "password_reset"


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    #: Claimed by a worker; back in the queue if it stays so longer than the send lease.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


subscription_tags = Table(
    "subscription_tags",
    Base.metadata,
    Column("subscription_id", ForeignKey("email_subscriptions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class EmailSubscription(Base):
    """A visitor's subscription to new posts (all, or some tags), active once confirmed."""

    __tablename__ = "email_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=SubscriptionStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Confirmation emails sent in the current window (rate limit per address).
    confirmations_sent: Mapped[int] = mapped_column(default=0)
    confirmation_window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: No tags: every new post.
    tags: Mapped[list[Tag]] = relationship(secondary=subscription_tags, order_by=Tag.name)


class EmailMessage(Base):
    """One email to send; rendered when sent, from the rows it points to."""

    __tablename__ = "email_messages"
    __table_args__ = (
        UniqueConstraint("notification_id"),
        UniqueConstraint("subscription_id", "post_id"),
        UniqueConstraint("user_id", "digest_until"),
        # The worker's queue: due messages first.
        Index("ix_email_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    to_address: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_subscriptions.id", ondelete="CASCADE")
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: A digest covers the reader's notifications made in (digest_since, digest_until].
    digest_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Extra values for rendering (the confirmation token).
    data: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The Message-ID header, derived from what the message is about (stable across retries).
    message_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EmailSuppression(Base):
    """An address that bounced; suppressed (never mailed) after repeated permanent failures."""

    __tablename__ = "email_suppressions"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)
    #: Permanent failures since the last successful delivery.
    bounces: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    suppressed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
