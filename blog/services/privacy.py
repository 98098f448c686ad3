"""Privacy: everything the service holds about a user (export), and erasing it (account deletion).

Which rows name a user is read from the metadata, not listed by hand, so a new feature's table
cannot be forgotten: every column with a foreign key to users.id, every plain id column marked
`info={"refers_to": "users.id"}`, and the columns that hold an email address. What happens to a
column's rows follows its foreign key unless `OVERRIDES` says otherwise:

- ON DELETE CASCADE: the rows are the user's own. They are exported and deleted.
- ON DELETE SET NULL, or a marked plain column: the rows belong to others or to history. They are
  kept with the reference erased (NULL), and not exported.
- anything else (RESTRICT): deletion is refused while such rows exist.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, case, delete, exists, select, update

from blog.extensions import db
from blog.models import (
    Base,
    Comment,
    CommentFlag,
    CommentStatus,
    CommentVote,
    Tag,
    User,
    subscription_tags,
    utcnow,
)
from blog.services import accounts, thread_cache
from blog.services.comment_status import change_status
from blog.services.errors import Conflict, Forbidden

USERS_ID = "users.id"
#: Columns never exported: secrets, and internals that mean nothing to the user.
SECRET_COLUMNS = frozenset({
    "users.password_hash", "users.session_version", "api_tokens.token_hash",
    "email_messages.data",  # holds confirmation tokens
    "comments.text_key", "comments.idempotency_key",  # a digest and a client's retry key
})
#: Columns holding an email address: their rows are the user's while the address is theirs.
EMAIL_COLUMNS = ("email_subscriptions.email", "email_messages.to_address",
                 "email_suppressions.address")
#: The export's section for each table (any other table goes under "other").
SECTIONS = {
    "comments": "comments", "comment_votes": "votes", "comment_flags": "flags",
    "follows": "follows", "notifications": "notifications",
    "notification_preferences": "preferences", "api_tokens": "tokens", "bans": "bans",
    "moderation_log": "moderation_log", "posts": "posts", "email_subscriptions": "subscriptions",
    "email_messages": "emails", "email_suppressions": "email_suppressions",
}


class Erase(enum.StrEnum):
    DELETE = "delete"
    NULL = "null"
    REFUSE = "refuse"
    #: Done by a function of this module that keeps counters exact (comments, votes, flags).
    CUSTOM = "custom"


@dataclass(frozen=True)
class UserColumn:
    column: Column
    export: bool
    erase: Erase

    @property
    def table(self) -> Table:
        return self.column.table

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column.name}"


#: Where the foreign key's rule is not what erasure or export needs: (export, erase).
OVERRIDES: dict[str, tuple[bool, Erase]] = {
    "comments.author_id": (True, Erase.CUSTOM),
    "comment_votes.user_id": (True, Erase.CUSTOM),
    "comment_flags.user_id": (True, Erase.CUSTOM),
    #: Others' follows of this author: theirs, not exported; they go with the author.
    "follows.author_id": (False, Erase.DELETE),
    #: The moderation history about them: exported, kept without their id.
    "moderation_log.user_id": (True, Erase.NULL),
    "posts.author_id": (True, Erase.REFUSE),
}


def user_columns() -> list[UserColumn]:
    """Return every column that names a user, with what export and erasure do with it."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            rule = _rule_for(column)
            if rule is not None:
                found.append(UserColumn(column, *rule))
    return found


def _rule_for(column: Column) -> tuple[bool, Erase] | None:
    name = f"{column.table.name}.{column.name}"
    keys = [fk for fk in column.foreign_keys if fk.target_fullname == USERS_ID]
    if not keys and column.info.get("refers_to") != USERS_ID:
        return None
    if name in OVERRIDES:
        return OVERRIDES[name]
    if not keys:
        return False, Erase.NULL
    ondelete = (keys[0].ondelete or "").upper()
    if ondelete == "CASCADE":
        return True, Erase.DELETE
    if ondelete == "SET NULL":
        return False, Erase.NULL
    return True, Erase.REFUSE


def email_columns() -> list[Column]:
    tables = Base.metadata.tables
    return [tables[name.split(".")[0]].c[name.split(".")[1]] for name in EMAIL_COLUMNS]


# --- Export -----------------------------------------------------------------------------------

def export_user(user: User) -> dict[str, Any]:
    """Return everything held about `user`: the account and every row that is theirs."""
    sections: dict[str, dict[tuple, dict]] = {}
    for user_column in user_columns():
        if user_column.export:
            _collect(sections, user_column.table, user_column.column == user.id)
    for column in email_columns():
        _collect(sections, column.table, column == user.email)
    export: dict[str, Any] = {name: [] for name in SECTIONS.values()}
    export["other"] = {}
    for table_name, rows in sections.items():
        ordered = [rows[key] for key in sorted(rows)]
        if table_name in SECTIONS:
            export[SECTIONS[table_name]] = ordered
        else:
            export["other"][table_name] = ordered
    _add_subscription_tags(export["subscriptions"])
    export["account"] = _plain_row(User.__table__, db.session.execute(
        select(User.__table__).where(User.id == user.id)).one())
    export["exported_at"] = utcnow().isoformat()
    return export


