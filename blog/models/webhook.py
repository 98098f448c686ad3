"""Webhooks: endpoints the admins register, and one delivery row per event and endpoint."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow


class WebhookEvent(enum.StrEnum):
    """What an endpoint may subscribe to (the `type` of the body sent)."""

    COMMENT_CREATED = "comment.created"
    COMMENT_HELD = "comment.held"
    COMMENT_APPROVED = "comment.approved"
    COMMENT_FLAGGED = "comment.flagged"
    POST_PUBLISHED = "post.published"


class WebhookFormat(enum.StrEnum):
    #: The Standard Webhooks body: {"type", "timestamp", "data"}.
    STANDARD = "standard"
    #: A Slack incoming-webhook body: {"text"} (signed all the same).
    SLACK = "slack"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    #: WebhookEvent values this endpoint receives.
    events: Mapped[list] = mapped_column(JSON, default=list)
    #: The signing secret, "whsec_" + base64 (Standard Webhooks); shown once, when registered.
    secret: Mapped[str] = mapped_column(String(100))
    #: The secret before the last rotation, still signing (beside `secret`) until
    #: `previous_secret_until`, so the receiver can switch to the new one without a gap.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    format: Mapped[str] = mapped_column(String(16), default=WebhookFormat.STANDARD.value)
    description: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Failed attempts since the last success; WEBHOOKS_DISABLE_AFTER of them disable it.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str] = mapped_column(String(300), default="")

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets a delivery sent at `now` is signed with: the current one, and the one
        before it while its grace period lasts."""
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            return (self.secret, self.previous_secret)
        return (self.secret,)


class WebhookDelivery(Base):
    """One event for one endpoint: its body is fixed when queued, so every retry is the same
    message (same `webhook-id`, same bytes) and receivers can dedupe on the id."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # One delivery per event, type and endpoint: an event expanded twice queues nothing new.
        UniqueConstraint("event_id", "event_type", "endpoint_id"),
        # The sender's queue: due deliveries in order.
        Index("ix_webhook_deliveries_due", "next_attempt_at", "id",
              postgresql_where=text("status IN ('queued', 'sending')"),
              sqlite_where=text("status IN ('queued', 'sending')")),
        # The delivery log of an endpoint, newest first.
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    event_type: Mapped[str] = mapped_column(String(32))
    #: The `webhook-id` header: stable across retries.
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()
