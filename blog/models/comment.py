"""Comments, their votes and their flags."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from blog.models.base import Base, UTCDateTime, utcnow
from blog.services.moderation_rules import text_key as key_of_text

if TYPE_CHECKING:
    from blog.models.post import Post
    from blog.models.user import User


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    #: Was approved; enough readers flagged it that it left public view until a moderator decides.
    FLAGGED = "flagged"
    REJECTED = "rejected"
    SPAM = "spam"
    DELETED = "deleted"


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        # A post's top-level comments in thread order (oldest / newest first); the status test
        # (approved, placeholder, or the reader's own) is a cheap filter on the rows it walks.
        Index("ix_comments_post_thread", "post_id", "created_at", "id",
              postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL")),
        # The replies of one page of threads, in one query.
        Index("ix_comments_thread_replies", "thread_id", "created_at", "id"),
        # The moderation queues, oldest first.
        Index("ix_comments_status_created", "status", "created_at", "id"),
        # One post's comments of a status, newest or oldest first: the post's comment feed and
        # its moderation queue. Without it both walked the status index across every post, and
        # deleting a post (ON DELETE CASCADE) scanned the whole table for its comments.
        Index("ix_comments_post_status_created", "post_id", "status", "created_at", "id"),
        Index("ix_comments_author_created", "author_id", "created_at"),
        # The repeat rule: has this author written this text lately? (With created_at, SQLite
        # prefers it to the index above, which would walk all of the author's recent comments.)
        Index("ix_comments_author_text_created", "author_id", "text_key", "created_at"),
        UniqueConstraint("author_id", "idempotency_key"),
        # The moderators' dashboard: comments per hour of the last days, by creation time.
        Index("ix_comments_created", "created_at"),
        # The dashboard's most flagged posts: the few comments with open flags, by post, with
        # what the grouped query reads (blog.services.moderation_dashboard.flagged_posts).
        Index("ix_comments_open_flags", "post_id", "status", "flag_count",
              postgresql_where=text("flag_count > 0"), sqlite_where=text("flag_count > 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: NULL once the author deleted their account ("deleted user").
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: The top-level comment this one hangs under (NULL for a top-level comment).
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: 0 for a top-level comment; capped by COMMENT_MAX_DEPTH.
    depth: Mapped[int] = mapped_column(SmallInteger, default=0)
    #: The text as the author wrote it, kept for editing.
    body: Mapped[str] = mapped_column(Text, default="")
    #: `body` rendered and sanitized once, on write; safe to show as is.
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=CommentStatus.PENDING.value)
    #: Why the moderation pipeline held or marked it: a list of signal names.
    signals: Mapped[list] = mapped_column(JSON, default=list)
    score: Mapped[int] = mapped_column(default=0)
    #: The offline toxicity score of `body` (blog.services.toxicity), 0..1, set by the
    #: moderation pipeline on every new and edited comment; NULL when never scored (imported
    #: comments, comments older than the score).
    toxicity: Mapped[float | None] = mapped_column(Float, default=None)
    #: Approved direct replies.
    reply_count: Mapped[int] = mapped_column(default=0)
    #: Flags not yet cleared by a moderator.
    flag_count: Mapped[int] = mapped_column(default=0)
    #: A digest of the folded text (blog.services.moderation_rules.text_key), so the repeat
    #: rule finds an author's same text by index; set with the body, NULL when it is emptied.
    text_key: Mapped[str | None] = mapped_column(String(32))
    #: The client's Idempotency-Key header of the POST that made it, if any.
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Any change to the row (status, body, score, reply count); cached threads key on it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship()
    author: Mapped[User | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    @validates("body")
    def _key_the_text(self, _name: str, body: str) -> str:
        """Keep `text_key` in step with the body, whichever code writes it."""
        self.text_key = key_of_text(body) if body else None
        return body


#: How the queue's "highest toxicity first" order sees a comment: unscored ones (imported, or
#: older than the score) below every score. The literal (not a bound parameter) lets the
#: index below match the query on both databases.
TOXICITY_OR_NONE = func.coalesce(Comment.toxicity, literal_column("-1.0"))

# A moderation queue, highest toxicity score first (blog.services.moderation_queue).
Index("ix_comments_status_toxicity", Comment.status, TOXICITY_OR_NONE.desc(), Comment.id.desc())

# A post's top-level comments best first (score descending, then oldest first).
Index("ix_comments_post_top", Comment.post_id, Comment.score.desc(), Comment.id,
      postgresql_where=Comment.parent_id.is_(None), sqlite_where=Comment.parent_id.is_(None))


class CommentVote(Base):
    __tablename__ = "comment_votes"
    __table_args__ = (CheckConstraint("value IN (-1, 1)", name="value"),)

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentFlag(Base):
    __tablename__ = "comment_flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when a moderator approved the comment after this flag; it no longer counts.
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
