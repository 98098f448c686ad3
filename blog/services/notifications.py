"""Notifications: the fan-out of outbox events, the in-app feed, and the emails to queue.

Fan-out is set-based: one `INSERT ... SELECT ... ON CONFLICT DO NOTHING` per reason, most
specific reason first, so a post to a tag with 100,000 followers is a handful of statements.
The unique constraint (user_id, event_key) keeps one notification per reader and event: the
first (most specific) reason wins, later ones are skipped by ON CONFLICT.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, Select, String, exists, literal, or_, select, true, update
from sqlalchemy.orm import selectinload

from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    EmailMessage,
    EmailPreference,
    EmailSubscription,
    EmailSuppression,
    Event,
    EventKind,
    Follow,
    FollowLevel,
    MessageKind,
    Notification,
    NotificationKind,
    NotificationPreferences,
    Post,
    PostStatus,
    Role,
    SubscriptionStatus,
    User,
    post_tags,
    subscription_tags,
    utcnow,
)
from blog.services.sql import insert_ignoring_conflicts

NOTIFICATION_COLUMNS = ("user_id", "kind", "reason", "event_key", "actor_id", "post_id",
                        "comment_id", "detail", "created_at")


# -- the in-app feed ------------------------------------------------------------------------

def notifications_of(user: User, unread_only: bool = False) -> Select:
    """Return a select() of the reader's notifications, for the caller to paginate."""
    statement = (
        select(Notification).where(Notification.user_id == user.id)
        .options(selectinload(Notification.actor), selectinload(Notification.post),
                 selectinload(Notification.comment))
    )
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(db.func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ) or 0


