"""Password reset by email: a signed, expiring, single-use link.

The link's token (itsdangerous, signed with SECRET_KEY, salt of its own) names the account and a
fingerprint of its password hash. Setting a new password changes the hash, so a used link, and
every other link made before the change, stops working; the signature's timestamp makes it
expire after PASSWORD_RESET_MAX_AGE seconds.

The token is made when the email is rendered by the worker and is never stored: the outbox row
holds only the account, and the export shows nothing that could be used to sign in.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app

from blog.extensions import db
from blog.models import EmailMessage, MessageKind, User, utcnow
from blog.services import accounts
from blog.services.errors import ValidationFailed
from blog.services.subscriptions import ExpiredToken, InvalidToken, make_token, read_token

PURPOSE = "password-reset"
EXPIRED = "This link has expired. Ask for a new one."
NOT_VALID = "This link is not valid, or was used already. Ask for a new one."


def max_age() -> int:
    return current_app.config["PASSWORD_RESET_MAX_AGE"]


def request_reset(email: str) -> None:
    """Mail a reset link if an account uses `email`; say nothing either way.

    Both cases look the address up and return at once: the email is queued in the outbox
    (one insert) and sent by the worker, never in the request.
    """
    user = accounts.find_user_by_email(email)
    if user is None:
        return
    db.session.add(EmailMessage(kind=MessageKind.PASSWORD_RESET.value, to_address=user.email,
                                user_id=user.id))
    db.session.flush()


def is_stale(message: EmailMessage) -> bool:
    """Tell whether a queued reset email is older than a link would live: no use sending it."""
    return utcnow() - message.created_at > timedelta(seconds=max_age())


def _fingerprint(user: User) -> str:
    """A keyed digest of the password hash: it changes whenever the password does."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def make_reset_token(user: User) -> str:
    return make_token(PURPOSE, {"u": user.id, "p": _fingerprint(user)})


def user_for_token(token: str) -> User:
    """Return the account a live token names; raise ValidationFailed (on `token`) if none."""
    try:
        payload = read_token(PURPOSE, token, max_age=max_age())
    except ExpiredToken as error:
        raise ValidationFailed({"token": [EXPIRED]}) from error
    except InvalidToken as error:
        raise ValidationFailed({"token": [NOT_VALID]}) from error
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    fingerprint = payload.get("p")
    if user is None or not isinstance(fingerprint, str) or not hmac.compare_digest(
            fingerprint, _fingerprint(user)):
        raise ValidationFailed({"token": [NOT_VALID]})
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link (and any older one) is dead after it."""
    user = user_for_token(token)
    accounts.change_password(user, new_password)
    db.session.flush()
    return user
