"""Accounts: registration, sign-in checks, passwords and bearer tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, select

from blog.extensions import db
from blog.models import ApiToken, Comment, Role, User
from blog.services import thread_cache
from blog.services.errors import Conflict, ValidationFailed

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "blog_"

_HASHERS = {
    "default": PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY),
    #: For the test suite only (PASSWORD_HASH_PROFILE=cheapest): fast, and far too weak to use.
    "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
#: Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASHES = {name: h.hash("not a real password, for timing") for name, h in _HASHERS.items()}


def _profile() -> str:
    return current_app.config.get("PASSWORD_HASH_PROFILE", "default")


def _hasher() -> PasswordHasher:
    return _HASHERS[_profile()]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User | None, password: str) -> bool:
    """Tell whether `password` is `user`'s, spending the same effort when there is no user."""
    try:
        stored = user.password_hash if user else _DUMMY_HASHES[_profile()]
        return _hasher().verify(stored, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {"password": [f"Use at least {MIN_PASSWORD_LENGTH} characters."]}
        )


def find_user_by_email(email: str) -> User | None:
    if "\x00" in email:  # never in a stored address, and PostgreSQL refuses it in a query
        return None
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def register_user(
    email: str, password: str, display_name: str, role: Role | str = Role.READER
) -> User:
    """Create an account; refuse an email already in use (in any letter case)."""
    validate_password(password)
    if find_user_by_email(email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=str(Role(role)),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose credentials these are, or None (never saying which part was wrong)."""
    user = find_user_by_email(email)
    if not check_password(user, password):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and invalidate every session made with the old one."""
    validate_password(new_password)
    user.password_hash = hash_password(new_password)
    user.session_version += 1


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """Change `user`'s password when `current_password` is theirs (the reader's own request)."""
    if not check_password(user, current_password):
        raise ValidationFailed({"current_password": ["This is not your current password."]})
    change_password(user, new_password)


def rename_user(user: User, display_name: str) -> User:
    """Change the name shown with `user`'s comments, on every thread they wrote in.

    Thread pages are remembered by thread version, so each post the user commented on gets a
    new version: without it, a cached page would go on showing the old name.
    """
    user.display_name = display_name.strip()
    post_ids = db.session.scalars(
        select(Comment.post_id).where(Comment.author_id == user.id).distinct())
    for post_id in post_ids:
        thread_cache.note_change(db.session, post_id)
    db.session.flush()
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str) -> str:
    """Make a bearer token for `user` and return it; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name.strip(), token_hash=_token_digest(token)))
    db.session.flush()
    return token


#: Built once: every request with a bearer token runs it.
_USER_FOR_TOKEN = select(User).join(ApiToken).where(ApiToken.token_hash == bindparam("digest"))


def user_for_token(token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return db.session.scalar(_USER_FOR_TOKEN, {"digest": _token_digest(token)})
