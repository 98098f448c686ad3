"""The append-only audit log of moderation: every decision, ban and unban."""

from __future__ import annotations

from sqlalchemy import Select, select

from blog.extensions import db
from blog.models import Comment, ModerationAction, ModerationLogEntry, User


def record(action: ModerationAction | str, moderator: User | None, *,
           comment: Comment | None = None, user_id: int | None = None,
           post_id: int | None = None,
           before: str | None = None, after: str | None = None,
           reason: str = "", detail: str = "") -> ModerationLogEntry:
    """Append one row to the audit log (in the caller's transaction)."""
    entry = ModerationLogEntry(
        action=str(action),
        moderator_id=moderator.id if moderator is not None else None,
        comment_id=comment.id if comment is not None else None,
        post_id=comment.post_id if comment is not None else post_id,
        user_id=user_id if user_id is not None else (comment.author_id if comment else None),
        status_before=before,
        status_after=after,
        reason=reason or "",
        detail=detail,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def log_statement(*, user_id: int | None = None, comment_id: int | None = None) -> Select:
    """Select the log's rows (optionally about one user or comment); the caller orders them."""
    statement = select(ModerationLogEntry)
    if user_id is not None:
        statement = statement.where(ModerationLogEntry.user_id == user_id)
    if comment_id is not None:
        statement = statement.where(ModerationLogEntry.comment_id == comment_id)
    return statement


def users_by_id(ids) -> dict[int, User]:
    """Load the users named by `ids` in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


def attach_people(entries: list[ModerationLogEntry]) -> list[ModerationLogEntry]:
    """Set `.moderator` and `.user` on each entry, loading every user in one query."""
    people = users_by_id([e.moderator_id for e in entries] + [e.user_id for e in entries])
    for entry in entries:
        entry.moderator = people.get(entry.moderator_id)
        entry.user = people.get(entry.user_id)
    return entries