def mark_read(user: User, ids: list[int] | None = None, everything: bool = False) -> int:
    """Mark the reader's notifications `ids` (or all of them) read; return how many changed."""
    statement = (
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not everything:
        statement = statement.where(Notification.id.in_(ids or []))
    return db.session.execute(statement).rowcount


# -- fan-out of outbox events ---------------------------------------------------------------

def expand_event(event: Event) -> int:
    """Turn one outbox event into notifications and queued emails; return the notifications made."""
    handler = _HANDLERS.get(event.kind)
    made = handler(event) if handler else 0
    queue_notification_emails(event.key)
    return made


def _comment_approved(event: Event) -> int:
    comment = db.session.get(Comment, event.comment_id) if event.comment_id else None
    if comment is None or comment.status != CommentStatus.APPROVED:
        return 0  # hidden again before the worker came: nobody hears of it
    thread = select(Follow.user_id).where(Follow.post_id == comment.post_id)
    made = 0
    if comment.parent_id is not None:
        parent_author = select(Comment.author_id).where(Comment.id == comment.parent_id)
        repliers = thread.where(
            Follow.level.in_((FollowLevel.REPLIES.value, FollowLevel.ALL.value)),
            Follow.user_id == parent_author.scalar_subquery(),
        )
        made += _fan_out(event, NotificationKind.REPLY, "reply", repliers)
    everyone = thread.where(Follow.level == FollowLevel.ALL.value)
    made += _fan_out(event, NotificationKind.COMMENT, "thread", everyone)
    return made


def _comment_decided(event: Event) -> int:
    comment = db.session.get(Comment, event.comment_id) if event.comment_id else None
    if comment is None or comment.author_id is None:
        return 0
    author = select(User.id.label("user_id")).where(User.id == comment.author_id)
    return _fan_out(event, NotificationKind.MODERATION, "moderation", author,
                    detail=(event.data or {}).get("decision", ""))


def _post_published(event: Event) -> int:
    post = db.session.get(Post, event.post_id) if event.post_id else None
    if post is None or post.status != PostStatus.PUBLISHED:
        return 0
    by_author = select(Follow.user_id).where(Follow.author_id == post.author_id)
    post_tag_ids = select(post_tags.c.tag_id).where(post_tags.c.post_id == post.id)
    by_tag = select(Follow.user_id).where(Follow.tag_id.in_(post_tag_ids)).distinct()
    made = _fan_out(event, NotificationKind.POST, "author", by_author)
    made += _fan_out(event, NotificationKind.POST, "tag", by_tag)
    queue_subscriber_emails(post)
    return made


_HANDLERS = {
    EventKind.COMMENT_APPROVED.value: _comment_approved,
    EventKind.COMMENT_DECIDED.value: _comment_decided,
    EventKind.POST_PUBLISHED.value: _post_published,
}


def _fan_out(event: Event, kind: NotificationKind, reason: str, recipients: Select,
             detail: str = "") -> int:
    """Insert one notification per reader in `recipients` (a select of user ids), set-based.

    Never to the actor; readers already notified of this event keep their first notification.
    """
    readers = recipients.subquery()
    rows = select(
        readers.c.user_id,
        literal(kind.value, String),
        literal(reason, String),
        literal(event.key, String),
        literal(event.actor_id, Integer),
        literal(event.post_id, Integer),
        literal(event.comment_id, Integer),
        literal(detail, String),
        literal(utcnow(), Notification.created_at.type),
    )
    # Always a WHERE: SQLite would read "INSERT ... SELECT ... FROM x ON CONFLICT" as a join's ON.
    rows = rows.where(readers.c.user_id != event.actor_id if event.actor_id is not None
                      else true())
    statement = (
        insert_ignoring_conflicts(Notification.__table__)
        .from_select(NOTIFICATION_COLUMNS, rows)
        .on_conflict_do_nothing()
    )
    return _inserted(statement)


def tell_admins_webhook_disabled(endpoint) -> int:
    """Notify every admin (in the feed, and by email as each prefers) that `endpoint` was
    disabled; the notification's detail is the endpoint's id, its link the webhooks page."""
    key = f"webhook:{endpoint.id}:disabled:{int(endpoint.disabled_at.timestamp())}"
    admins = select(User.id.label("user_id")).where(User.role == Role.ADMIN.value)
    made = _fan_out(Event(key=key), NotificationKind.WEBHOOK, "admin", admins,
                    detail=str(endpoint.id))
    queue_notification_emails(key)
    return made


def _not_suppressed(address_column) -> object:
    return ~exists().where(EmailSuppression.address == address_column,
                           EmailSuppression.suppressed_at.is_not(None))


def queue_notification_emails(event_key: str) -> int:
    """Queue an email for each notification of `event_key` whose reader wants them at once."""
    rows = (
        select(literal(MessageKind.NOTIFICATION.value, String), User.email, User.id,
               Notification.id)
        .select_from(Notification)
        .join(User, User.id == Notification.user_id)
        .outerjoin(NotificationPreferences,
                   NotificationPreferences.user_id == Notification.user_id)
        .where(Notification.event_key == event_key)
        .where(or_(NotificationPreferences.email.is_(None),
                   NotificationPreferences.email == EmailPreference.IMMEDIATE.value))
        .where(User.email.is_not(None))  # SSO readers and imported authors may have none
        .where(_not_suppressed(User.email))
    )
    statement = (
        insert_ignoring_conflicts(EmailMessage.__table__)
        .from_select(("kind", "to_address", "user_id", "notification_id"), rows)
        .on_conflict_do_nothing()
    )
    return _inserted(statement)


def queue_subscriber_emails(post: Post) -> int:
    """Queue a new-post email for each active visitor subscription that covers `post`."""
    has_tags = exists().where(subscription_tags.c.subscription_id == EmailSubscription.id)
    wants_post = exists().where(
        subscription_tags.c.subscription_id == EmailSubscription.id,
        subscription_tags.c.tag_id.in_(
            select(post_tags.c.tag_id).where(post_tags.c.post_id == post.id)
        ),
    )
    rows = (
        select(literal(MessageKind.POST.value, String), EmailSubscription.email,
               EmailSubscription.id, literal(post.id, Integer))
        .where(EmailSubscription.status == SubscriptionStatus.ACTIVE.value)
        .where(or_(~has_tags, wants_post))
        .where(_not_suppressed(EmailSubscription.email))
    )
    statement = (
        insert_ignoring_conflicts(EmailMessage.__table__)
        .from_select(("kind", "to_address", "subscription_id", "post_id"), rows)
        .on_conflict_do_nothing()
    )
    return _inserted(statement)


def _inserted(statement) -> int:
    """Run an INSERT ... SELECT; return the rows it inserted (conflicts skipped)."""
    result = db.session.execute(statement.execution_options(preserve_rowcount=True))
    return max(result.rowcount, 0)


# -- daily digests --------------------------------------------------------------------------

def queue_digests(now: datetime | None = None) -> int:
    """Queue one digest for each `daily` reader whose last digest is a day old and who has news."""
    now = now or utcnow()
    cutoff = now - timedelta(days=1)
    due = db.session.execute(
        select(NotificationPreferences, User.email)
        .join(User, User.id == NotificationPreferences.user_id)
        .where(NotificationPreferences.email == EmailPreference.DAILY.value)
        .where(or_(NotificationPreferences.digest_sent_at.is_(None),
                   NotificationPreferences.digest_sent_at <= cutoff))
        .where(User.email.is_not(None))
        .where(_not_suppressed(User.email))
        # Two workers never queue the same reader's digest: each takes rows the other has not.
        .with_for_update(skip_locked=True, of=NotificationPreferences)
    ).all()
    queued = 0
    for preferences, address in due:
        since = preferences.digest_sent_at or cutoff
        preferences.digest_sent_at = now
        if digest_notifications(preferences.user_id, since, now):
            db.session.add(EmailMessage(
                kind=MessageKind.DIGEST.value, to_address=address,
                user_id=preferences.user_id, digest_since=since, digest_until=now,
            ))
            queued += 1
    db.session.flush()
    return queued


def digest_notifications(user_id: int, since: datetime, until: datetime,
                         limit: int = 50) -> list[Notification]:
    """Return the reader's unread notifications made in (since, until], newest first."""
    return list(db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None),
               Notification.created_at > since, Notification.created_at <= until)
        .options(selectinload(Notification.actor), selectinload(Notification.post))
        .order_by(Notification.id.desc()).limit(limit)
    ))
