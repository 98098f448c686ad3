"""Related posts: each post's stored term vector and its precomputed list of related posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, UTCDateTime, utcnow


class PostTerms(Base):
    """The words of one post as the relevance model reads them (blog.services.related_text)."""

    __tablename__ = "post_terms"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    #: 64-bit term hashes, little-endian int64, parallel to `counts`.
    term_ids: Mapped[bytes] = mapped_column(LargeBinary)
    #: Field-weighted term counts, little-endian float32.
    counts: Mapped[bytes] = mapped_column(LargeBinary)
    #: Ids of the posts whose text feeds this post's expanded vector (pseudo-relevance feedback),
    #: little-endian int64; set when the post changes and by the full rebuild (None: not yet).
    feedback_ids: Mapped[bytes | None] = mapped_column(LargeBinary, default=b"")
    #: The norm of the post's expanded vector when the feedback was set (None: not yet).
    feedback_norm: Mapped[float | None]
    #: The post's sentence embedding (blog.services.related_semantic), little-endian float16;
    #: None where the optional semantic component is off.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RelatedPost(Base):
    """One entry of a post's related list; the list is read by (post_id, rank)."""

    __tablename__ = "related_posts"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    #: 1 is the most related.
    rank: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Indexed: when a post changes, the lists it appears in are found by it.
    related_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    #: The model's score; None for fill-ups that did not reach the minimum score.
    score: Mapped[float | None]
    #: "similar" (scored), "same_tag" or "latest" (fill-ups).
    reason: Mapped[str] = mapped_column(String(16))
