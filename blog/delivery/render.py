"""Turn a queued email row into a rendered email, from the rows it points to.

Rendering happens when the message is sent, so a message is skipped (returns None) when what it
was about is gone or the reader turned emails off since it was queued.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template

from blog.delivery.channels import Outgoing
from blog.extensions import db
from blog.models import (
    EmailMessage,
    EmailPreference,
    EmailSubscription,
    MessageKind,
    Notification,
    NotificationKind,
    Post,
    SubscriptionStatus,
    User,
)
from blog.services import follows, notifications, password_reset, subscriptions
from blog.urls import absolute_url, post_url


def message_id_for(message: EmailMessage) -> str:
    """Return the Message-ID header: derived from what the email is about, stable on retry."""
    if message.kind == MessageKind.NOTIFICATION:
        local = f"notification-{message.notification_id}"
    elif message.kind == MessageKind.POST:
        local = f"post-{message.post_id}.subscription-{message.subscription_id}"
    elif message.kind == MessageKind.DIGEST:
        local = f"digest-{message.user_id}-{int(message.digest_until.timestamp())}"
    else:
        local = f"{message.kind}-{message.id}"
    return f"<{local}@{mail_domain()}>"


def mail_domain() -> str:
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname
    if host:
        return host
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip(" >") or "localhost"


def notification_url(notification: Notification) -> str | None:
    """Return the page a notification points to: the comment on its article, or the post."""
    if notification.kind == NotificationKind.WEBHOOK:
        return absolute_url("admin.webhooks_page")
    if notification.post is None:
        return None
    url = post_url(notification.post)
    if notification.comment_id is not None and notification.kind != NotificationKind.MODERATION:
        url += f"#comment-{notification.comment_id}"
    return url


def render(message: EmailMessage) -> Outgoing | None:
    """Return the email for `message`, or None when it should no longer be sent."""
    renderer = _RENDERERS[message.kind]
    return renderer(message)


def _unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _user_wants_email(user: User | None, wanted: EmailPreference) -> bool:
    return user is not None and follows.get_preferences(user.id).email == wanted


def _outgoing(message: EmailMessage, template: str, subject: str, unsubscribe_url: str | None,
              **context) -> Outgoing:
    context.update(unsubscribe_url=unsubscribe_url, site_url=absolute_url("posts.front_page"))
    return Outgoing(
        to=message.to_address, subject=subject, message_id=message_id_for(message),
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        headers=_unsubscribe_headers(unsubscribe_url) if unsubscribe_url else {},
    )


def _user_unsubscribe_url(user: User) -> str:
    token = subscriptions.unsubscribe_token_for_user(user)
    return absolute_url("subscriptions.unsubscribe_page", token=token)


def _notification(message: EmailMessage) -> Outgoing | None:
    notification = db.session.get(Notification, message.notification_id)
    user = db.session.get(User, message.user_id) if message.user_id else None
    if notification is None or not _user_wants_email(user, EmailPreference.IMMEDIATE):
        return None
    return _outgoing(message, "notification", notification_subject(notification),
                     _user_unsubscribe_url(user), notification=notification, user=user,
                     url=notification_url(notification))


def notification_subject(notification: Notification) -> str:
    title = notification.post.title if notification.post else "a post"
    actor = notification.actor.display_name if notification.actor else "Someone"
    if notification.kind == NotificationKind.REPLY:
        return f"{actor} replied to your comment on “{title}”"
    if notification.kind == NotificationKind.COMMENT:
        return f"New comment by {actor} on “{title}”"
    if notification.kind == NotificationKind.POST:
        return f"New post: {title}"
    if notification.kind == NotificationKind.WEBHOOK:
        return "A webhook endpoint kept failing and was disabled"
    if notification.detail == "approve":
        return f"Your comment on “{title}” was approved"
    return f"Your comment on “{title}” was not approved"


def _digest(message: EmailMessage) -> Outgoing | None:
    user = db.session.get(User, message.user_id) if message.user_id else None
    if not _user_wants_email(user, EmailPreference.DAILY):
        return None
    items = notifications.digest_notifications(user.id, message.digest_since,
                                               message.digest_until)
    if not items:
        return None
    entries = [(notification_subject(n), notification_url(n)) for n in items]
    return _outgoing(message, "digest", f"Your daily digest: {len(items)} new notifications",
                     _user_unsubscribe_url(user), entries=entries, user=user)


def _confirm(message: EmailMessage) -> Outgoing | None:
    subscription = db.session.get(EmailSubscription, message.subscription_id)
    if subscription is None or subscription.status != SubscriptionStatus.PENDING:
        return None
    url = absolute_url("subscriptions.confirm_page", token=(message.data or {}).get("token"))
    return _outgoing(message, "confirm", "Confirm your subscription to The Daily Ledger", None,
                     confirm_url=url, subscription=subscription,
                     days=current_app.config["SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS"] // 86400)


def _post(message: EmailMessage) -> Outgoing | None:
    subscription = db.session.get(EmailSubscription, message.subscription_id)
    post = db.session.get(Post, message.post_id)
    if subscription is None or subscription.status != SubscriptionStatus.ACTIVE or post is None:
        return None
    token = subscriptions.unsubscribe_token_for_subscription(subscription)
    return _outgoing(message, "post", f"New post: {post.title}",
                     absolute_url("subscriptions.unsubscribe_page", token=token),
                     post=post, url=post_url(post))


def _password_reset(message: EmailMessage) -> Outgoing | None:
    """The reset link, its token made now (never stored); skipped once the request is stale."""
    user = db.session.get(User, message.user_id) if message.user_id else None
    if user is None or user.email != message.to_address or password_reset.is_stale(message):
        return None
    url = absolute_url("password_reset.new_password_page",
                       token=password_reset.make_reset_token(user))
    return _outgoing(message, "password_reset", "Set a new password for The Daily Ledger", None,
                     reset_url=url, user=user, minutes=password_reset.max_age() // 60)


_RENDERERS = {
    MessageKind.NOTIFICATION.value: _notification,
    MessageKind.DIGEST.value: _digest,
    MessageKind.CONFIRM.value: _confirm,
    MessageKind.POST.value: _post,
    MessageKind.PASSWORD_RESET.value: _password_reset,
}
