"""Posts and their tags."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from blog.models.user import User


class PostStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


post_tags = Table(
    "post_tags",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        # The front page, tag pages and author pages all read "published, newest first".
        Index("ix_posts_status_published", "status", "published_at", "id"),
        Index("ix_posts_author_published", "author_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made once from the first title and never changed, so links stay valid.
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The article's address on the host site when comments are embedded there, normalised
    #: (blog.services.threads.normalize_url): one article, one thread.
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Sanitized on write (blog.services.sanitize); safe to render as is.
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default=PostStatus.DRAFT.value)
    comments_open: Mapped[bool] = mapped_column(default=True)
    #: Approved comments, kept by the comment services so lists never count rows.
    comment_count: Mapped[int] = mapped_column(default=0)
    #: Raised by one in every transaction that changes one of its comments (see
    #: blog.services.thread_cache); an anonymous thread page is memoized under this number.
    comments_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags, order_by=Tag.name)

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED
