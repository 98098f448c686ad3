"""Workers as separate processes and side by side: nothing is lost, nothing is done twice."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, insert, select

from blog.delivery import worker
from blog.extensions import db
from blog.models import Comment, EmailMessage, Event, FollowLevel, MessageStatus, Notification
from blog.services import follows
from tests.database import is_postgresql
from tests.factories import make_user
from tests.notifications.helpers import (
    Mailbox,
    SmtpServer,
    make_comment,
    run_worker,
    worker_process,
)

pytestmark = pytest.mark.slow



def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(app, database_url,
                                                                     tmp_path, post, reader):
    mailbox = Mailbox(delay=0.05)  # slow enough to be killed in the middle of the run
    server = SmtpServer(mailbox)
    server.start()
    try:
        parent = make_comment(post, reader)
        for _ in range(30):
            make_comment(post, make_user(), parent=parent)
        db.session.commit()
        process = worker_process(database_url, tmp_path, MAIL_SERVER="127.0.0.1",
                                 MAIL_PORT=str(server.port))
        deadline = time.monotonic() + 60
        while len(mailbox.messages) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        sent_before_restart = len(mailbox.messages)
        assert 8 <= sent_before_restart < 30

        # A worker started after the lease of the dead one's claim has run out finishes the job.
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port,
                          MAIL_SEND_LEASE_SECONDS=0)
        run_worker()
    finally:
        server.stop()
    expected = set(db.session.scalars(select(EmailMessage.message_id)))
    assert len(expected) == 30 and None not in expected
    statuses = db.session.scalars(select(EmailMessage.status)).all()
    assert set(statuses) == {MessageStatus.SENT.value}
    received = Counter(mailbox.message_ids())
    assert set(received) == expected
    # Only the one message in the SMTP conversation at the kill can arrive twice, and it
    # carries the same Message-ID both times (receivers dedupe on it).
    assert sum(received.values()) - len(received) <= 1


@pytest.mark.skipif(not is_postgresql(os.environ.get("TEST_DATABASE_URL") or "sqlite://"),
                    reason="SQLite has no row locks (SKIP LOCKED): it runs one worker")
def test_two_workers_at_once_do_no_event_and_no_email_twice(app, post, reader, author):
    follows.follow_post(reader, post, FollowLevel.ALL)
    db.session.commit()
    rows = [{"post_id": post.id, "author_id": author.id, "body": f"Comment {n}",
             "body_html": f"<p>Comment {n}</p>", "status": "approved"} for n in range(1000)]
    db.session.execute(insert(Comment), rows)
    comment_ids = db.session.scalars(select(Comment.id).where(Comment.post_id == post.id)).all()
    db.session.execute(insert(Event), [
        {"kind": "comment_approved", "key": f"comment:{cid}", "post_id": post.id,
         "comment_id": cid, "actor_id": author.id, "data": {}} for cid in comment_ids
    ])
    db.session.commit()
    pending = db.session.scalar(
        select(func.count()).select_from(Event).where(Event.processed_at.is_(None)))
    assert pending == 1001  # the thousand approvals and the post's publication
    mailbox = Mailbox()
    server = SmtpServer(mailbox)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    results, errors = [], []
    start = threading.Barrier(2)

    def work():
        with app.app_context():
            try:
                start.wait()
                results.append(worker.run_once())
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.stop()
    assert errors == []
    assert min(r.events for r in results) > 0, "one worker did everything"
    assert sum(r.events for r in results) == pending
    assert sum(r.sent for r in results) == 1000
    received = Counter(mailbox.message_ids())
    assert len(received) == 1000 and set(received.values()) == {1}
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1000
    assert db.session.scalar(
        select(func.count()).select_from(Event).where(Event.processed_at.is_(None))) == 0
