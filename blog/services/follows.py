"""Follows: readers follow a post's thread, an author or a tag; and preferences."""

from __future__ import annotations

from sqlalchemy import Integer, bindparam, literal, select

from blog.extensions import db
from blog.models import (
    Follow,
    FollowLevel,
    FollowType,
    NotificationPreferences,
    Post,
    Role,
    Tag,
    User,
    utcnow,
)
from blog.models.base import UTCDateTime
from blog.services import sql
from blog.services.errors import NotFound, ValidationFailed

_TARGET_COLUMN = {
    FollowType.POST: Follow.post_id,
    FollowType.AUTHOR: Follow.author_id,
    FollowType.TAG: Follow.tag_id,
}


def get_preferences(user_id: int) -> NotificationPreferences:
    """Return the reader's preferences (a row with the defaults when they never chose)."""
    preferences = db.session.get(NotificationPreferences, user_id)
    if preferences is None:
        preferences = NotificationPreferences(user_id=user_id, email="immediate",
                                              auto_follow=True)
    return preferences


def update_preferences(user: User, changes: dict) -> NotificationPreferences:
    """Change the reader's email and auto-follow preferences."""
    preferences = get_preferences(user.id)
    if changes.get("email") == "daily" and preferences.email != "daily":
        preferences.digest_sent_at = utcnow()  # the first digest covers what comes from now on
    for name in ("email", "auto_follow"):
        if name in changes:
            setattr(preferences, name, changes[name])
    db.session.add(preferences)
    db.session.flush()
    return preferences


def find_follow(user: User, kind: FollowType, target_id: int) -> Follow | None:
    column = _TARGET_COLUMN[kind]
    return db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, column == target_id)
    )


def _follow(user: User, kind: FollowType, target_id: int, level: FollowLevel) -> Follow:
    follow = find_follow(user, kind, target_id)
    if follow is None:
        follow = Follow(user_id=user.id, level=level.value, **{_TARGET_COLUMN[kind].key: target_id})
        db.session.add(follow)
    follow.level = level.value
    db.session.flush()
    return follow


def follow_post(user: User, post: Post, level: FollowLevel | str) -> Follow:
    """Follow a post's thread at `level` (all, replies or muted)."""
    return _follow(user, FollowType.POST, post.id, FollowLevel(level))


def author_by_id(user_id: int) -> User:
    """Return the author with this id; raise NotFound for anyone who writes no posts."""
    author = db.session.get(User, user_id)
    if author is None or not author.has_role(Role.AUTHOR):
        raise NotFound("No such author.")
    return author


def follow_author(user: User, author: User) -> Follow:
    """Follow an author's new posts."""
    if author.id == user.id:
        raise ValidationFailed({"user_id": ["You cannot follow yourself."]})
    return _follow(user, FollowType.AUTHOR, author.id, FollowLevel.ALL)


def follow_tag(user: User, tag: Tag) -> Follow:
    """Follow new posts in a tag."""
    db.session.flush()  # a tag made in this transaction gets its id
    return _follow(user, FollowType.TAG, tag.id, FollowLevel.ALL)


def unfollow(user: User, kind: FollowType, target_id: int) -> None:
    """Stop following; for a post, nothing from its thread reaches the reader any more."""
    follow = find_follow(user, kind, target_id)
    if follow is not None:
        db.session.delete(follow)
        db.session.flush()


def follows_of(user: User) -> list[Follow]:
    """Return the reader's follows, newest first."""
    return list(db.session.scalars(
        select(Follow).where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    ))


def follow_on_comment(user_id: int, post_id: int) -> None:
    """Follow the thread a reader commented on, at `replies`, unless they turned that off.

    An existing follow (`all`, or `muted`) is kept as it is. One statement: the preference is
    read by the INSERT itself (no row means the default, on).
    """
    _FOLLOW_ON_COMMENT.execute({"user_id": user_id, "post_id": post_id, "created_at": utcnow()})


def _follow_on_comment_statement(dialect):
    user_id = bindparam("user_id", type_=Integer)
    turned_off = (select(NotificationPreferences.user_id)
                  .where(NotificationPreferences.user_id == user_id,
                         NotificationPreferences.auto_follow.is_(False)))
    row = select(user_id, bindparam("post_id", type_=Integer),
                 literal(FollowLevel.REPLIES.value),
                 bindparam("created_at", type_=UTCDateTime())).where(~turned_off.exists())
    return sql.insert_ignoring_conflicts(Follow.__table__, dialect).from_select(
        ["user_id", "post_id", "level", "created_at"], row,
    ).on_conflict_do_nothing()


#: Built once per dialect (its own INSERT ... ON CONFLICT): this runs for every comment written.
_FOLLOW_ON_COMMENT = sql.DriverStatement(_follow_on_comment_statement)
