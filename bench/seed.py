"""Seeding the product's database: the shared threads, then (for the scale run) a million more.

Everything goes through bulk inserts into the product's tables (bench.bulk); only the bearer token
is made by the product's own service, `blog.services.accounts.create_api_token`, like a real one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text

from bench import content
from bench.bulk import insert_rows
from bench.render import ArticleWriter, render_comment
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, PostStatus, Role, Tag, User, post_tags
from blog.services import accounts
from blog.services.moderation_rules import text_key

TAG_NAMES = ["Politics", "Energy", "Transport", "Health", "Education", "Business", "Climate",
             "Local", "Science", "Culture", "Housing", "Justice"]
SCALE_POSTS = 10_000
SCALE_COMMENTS = 1_000_000
#: The scale run reuses this many distinct texts (rendering a million would dominate seeding).
TEXT_POOL = 500


@dataclass
class Seeded:
    """What the scenarios need from the seeded database."""

    token: str
    author_ids: list[int]
    desk_id: int


def seed_base() -> Seeded:
    """Create the tables and the shared threads; return the bearer token and the user ids."""
    db.create_all()
    _fast_sqlite()
    author_ids = _insert_users()
    desk_id = _insert_desk()
    tag_ids = _insert_tags()
    writer = ArticleWriter()
    for thread in content.base_threads():
        post_id = _insert_post(thread.slug, thread.title, desk_id, writer, tag_ids)
        _insert_thread(post_id, thread, author_ids)
    token = _make_token()
    _sync_sequences()
    db.session.commit()
    return Seeded(token, author_ids, desk_id)


def _fast_sqlite() -> None:
    """Skip fsync while seeding SQLite (the data is rebuilt on every run anyway)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA synchronous = OFF"))


def _sync_sequences() -> None:
    """Move PostgreSQL's id sequences past the ids given explicitly, so the app's inserts work."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("posts", "comments"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        ))


def _insert_users() -> list[int]:
    people = content.authors()
    rows = [{"email": p.email, "display_name": p.display_name, "password_hash": "!",
             "role": Role.READER.value} for p in people]
    insert_rows(db.session.connection(), User.__table__, rows)
    emails = [p.email for p in people]
    rows = db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all()
    by_email = dict(rows)
    return [by_email[email] for email in emails]


def _insert_desk() -> int:
    row = {"email": "desk@example.test", "display_name": "News Desk", "password_hash": "!",
           "role": Role.AUTHOR.value}
    insert_rows(db.session.connection(), User.__table__, [row])
    return db.session.scalar(select(User.id).where(User.email == row["email"]))


def _insert_tags() -> list[int]:
    rows = [{"name": name, "slug": name.lower()} for name in TAG_NAMES]
    insert_rows(db.session.connection(), Tag.__table__, rows)
    return list(db.session.scalars(select(Tag.id).order_by(Tag.id)))


def _make_token() -> str:
    """Make the poster's account and token through the product's services."""
    user = accounts.register_user("poster@example.test", "bench-poster-password", "Bench Poster")
    return accounts.create_api_token(user, "benchmark")


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _insert_post(slug: str, title: str, desk_id: int, writer: ArticleWriter,
                 tag_ids: list[int]) -> int:
    post_id = _next_id(Post)
    rng = random.Random(slug)
    published = content.EPOCH - timedelta(hours=rng.randint(1, 24 * 60))
    row = {"id": post_id, "slug": slug, "title": title, "summary": writer.summary(rng),
           "body_html": writer.body(rng), "author_id": desk_id,
           "status": PostStatus.PUBLISHED.value, "comments_open": True, "comment_count": 0,
           "created_at": published, "published_at": published, "updated_at": published}
    connection = db.session.connection()
    insert_rows(connection, Post.__table__, [row])
    tags = rng.sample(tag_ids, rng.randint(1, 3))
    insert_rows(connection, post_tags, [{"post_id": post_id, "tag_id": t} for t in tags])
    return post_id


def _insert_thread(post_id: int, thread: content.ThreadSeed, author_ids: list[int]) -> None:
    first_id = _next_id(Comment)
    rows = [_comment_row(post_id, first_id, index, seed.parent, author_ids[seed.author],
                         seed.text, render_comment(seed.text), seed.created,
                         CommentStatus.APPROVED.value)
            for index, seed in enumerate(thread.comments)]
    _finish_counts(rows)
    insert_rows(db.session.connection(), Comment.__table__, rows)
    approved = sum(row["status"] == CommentStatus.APPROVED.value for row in rows)
    db.session.execute(Post.__table__.update().where(Post.id == post_id)
                       .values(comment_count=approved))


def _comment_row(post_id, first_id, index, parent, author_id, body, body_html, created, status):
    """Return a comments row; `index` and `parent` count from the thread's first comment."""
    parent_id = None if parent is None else first_id + parent
    return {"id": first_id + index, "post_id": post_id, "author_id": author_id,
            "parent_id": parent_id, "thread_id": parent_id, "depth": 0 if parent is None else 1,
            "body": body, "body_html": body_html, "text_key": text_key(body),
            "status": status, "signals": [],
            "score": 0, "reply_count": 0, "flag_count": 0, "idempotency_key": None,
            "created_at": created, "updated_at": created, "edited_at": None,
            "deleted_at": None}


