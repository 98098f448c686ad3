"""Helpers for notification tests: comments, the worker, a real SMTP server."""

from __future__ import annotations

import asyncio
import email
import html
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from blog.delivery import worker
from blog.extensions import db
from blog.models import Comment, CommentStatus, EmailMessage, Notification, Post, User
from blog.services import events
from blog.services.comment_status import change_status

ROOT = Path(__file__).resolve().parents[2]


def make_comment(post: Post, author: User, parent: Comment | None = None,
                 status: str = CommentStatus.APPROVED, body: str = "A comment.") -> Comment:
    """Write a comment as the comments service does: pending, then `change_status`."""
    comment = Comment(
        post_id=post.id, author_id=author.id, body=body, body_html=f"<p>{html.escape(body)}</p>",
        parent_id=parent.id if parent else None,
        thread_id=(parent.thread_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0, status=CommentStatus.PENDING.value,
    )
    db.session.add(comment)
    db.session.flush()
    events.comment_created(comment)
    if status != CommentStatus.PENDING:
        change_status(comment, status)
    db.session.commit()
    return comment


def run_worker(now: datetime | None = None):
    """Drain the outbox and the email queue, as `flask notifications work --once` does."""
    stats = worker.run_once(now=now)
    db.session.expire_all()
    return stats


def notifications_for(user: User) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ))


def kinds_for(user: User) -> list[str]:
    return [n.kind for n in notifications_for(user)]


def count_messages(**filters) -> int:
    statement = select(func.count()).select_from(EmailMessage).filter_by(**filters)
    return db.session.scalar(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message; refuses addresses in `refuse` with 550."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[email.message.Message] = []
        self.refuse: set[str] = set()
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


class SmtpServer:
    """A real SMTP server on a loopback port that can be stopped and started again."""

    def __init__(self, mailbox: Mailbox, port: int | None = None) -> None:
        self.mailbox = mailbox
        self.port = port or free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def worker_process(database_url: str, tmp_path: Path, **settings: str) -> subprocess.Popen:
    """Start `flask --app wsgi notifications work` against the test database, in its own
    process (so a test can SIGKILL it); `settings` are extra environment variables."""
    env = {**os.environ, "BLOG_ENV": "testing", "TEST_DATABASE_URL": database_url,
           "BLOG_INSTANCE_PATH": str(tmp_path), "NOTIFICATIONS_POLL_SECONDS": "1", **settings}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "notifications", "work"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
