"""Demo comment threads for `flask seed-demo`, from the `comments` lists of blog.demo.content."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, User, utcnow
from blog.services import events
from blog.services.comment_status import change_status
from blog.services.sanitize import render_comment

#: Minutes between one demo comment and the next in a thread.
STEP_MINUTES = 17


def seed_comments(users: dict[str, User], seeded: list[tuple[Post, dict]]) -> None:
    """Add each demo post's threads, approved, unless the post already has comments."""
    for post, content in seeded:
        if not content.get("comments"):
            continue
        if db.session.scalar(select(Comment.id).where(Comment.post_id == post.id).limit(1)):
            continue
        start = post.published_at or utcnow()
        clock = iter(range(1, 10_000))
        for thread in content["comments"]:
            _seed_comment(post, thread, None, users, start, clock)


def _seed_comment(post: Post, item: dict, parent: Comment | None, users: dict[str, User],
                  start, clock) -> None:
    created = min(start + timedelta(minutes=STEP_MINUTES * next(clock)), utcnow())
    comment = Comment(
        post_id=post.id, author_id=users[item["by"]].id, body=item["body"],
        body_html=render_comment(item["body"]), status=CommentStatus.PENDING.value,
        created_at=created, parent_id=parent.id if parent else None,
        thread_id=(parent.thread_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
    )
    db.session.add(comment)
    db.session.flush()
    events.comment_created(comment)  # the writer follows the thread, as in the app
    change_status(comment, CommentStatus.APPROVED)
    for reply in item.get("replies", []):
        _seed_comment(post, reply, comment, users, start, clock)


def register_demo_seeder() -> None:
    """Add the comment seeder to seed-demo's hook (once, however many apps are made)."""
    from blog.demo.seed import EXTRA_SEEDERS

    if seed_comments not in EXTRA_SEEDERS:
        EXTRA_SEEDERS.append(seed_comments)