def _finish_counts(rows: list[dict]) -> None:
    """Set each parent's reply_count to its approved direct replies, as the services keep it."""
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        if row["parent_id"] is not None and row["status"] == CommentStatus.APPROVED.value:
            by_id[row["parent_id"]]["reply_count"] += 1


def seed_scale(seeded: Seeded, posts: int = SCALE_POSTS, comments: int = SCALE_COMMENTS) -> None:
    """Add `posts` posts and `comments` comments over them (about 90 % approved); by default
    10,000 and 1,000,000."""
    _fast_sqlite()
    tag_ids = list(db.session.scalars(select(Tag.id).order_by(Tag.id)))
    writer = ArticleWriter()
    first_post = _next_id(Post)
    per_post = comments // posts
    # Every scale post has the same mix of statuses (scale_status), so the same approved count.
    approved = sum(scale_status(index) == CommentStatus.APPROVED.value
                   for index in range(per_post))
    post_rows, links = _scale_posts(first_post, posts, seeded.desk_id, writer, tag_ids, approved)
    connection = db.session.connection()
    insert_rows(connection, Post.__table__, post_rows)
    insert_rows(connection, post_tags, links)
    insert_rows(connection, Comment.__table__, _scale_comments(
        first_post, posts, _next_id(Comment), per_post, seeded.author_ids))
    _sync_sequences()
    db.session.commit()


def _scale_posts(first_id, count, desk_id, writer, tag_ids,
                 approved: int) -> tuple[list[dict], list[dict]]:
    rng = random.Random("scale-posts")
    posts, links = [], []
    for number in range(count):
        post_id = first_id + number
        published = content.EPOCH - timedelta(minutes=number * 7)
        posts.append({"id": post_id, "slug": f"bench-scale-{number:05d}",
                      "title": writer.title(rng), "summary": writer.summary(rng),
                      "body_html": writer.body(rng, paragraphs=2), "author_id": desk_id,
                      "status": PostStatus.PUBLISHED.value, "comments_open": True,
                      "comment_count": approved, "created_at": published,
                      "published_at": published,
                      "updated_at": published})
        links.extend({"post_id": post_id, "tag_id": t}
                     for t in rng.sample(tag_ids, rng.randint(1, 3)))
    return posts, links


def scale_status(index: int) -> str:
    """Mix in held and refused comments, never on a comment that others reply to."""
    if index % 20 == 6:
        return CommentStatus.PENDING.value
    if index % 20 == 12:
        return CommentStatus.REJECTED.value
    if index % 50 == 27:
        return CommentStatus.SPAM.value
    return CommentStatus.APPROVED.value


def _scale_comments(first_post, posts, first_id, per_post, author_ids) -> Iterator[dict]:
    rng = random.Random("scale-comments")
    texts = [content.comment_text(rng) for _ in range(TEXT_POOL)]
    pool = [(body, render_comment(body)) for body in texts]
    next_id = first_id
    for number in range(posts):
        rows = []
        for index in range(per_post):
            body, html = pool[(number * per_post + index) % TEXT_POOL]
            parent = index - 1 if index % 5 == 4 else None
            created = content.EPOCH + timedelta(minutes=index, seconds=number % 60)
            rows.append(_comment_row(first_post + number, next_id, index, parent,
                                     author_ids[index % len(author_ids)], body, html, created,
                                     scale_status(index)))
        _finish_counts(rows)
        next_id += per_post
        yield from rows
