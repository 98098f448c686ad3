"""Visitors' email subscriptions: double opt-in, signed tokens, unsubscribe.

Tokens are signed with SECRET_KEY by itsdangerous, with one salt per purpose, so a token made to
confirm cannot unsubscribe and the other way round. A confirmation token expires after
SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS (7 days); unsubscribe tokens in emails do not expire (a
reader may click a link in an old email), but name the address they were made for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from blog.extensions import db
from blog.models import (
    EmailMessage,
    EmailSubscription,
    MessageKind,
    NotificationPreferences,
    SubscriptionStatus,
    Tag,
    User,
    utcnow,
)
from blog.services.accounts import normalize_email
from blog.services.errors import ValidationFailed
from blog.services.slugs import slugify

CONFIRM = "subscription-confirm"
UNSUBSCRIBE = "unsubscribe"


class InvalidToken(Exception):
    """The token is tampered with, made for another purpose, or for something gone."""


class ExpiredToken(InvalidToken):
    """The token was good but is too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> dict:
    """Return the token's payload; raise ExpiredToken or InvalidToken."""
    try:
        payload = _serializer(purpose).loads(token or "", max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken() from error
    except BadSignature as error:
        raise InvalidToken() from error
    if not isinstance(payload, dict):
        raise InvalidToken()
    return payload


# -- subscribing ----------------------------------------------------------------------------

def subscribe(email: str, tag_names: list[str] | None = None) -> None:
    """Ask for a subscription; mail a confirmation link unless the address had enough of them.

    Says nothing to the caller about the address (the API always answers 202). An active
    subscription is left as it is, so a stranger cannot change someone else's choice.
    """
    address = normalize_email(email)
    tags = _tags_by_name(tag_names or [])
    subscription = db.session.scalar(
        select(EmailSubscription).where(EmailSubscription.email == address)
    )
    if subscription is None:
        subscription = EmailSubscription(email=address, status=SubscriptionStatus.PENDING.value)
        db.session.add(subscription)
    if subscription.status == SubscriptionStatus.ACTIVE:
        return
    subscription.status = SubscriptionStatus.PENDING.value
    subscription.tags = tags
    db.session.flush()
    if _may_send_confirmation(subscription):
        _queue_confirmation(subscription)


def _tags_by_name(names: list[str]) -> list[Tag]:
    slugs = {slugify(name, fallback="tag") for name in names if name.strip()}
    if not slugs:
        return []
    tags = list(db.session.scalars(select(Tag).where(Tag.slug.in_(slugs))))
    unknown = slugs - {tag.slug for tag in tags}
    if unknown:
        raise ValidationFailed({"tags": [f"No such tag: {', '.join(sorted(unknown))}."]})
    return tags


def _may_send_confirmation(subscription: EmailSubscription) -> bool:
    """Count this confirmation against the address's limit; tell whether it may go out."""
    config = current_app.config
    now = utcnow()
    window = timedelta(seconds=config["SUBSCRIPTION_CONFIRM_WINDOW_SECONDS"])
    start = subscription.confirmation_window_start
    if start is None or now - start >= window:
        subscription.confirmation_window_start = now
        subscription.confirmations_sent = 0
    if subscription.confirmations_sent >= config["SUBSCRIPTION_CONFIRM_LIMIT"]:
        return False
    subscription.confirmations_sent += 1
    return True


def _queue_confirmation(subscription: EmailSubscription) -> None:
    token = make_token(CONFIRM, {"s": subscription.id, "e": subscription.email})
    db.session.add(EmailMessage(
        kind=MessageKind.CONFIRM.value, to_address=subscription.email,
        subscription_id=subscription.id, data={"token": token},
    ))
    db.session.flush()


def confirm(token: str) -> EmailSubscription:
    """Activate the subscription the confirmation token names; raise InvalidToken."""
    max_age = current_app.config["SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS"]
    payload = read_token(CONFIRM, token, max_age=max_age)
    subscription = _subscription_for(payload)
    if subscription.status != SubscriptionStatus.ACTIVE:
        subscription.status = SubscriptionStatus.ACTIVE.value
        subscription.confirmed_at = utcnow()
        subscription.unsubscribed_at = None
    db.session.flush()
    return subscription


def _subscription_for(payload: dict) -> EmailSubscription:
    subscription = db.session.get(EmailSubscription, payload.get("s") or 0)
    if subscription is None or subscription.email != payload.get("e"):
        raise InvalidToken()
    return subscription


# -- unsubscribing --------------------------------------------------------------------------

def unsubscribe_token_for_subscription(subscription: EmailSubscription) -> str:
    return make_token(UNSUBSCRIBE, {"s": subscription.id, "e": subscription.email})


def unsubscribe_token_for_user(user: User) -> str:
    return make_token(UNSUBSCRIBE, {"u": user.id, "e": user.email})


@dataclass
class UnsubscribeTarget:
    """What an unsubscribe token stops: a visitor's subscription or a reader's emails."""

    email: str
    subscription: EmailSubscription | None = None
    user: User | None = None


def unsubscribe_target(token: str) -> UnsubscribeTarget:
    """Return what the token would unsubscribe, changing nothing; raise InvalidToken."""
    payload = read_token(UNSUBSCRIBE, token)
    if "u" in payload:
        user = db.session.get(User, payload["u"] or 0)
        if user is None or user.email != payload.get("e"):
            raise InvalidToken()
        return UnsubscribeTarget(email=user.email, user=user)
    subscription = _subscription_for(payload)
    return UnsubscribeTarget(email=subscription.email, subscription=subscription)


def unsubscribe(token: str) -> UnsubscribeTarget:
    """Stop the emails the token names: end the subscription, or set the reader's email to off."""
    target = unsubscribe_target(token)
    if target.subscription is not None:
        target.subscription.status = SubscriptionStatus.UNSUBSCRIBED.value
        target.subscription.unsubscribed_at = utcnow()
    else:
        preferences = db.session.get(NotificationPreferences, target.user.id)
        if preferences is None:
            preferences = NotificationPreferences(user_id=target.user.id, auto_follow=True)
            db.session.add(preferences)
        preferences.email = "off"
    db.session.flush()
    return target
