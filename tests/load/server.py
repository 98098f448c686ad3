"""gunicorn on a database of the test's own, seeded with readers, tokens and posts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from blog import create_app
from blog.extensions import db
from blog.models import Base, Comment, CommentStatus, CommentVote, Post, Role
from blog.services import accounts
from config import TestingConfig
from tests.factories import make_post, make_user

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


@dataclass
class Seed:
    tokens: list[str]
    user_ids: list[int]
    posts: list[str]


def seed(url: str, readers: int, posts: int = 3) -> Seed:
    """Create the tables and `readers` readers with a bearer token each, and `posts` posts."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        author = make_user(Role.AUTHOR)
        slugs = [make_post(author, f"Load story {n}").slug for n in range(posts)]
        users = [make_user() for _ in range(readers)]
        tokens = [accounts.create_api_token(user, "load") for user in users]
        db.session.commit()
        user_ids = [user.id for user in users]
        db.session.remove()
        db.engine.dispose()
    return Seed(tokens, user_ids, slugs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, log_path: Path, workers: int = WORKERS):
    """Serve the app with `workers` gunicorn workers; yield the base URL."""
    port = free_port()
    env = {**os.environ, "BLOG_ENV": "production", "SECRET_KEY": "load-test",
           "DATABASE_URL": url, "RATELIMIT_ENABLED": "false", "SESSION_COOKIE_SECURE": "false",
           "MODERATION_NEW_USER_APPROVED": "0", "MODERATION_REPEAT_WINDOW_SECONDS": "0"}
    env.pop("REDIS_URL", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
             "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "--timeout", "60", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_healthy(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def start_driver(base: str, seeded: Seed, clients: int, comments: int, votes: int,
                 **extra) -> subprocess.Popen:
    """Start tests/load/driver.py in its own process with `clients` threads."""
    plan = {"base": base, "tokens": seeded.tokens[:clients], "user_ids": seeded.user_ids[:clients],
            "posts": seeded.posts, "comments": comments, "votes": votes, "seed": 1, **extra}
    process = subprocess.Popen([sys.executable, "-m", "tests.load.driver"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    process.stdin.write(json.dumps(plan))
    process.stdin.close()
    return process


def driver_result(process: subprocess.Popen, timeout: float = 900) -> dict:
    output = process.stdout.read()
    process.wait(timeout=timeout)
    assert process.returncode == 0, "the load driver failed"
    return json.loads(output)


def inconsistencies(url: str, result: dict, comments: int) -> dict[str, object]:
    """Compare the database with what the clients were told; return what does not agree."""
    engine = create_engine(url)
    found: dict[str, object] = {}
    with engine.connect() as connection:
        rows = connection.execute(select(Comment.id, Comment.idempotency_key, Comment.status)).all()
        by_key = {key: comment_id for comment_id, key, _ in rows}
        if len(rows) != comments or len(by_key) != comments:
            found["comment rows"] = (len(rows), len(by_key), comments)
        wrong = {k: v for k, v in result["acknowledged"].items() if by_key.get(k) != v}
        if wrong or len(result["acknowledged"]) != comments:
            found["acknowledged comments missing or different"] = len(wrong)
        not_approved = [r for r in rows if r.status != CommentStatus.APPROVED]
        if not_approved:
            found["not approved"] = len(not_approved)
        found.update(_counter_drift(connection))
        votes = {f"{u}:{c}": v for c, u, v in connection.execute(
            select(CommentVote.comment_id, CommentVote.user_id, CommentVote.value))}
        expected = {k: v for k, v in result["final_votes"].items() if v != 0}
        if result.get("check_votes", True) and votes != expected:
            found["vote rows differ from the last vote each reader was told of"] = len(
                set(votes.items()) ^ set(expected.items()))
    engine.dispose()
    return found


def _counter_drift(connection) -> dict[str, object]:
    """Posts' comment counts, reply counts and scores that differ from the rows."""
    approved = Comment.status == CommentStatus.APPROVED.value
    drift = {}
    posts = connection.execute(
        select(Post.slug, Post.comment_count, func.count(Comment.id))
        .outerjoin(Comment, (Comment.post_id == Post.id) & approved)
        .group_by(Post.id, Post.slug, Post.comment_count)
        .having(Post.comment_count != func.count(Comment.id))
    ).all()
    if posts:
        drift["post comment_count"] = [tuple(r) for r in posts]
    reply_counts = connection.execute(text(
        "SELECT c.id FROM comments c WHERE c.reply_count != (SELECT count(*) FROM comments r "
        "WHERE r.parent_id = c.id AND r.status = 'approved')"
    )).scalars().all()
    if reply_counts:
        drift["reply_count"] = len(reply_counts)
    scores = connection.execute(text(
        "SELECT c.id FROM comments c WHERE c.score != (SELECT coalesce(sum(v.value), 0) "
        "FROM comment_votes v WHERE v.comment_id = c.id)"
    )).scalars().all()
    if scores:
        drift["score"] = len(scores)
    return drift
