"""Demo content for the moderation queue: a few held and flagged comments for `seed-demo`."""

from __future__ import annotations

from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, User
from blog.services.comment_status import change_status
from blog.services.sanitize import render_comment

#: (user key, text, status, signals) for the first demo post.
HELD = (
    ("reader2", "First time commenting here. Does anyone know when the report is published?",
     CommentStatus.PENDING, ["new_account"]),
    ("reader2", "Cheap tickets at https://a.example https://b.example https://c.example",
     CommentStatus.PENDING, ["new_account", "too_many_links"]),
    ("reader1", "This is the worst reporting I have read all year, frankly.",
     CommentStatus.FLAGGED, ["reader_flags"]),
)


def seed_queue(users: dict[str, User], seeded: list[tuple[Post, dict]]) -> None:
    """Put a few comments in the queues of the first demo post, unless they are there."""
    if not seeded:
        return
    post = seeded[0][0]
    for key, body, status, signals in HELD:
        exists = db.session.scalar(
            select(Comment.id).where(Comment.post_id == post.id, Comment.body == body)
        )
        if exists:
            continue
        comment = Comment(post_id=post.id, author_id=users[key].id, body=body,
                          body_html=render_comment(body), signals=signals,
                          status=CommentStatus.PENDING.value)
        db.session.add(comment)
        db.session.flush()
        change_status(comment, status)


def register_demo_seeder() -> None:
    """Add the queue seeder to seed-demo's hook (once, however many apps are made)."""
    from blog.demo.seed import EXTRA_SEEDERS

    if seed_queue not in EXTRA_SEEDERS:
        EXTRA_SEEDERS.append(seed_queue)
