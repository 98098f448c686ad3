"""Emails through a real SMTP server: headers, retries with backoff, bounces, preferences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.delivery import worker
from blog.extensions import db
from blog.models import EmailMessage, EmailSuppression, utcnow
from blog.services import follows
from tests.factories import make_user
from tests.notifications.helpers import count_messages, make_comment, run_worker


def replies_to(post, recipient, count):
    """Make `count` replies to `recipient`'s comment by distinct readers; return the readers."""
    parent = make_comment(post, recipient)
    repliers = [make_user() for _ in range(count)]
    for replier in repliers:
        make_comment(post, replier, parent=parent)
    return repliers


def test_a_notification_email_has_both_parts_and_unsubscribe_headers(smtp, mailbox, post,
                                                                     reader, other_reader):
    parent = make_comment(post, reader)
    make_comment(post, other_reader, parent=parent, body="I disagree <strongly>.")
    run_worker()
    [message] = mailbox.messages
    assert message["To"] == reader.email
    assert "Otto Other replied" in message["Subject"]
    assert message["Message-ID"].startswith("<notification-")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://blog.test/subscriptions/unsubscribe?")
    parts = {part.get_content_type(): part.get_payload(decode=True).decode()
             for part in message.walk() if not part.is_multipart()}
    assert "I disagree <strongly>." in parts["text/plain"]
    assert "http://blog.test/posts/elections-in-the-north#comment-" in parts["text/html"]
    assert "I disagree &lt;strongly&gt;." in parts["text/html"]


def test_a_server_that_is_down_gets_every_message_exactly_once_when_back(smtp, mailbox, post,
                                                                         reader):
    replies_to(post, reader, 3)
    smtp.stop()
    stats = run_worker()
    assert (stats.sent, stats.retried) == (0, 3)
    queued = db.session.scalars(select(EmailMessage)).all()
    assert {m.status for m in queued} == {"queued"}
    assert all(m.next_attempt_at > utcnow() and m.attempts == 1 for m in queued)

    smtp.start()
    assert run_worker().sent == 0  # not due yet: each message waits its own backoff
    stats = run_worker(now=utcnow() + timedelta(hours=1))
    assert stats.sent == 3
    assert sorted(mailbox.message_ids()) == sorted({m.message_id for m in queued})
    assert run_worker(now=utcnow() + timedelta(days=1)).sent == 0
    assert len(mailbox.messages) == 3


def test_backoff_doubles_per_message(app, post, reader):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens: refused
    replies_to(post, reader, 1)
    start = utcnow() + timedelta(minutes=1)
    delays = []
    for hours in range(4):
        now = start + timedelta(hours=hours * 10)
        run_worker(now=now)
        message = db.session.scalar(select(EmailMessage))
        delays.append((message.next_attempt_at - now).total_seconds())
    assert delays == [60, 120, 240, 480]
    assert "ConnectionRefusedError" in message.last_error


def test_a_refused_address_is_recorded_and_suppressed_after_repeated_bounces(app, smtp, mailbox,
                                                                             post, reader):
    mailbox.refuse.add(reader.email)
    app.config["MAIL_BOUNCE_LIMIT"] = 2
    replies_to(post, reader, 3)
    stats = run_worker()
    assert (stats.sent, stats.failed, stats.skipped) == (0, 2, 1)
    statuses = db.session.scalars(select(EmailMessage.status).order_by(EmailMessage.id)).all()
    assert statuses == ["failed", "failed", "suppressed"]
    suppression = db.session.get(EmailSuppression, reader.email)
    assert suppression.bounces == 2 and suppression.suppressed_at is not None
    assert "550" in suppression.last_error
    replies_to(post, reader, 1)
    run_worker()
    assert mailbox.messages == []


@pytest.mark.parametrize(("preference", "emails"), [("immediate", 1), ("daily", 0), ("off", 0)])
def test_the_email_preference_decides_immediate_emails_and_in_app_stays(smtp, mailbox, post,
                                                                        reader, preference,
                                                                        emails):
    follows.update_preferences(reader, {"email": preference})
    db.session.commit()
    replies_to(post, reader, 1)
    run_worker()
    assert len(mailbox.messages) == emails
    assert follows.get_preferences(reader.id).email == preference


def test_a_daily_reader_gets_one_digest_a_day(smtp, mailbox, post, reader):
    follows.update_preferences(reader, {"email": "daily"})
    db.session.commit()
    replies_to(post, reader, 2)
    run_worker()
    assert mailbox.messages == []
    tomorrow = utcnow() + timedelta(days=1, minutes=1)
    run_worker(now=tomorrow)
    [digest] = mailbox.messages
    assert digest["Subject"] == "Your daily digest: 2 new notifications"
    assert digest["List-Unsubscribe"]
    run_worker(now=tomorrow + timedelta(hours=2))
    assert len(mailbox.messages) == 1


def test_turning_emails_off_cancels_queued_ones(smtp, mailbox, post, reader):
    replies_to(post, reader, 1)
    worker.process_events()
    assert count_messages(status="queued") == 1
    follows.update_preferences(reader, {"email": "off"})
    db.session.commit()
    stats = run_worker()
    assert (stats.sent, stats.skipped) == (0, 1)
    assert mailbox.messages == []


def test_without_a_mail_server_emails_go_to_the_log_and_instance_mail(app, post, reader, caplog,
                                                                      tmp_path):
    assert not app.config["MAIL_SERVER"]
    replies_to(post, reader, 1)
    with caplog.at_level("INFO", logger="blog.delivery"):
        assert run_worker().sent == 1
    [path] = (tmp_path / "mail").glob("*.eml")
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in path.read_text()
    assert f"email to {reader.email}" in caplog.text
