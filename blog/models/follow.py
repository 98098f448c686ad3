"""Follows: a reader's interest in a post's thread, an author or a tag."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, UTCDateTime, utcnow


class FollowLevel(enum.StrEnum):
    #: Every new approved comment on the thread.
    ALL = "all"
    #: Only replies to my comments.
    REPLIES = "replies"
    #: Nothing from this thread, not even replies.
    MUTED = "muted"


class FollowType(enum.StrEnum):
    POST = "post"
    AUTHOR = "author"
    TAG = "tag"


class Follow(Base):
    """One follow; exactly one of post_id, author_id and tag_id is set."""

    __tablename__ = "follows"
    __table_args__ = (
        # One follow per reader and target; the target comes first so fan-out reads an index range.
        UniqueConstraint("post_id", "user_id"),
        UniqueConstraint("author_id", "user_id"),
        UniqueConstraint("tag_id", "user_id"),
        CheckConstraint(
            "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN author_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    #: A FollowLevel; `all` for authors and tags.
    level: Mapped[str] = mapped_column(String(16), default=FollowLevel.ALL.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def type(self) -> FollowType:
        if self.post_id is not None:
            return FollowType.POST
        return FollowType.AUTHOR if self.author_id is not None else FollowType.TAG
