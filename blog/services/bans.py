"""Bans: timed or permanent, open or shadow. A timed ban ends by itself when `until` passes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from blog.extensions import db
from blog.models import Ban, ModerationAction, Role, User, utcnow
from blog.services import moderation_log
from blog.services.errors import Forbidden, NotFound, ValidationFailed


def active_ban(user: User | None, now: datetime | None = None) -> Ban | None:
    """Return `user`'s ban if it is in force now, else None."""
    if user is None or user.id is None:
        return None
    ban = db.session.scalar(select(Ban).where(Ban.user_id == user.id))
    if ban is None or not ban.is_active(now or utcnow()):
        return None
    return ban


def active_bans(now: datetime | None = None) -> list[tuple[Ban, User]]:
    """Return the bans in force with their users, soonest to end first, permanent ones last."""
    now = now or utcnow()
    statement = (
        select(Ban, User).join(User, User.id == Ban.user_id)
        .where(or_(Ban.until.is_(None), Ban.until > now))
        .order_by(Ban.until.is_(None), Ban.until, Ban.user_id)
    )
    return [(ban, user) for ban, user in db.session.execute(statement)]


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def ban_user(user: User, moderator: User, *, reason: str = "", until: datetime | None = None,
             shadow: bool = False) -> Ban:
    """Ban `user` (or change their ban), and write it to the audit log."""
    if user.id == moderator.id:
        raise Forbidden("You cannot ban yourself.")
    if user.has_role(Role.MODERATOR):
        raise Forbidden("Moderators and admins cannot be banned.")
    if until is not None and until <= utcnow():
        raise ValidationFailed({"until": ["Give a time in the future."]})
    ban = db.session.get(Ban, user.id) or Ban(user_id=user.id)
    ban.moderator_id, ban.reason, ban.until, ban.shadow = moderator.id, reason, until, shadow
    ban.created_at = utcnow()
    db.session.add(ban)
    detail = ", ".join(part for part in (
        "shadow" if shadow else "",
        f"until {until.isoformat()}" if until else "permanent",
    ) if part)
    moderation_log.record(ModerationAction.BAN, moderator, user_id=user.id, reason=reason,
                          detail=detail)
    db.session.flush()
    return ban


def unban_user(user: User, moderator: User, reason: str = "") -> bool:
    """Lift `user`'s ban; tell whether there was one."""
    ban = db.session.get(Ban, user.id)
    if ban is None:
        return False
    db.session.delete(ban)
    moderation_log.record(ModerationAction.UNBAN, moderator, user_id=user.id, reason=reason)
    db.session.flush()
    return True
