"""The notification worker: drains the outbox into notifications and webhook deliveries, then
sends the webhooks and the emails.

Concurrency. On PostgreSQL several workers may run at once: events are claimed with
`SELECT ... FOR UPDATE SKIP LOCKED` and expanded and marked processed in that same transaction,
so each event is done exactly once; emails are claimed one at a time the same way, and the
claim (status `sending`) is committed before the SMTP conversation. SQLite has no row locks:
run one worker there.

Email delivery is at-least-once with a stable Message-ID: each message is marked `sent` in its
own commit right after the server accepted it. A worker killed between the server's "250 OK"
and that commit leaves the one message it was sending in `sending`; after MAIL_SEND_LEASE_SECONDS
another run sends it again with the same Message-ID, which receiving systems dedupe on.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from blog.delivery import webhooks as webhook_sender
from blog.delivery.backoff import backoff
from blog.delivery.channels import PermanentFailure, TemporaryFailure, channel_for_app
from blog.delivery.render import message_id_for, render
from blog.extensions import db
from blog.models import EmailMessage, EmailSuppression, Event, MessageStatus, utcnow
from blog.services import notifications, webhooks

log = logging.getLogger(__name__)


@dataclass
class RunStats:
    events: int = 0
    notifications: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    webhooks_delivered: int = 0
    webhooks_retried: int = 0
    webhooks_failed: int = 0

    def add(self, other: RunStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def busy(self) -> bool:
        return bool(self.events or self.sent or self.retried or self.failed or self.skipped
                    or self.webhooks_delivered or self.webhooks_retried or self.webhooks_failed)


# -- events ---------------------------------------------------------------------------------

def process_events(batch_size: int | None = None) -> RunStats:
    """Claim one batch of unprocessed events, expand them, and commit; return what was done."""
    batch_size = batch_size or current_app.config["NOTIFICATIONS_EVENT_BATCH"]
    stats = RunStats()
    claimed = db.session.scalars(
        select(Event).where(Event.processed_at.is_(None)).order_by(Event.id)
        .limit(batch_size).with_for_update(skip_locked=True)
    ).all()
    subscribed = webhooks.endpoints() if claimed else []
    for event in claimed:
        stats.notifications += _expand_alone(event, subscribed)
        event.processed_at = utcnow()
        stats.events += 1
    db.session.commit()
    return stats


def _expand_alone(event: Event, subscribed) -> int:
    """Expand one event into notifications and webhook deliveries, in a savepoint, so one bad
    event cannot block the queue behind it."""
    try:
        with db.session.begin_nested():
            webhooks.queue_deliveries(event, subscribed)
            return notifications.expand_event(event)
    except Exception as error:  # a bug or a vanished row: keep the event's story, go on
        log.exception("event %s (%s) could not be expanded", event.id, event.key)
        event.data = {**(event.data or {}), "error": f"{type(error).__name__}: {error}"}
        return 0


# -- emails ---------------------------------------------------------------------------------

def claim_message(now: datetime) -> EmailMessage | None:
    """Claim the next due message (status `sending`, committed) or return None."""
    lease = timedelta(seconds=current_app.config["MAIL_SEND_LEASE_SECONDS"])
    message = db.session.scalar(
        select(EmailMessage)
        .where(or_(
            and_(EmailMessage.status == MessageStatus.QUEUED.value,
                 EmailMessage.next_attempt_at <= now),
            and_(EmailMessage.status == MessageStatus.SENDING.value,
                 EmailMessage.claimed_at <= now - lease),
        ))
        .order_by(EmailMessage.next_attempt_at, EmailMessage.id)
        .limit(1).with_for_update(skip_locked=True)
    )
    if message is None:
        db.session.commit()
        return None
    message.status = MessageStatus.SENDING.value
    message.claimed_at = now
    message.attempts += 1
    message.message_id = message.message_id or message_id_for(message)
    db.session.commit()
    return message


def send_due_emails(channel, now: datetime | None = None, limit: int | None = None) -> RunStats:
    """Send due messages one by one, each claimed and settled in its own commit."""
    limit = limit or current_app.config["MAIL_BATCH_SIZE"]
    stats = RunStats()
    for _ in range(limit):
        message = claim_message(now or utcnow())
        if message is None:
            break
        _deliver(channel, message, now or utcnow(), stats)
        db.session.commit()
    return stats


def _deliver(channel, message: EmailMessage, now: datetime, stats: RunStats) -> None:
    if _is_suppressed(message.to_address):
        message.status = MessageStatus.SUPPRESSED.value
        stats.skipped += 1
        return
    outgoing = render(message)
    if outgoing is None:
        message.status = MessageStatus.SUPPRESSED.value
        message.last_error = "nothing to send any more (unsubscribed or gone)"
        stats.skipped += 1
        return
    try:
        channel.send(outgoing)
    except TemporaryFailure as error:
        _retry_later(message, now, str(error), stats)
    except PermanentFailure as error:
        message.status = MessageStatus.FAILED.value
        message.last_error = str(error)
        record_bounce(message.to_address, str(error), now)
        stats.failed += 1
        log.warning("email %s to %s bounced: %s", message.id, message.to_address, error)
    else:
        message.status = MessageStatus.SENT.value
        message.sent_at = now
        _clear_bounces(message.to_address)
        stats.sent += 1


def _retry_later(message: EmailMessage, now: datetime, error: str, stats: RunStats) -> None:
    message.last_error = error
    config = current_app.config
    if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED.value
        stats.failed += 1
        log.warning("email %s to %s gave up after %d attempts: %s", message.id,
                    message.to_address, message.attempts, error)
        return
    message.status = MessageStatus.QUEUED.value
    message.next_attempt_at = now + backoff(
        message.attempts, config["MAIL_RETRY_BASE_SECONDS"], config["MAIL_RETRY_MAX_SECONDS"])
    stats.retried += 1
    log.info("email %s to %s failed (%s); retry at %s", message.id, message.to_address, error,
             message.next_attempt_at.isoformat())


def _is_suppressed(address: str) -> bool:
    return db.session.scalar(
        select(EmailSuppression.address).where(EmailSuppression.address == address,
                                               EmailSuppression.suppressed_at.is_not(None))
    ) is not None


def record_bounce(address: str, error: str, now: datetime) -> None:
    """Count a permanent failure; suppress the address after MAIL_BOUNCE_LIMIT of them."""
    suppression = db.session.get(EmailSuppression, address)
    if suppression is None:
        suppression = EmailSuppression(address=address, bounces=0)
        db.session.add(suppression)
    suppression.bounces += 1
    suppression.last_error = error
    if suppression.bounces >= current_app.config["MAIL_BOUNCE_LIMIT"]:
        suppression.suppressed_at = suppression.suppressed_at or now


def _clear_bounces(address: str) -> None:
    db.session.execute(
        update(EmailSuppression)
        .where(EmailSuppression.address == address, EmailSuppression.suppressed_at.is_(None))
        .values(bounces=0)
        .execution_options(synchronize_session=False)
    )


# -- runs -----------------------------------------------------------------------------------

def run_once(now: datetime | None = None, channel=None) -> RunStats:
    """Drain what is due: every event, the digests, then every due email; return the totals."""
    total = RunStats()
    while True:
        stats = process_events()
        total.add(stats)
        if not stats.events:
            break
    notifications.queue_digests(now)
    db.session.commit()
    total.add(send_due_webhooks(now))  # first: an endpoint disabled now emails the admins below
    channel = channel or channel_for_app()
    try:
        while True:
            stats = send_due_emails(channel, now)
            total.add(stats)
            if not stats.busy:
                break
    finally:
        channel.close()
    return total


def send_due_webhooks(now: datetime | None = None) -> RunStats:
    """Send the due webhook deliveries (blog.delivery.webhooks) for up to WEBHOOKS_RUN_SECONDS;
    the rest are sent by the next run, after this one's emails."""
    total = RunStats()
    deadline = time.monotonic() + current_app.config["WEBHOOKS_RUN_SECONDS"]
    while True:
        delivered, retried, failed = webhook_sender.send_due_webhooks(now, deadline=deadline)
        total.add(RunStats(webhooks_delivered=delivered, webhooks_retried=retried,
                           webhooks_failed=failed))
        if not (delivered or retried or failed) or time.monotonic() >= deadline:
            return total


def run_forever(poll_seconds: float, stop=lambda: False) -> None:
    """Work until `stop()` says so (or the process is stopped), sleeping when idle."""
    while not stop():
        try:
            stats = run_once()
        except Exception:  # a worker that dies on a bad row helps nobody: log, wait, go on
            db.session.rollback()
            log.exception("notification worker run failed")
            stats = RunStats()
        if stats.busy:
            log.info("worker: %s", stats)
        else:
            time.sleep(poll_seconds)