def _collect(sections: dict, table: Table, condition) -> None:
    rows = sections.setdefault(table.name, {})
    key_columns = list(table.primary_key.columns)
    for row in db.session.execute(select(table).where(condition)):
        key = tuple(row._mapping[c] for c in key_columns)
        rows[key] = _plain_row(table, row)


def _plain_row(table: Table, row) -> dict[str, Any]:
    """Return `row` as JSON-ready values, leaving out secrets."""
    values = {}
    for column in table.columns:
        name = f"{table.name}.{column.name}"
        if name in SECRET_COLUMNS or column.name.endswith("_hash"):
            continue
        values[column.name] = _plain(row._mapping[column])
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _add_subscription_tags(subscriptions: list[dict]) -> None:
    for subscription in subscriptions:
        subscription["tags"] = list(db.session.scalars(
            select(Tag.name).join(subscription_tags)
            .where(subscription_tags.c.subscription_id == subscription["id"])
            .order_by(Tag.name)
        ))


# --- Deletion ---------------------------------------------------------------------------------

def delete_account(user: User, password: str) -> None:
    """Delete `user`'s account after checking their password; erase every row naming them."""
    if not accounts.check_password(user, password):
        raise Forbidden("The password is not right.")
    columns = user_columns()
    _refuse_if_blocked(user, columns)
    _erase_votes(user)
    _erase_flags(user)
    _erase_comments(user)
    for user_column in columns:
        _erase_column(user, user_column)
    for column in email_columns():
        db.session.execute(delete(column.table).where(column == user.email))
    db.session.execute(delete(User.__table__).where(User.id == user.id))
    db.session.expunge(user)
    db.session.flush()


def _refuse_if_blocked(user: User, columns: list[UserColumn]) -> None:
    for user_column in columns:
        if user_column.erase != Erase.REFUSE:
            continue
        if db.session.scalar(select(exists().where(user_column.column == user.id))):
            raise Conflict(f"The account still has {user_column.table.name}; an editor must "
                           "hand them to someone else before it can be deleted.")


def _erase_column(user: User, user_column: UserColumn) -> None:
    table, column = user_column.table, user_column.column
    if user_column.erase == Erase.DELETE:
        db.session.execute(delete(table).where(column == user.id))
    elif user_column.erase == Erase.NULL:
        # Core statements: the moderation log refuses ORM updates, and this is the one
        # sanctioned rewrite of its rows (the history stays, without the person).
        db.session.execute(update(table).where(column == user.id).values({column.name: None}))


def _erase_votes(user: User) -> None:
    """Remove `user`'s votes, taking each out of its comment's score."""
    votes = db.session.execute(
        select(CommentVote.comment_id, CommentVote.value).where(CommentVote.user_id == user.id)
        .with_for_update()
    ).all()
    for comment_id, value in votes:
        post_id = db.session.scalar(
            update(Comment).where(Comment.id == comment_id)
            .values(score=Comment.score - value).returning(Comment.post_id)
            .execution_options(synchronize_session=False)
        )
        thread_cache.note_change(db.session, post_id)
    db.session.execute(delete(CommentVote).where(CommentVote.user_id == user.id))


def _erase_flags(user: User) -> None:
    """Remove `user`'s flags; those no moderator cleared leave their comment's flag count."""
    open_flags = select(CommentFlag.comment_id).where(
        CommentFlag.user_id == user.id, CommentFlag.cleared_at.is_(None)
    )
    db.session.execute(
        update(Comment).where(Comment.id.in_(open_flags))
        .values(flag_count=case((Comment.flag_count > 0, Comment.flag_count - 1), else_=0))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(CommentFlag).where(CommentFlag.user_id == user.id))


def _erase_comments(user: User) -> None:
    """Empty `user`'s comments; those with replies stay as "deleted user" placeholders.

    The deepest go first, so a reply of their own never keeps their comment above it alive.
    """
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id)
        .order_by(Comment.depth.desc(), Comment.id.desc())
    ).all()
    for comment in comments:
        comment.body = ""
        comment.body_html = ""
        comment.signals = []
        comment.idempotency_key = None
        comment.deleted_at = comment.deleted_at or utcnow()
        change_status(comment, CommentStatus.DELETED)
        comment.author_id = None
        db.session.flush()
        if not db.session.scalar(select(exists().where(Comment.parent_id == comment.id))):
            db.session.delete(comment)
            db.session.flush()
