"""Visitors' email subscriptions: double opt-in, tokens, rate limits, unsubscribe."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import EmailMessage, EmailSubscription, MessageKind
from blog.services import follows, subscriptions
from tests.factories import make_post
from tests.notifications.helpers import Mailbox, SmtpServer, make_comment, run_worker


@pytest.fixture
def mailbox(app):
    box = Mailbox()
    server = SmtpServer(box)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield box
    server.stop()


def link_in(message, path: str) -> str:
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    return re.search(rf"http://blog\.test({re.escape(path)}\?token=[\w.\-]+)",
                     text.get_payload(decode=True).decode()).group(1)


def subscribe(client, email="visitor@example.org", **extra):
    response = client.post("/api/v1/subscriptions", json={"email": email, **extra})
    assert response.status_code == 202
    return response


def confirmed_visitor(client, mailbox, email="visitor@example.org", **extra) -> None:
    subscribe(client, email, **extra)
    run_worker()
    assert client.get(link_in(mailbox.messages[-1], "/subscriptions/confirm")).status_code == 200


def test_double_opt_in_mails_new_posts_only_after_confirmation(client, mailbox, author):
    subscribe(client)
    make_post(author, "Before confirming")
    run_worker()
    [confirmation] = mailbox.messages
    assert confirmation["To"] == "visitor@example.org"
    page = client.get(link_in(confirmation, "/subscriptions/confirm"))
    assert page.status_code == 200 and "You are subscribed" in page.get_data(as_text=True)
    post = make_post(author, "After confirming")
    run_worker()
    [_, news] = mailbox.messages
    assert news["Subject"] == f"New post: {post.title}"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, mailbox, reader):
    confirmed_visitor(client, mailbox)
    answers = [subscribe(client, email).get_json()
               for email in ("visitor@example.org", "nobody@example.org", reader.email)]
    assert answers[0] == answers[1] == answers[2]


def test_a_subscription_to_tags_gets_only_their_posts(client, mailbox, author):
    make_post(author, "Seed", tags=["Science", "Sport"])
    confirmed_visitor(client, mailbox, tags=["Science"])
    make_post(author, "Football", tags=["Sport"])
    make_post(author, "Physics", tags=["Science", "Sport"])
    run_worker()
    assert [m["Subject"] for m in mailbox.messages[1:]] == ["New post: Physics"]


def test_unknown_tags_are_a_validation_error(client):
    response = client.post("/api/v1/subscriptions",
                           json={"email": "visitor@example.org", "tags": ["Nope"]})
    assert response.status_code == 422 and "tags" in response.get_json()["errors"]


@pytest.mark.parametrize("email", ["not-an-address", "", "a" * 250 + "@example.org"])
def test_bad_addresses_are_refused(client, email):
    assert client.post("/api/v1/subscriptions", json={"email": email}).status_code == 422


def test_confirmation_emails_to_one_address_are_limited(app, client, mailbox):
    app.config["SUBSCRIPTION_CONFIRM_LIMIT"] = 2
    for _ in range(4):
        subscribe(client)
    subscribe(client, "Other@Example.org")
    run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == [
        "other@example.org", "visitor@example.org", "visitor@example.org"]


def test_an_active_subscription_is_not_changed_or_mailed_by_a_new_request(client, mailbox,
                                                                          author):
    make_post(author, "Seed", tags=["Science"])
    confirmed_visitor(client, mailbox)
    subscribe(client, tags=["Science"])
    run_worker()
    assert len(mailbox.messages) == 1
    subscription = db.session.scalar(select(EmailSubscription))
    assert subscription.status == "active" and subscription.tags == []


def test_an_expired_confirmation_link_is_refused(app, client, mailbox):
    subscribe(client)
    run_worker()
    link = link_in(mailbox.messages[0], "/subscriptions/confirm")
    later = time.time() + app.config["SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS"] + 60
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        page = client.get(link)
    assert page.status_code == 400 and "expired" in page.get_data(as_text=True)
    assert db.session.scalar(select(EmailSubscription.status)) == "pending"


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
    lambda token: "",
    lambda token: subscriptions.make_token(subscriptions.UNSUBSCRIBE, {"s": 1, "e": "x"}),
])
def test_tampered_or_foreign_confirmation_tokens_are_refused(client, mailbox, tamper):
    subscribe(client)
    run_worker()
    link = link_in(mailbox.messages[0], "/subscriptions/confirm")
    token = link.split("token=")[1]
    page = client.get(f"/subscriptions/confirm?token={tamper(token)}")
    assert page.status_code == 400
    assert db.session.scalar(select(EmailSubscription.status)) == "pending"


def test_an_unsubscribe_token_cannot_confirm_and_a_confirm_token_cannot_unsubscribe(client,
                                                                                    mailbox):
    subscribe(client)
    run_worker()
    confirm_token = link_in(mailbox.messages[0], "/subscriptions/confirm").split("token=")[1]
    assert client.post(f"/subscriptions/unsubscribe?token={confirm_token}").status_code == 400


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client, mailbox, author):
    confirmed_visitor(client, mailbox)
    make_post(author, "News")
    run_worker()
    link = link_in(mailbox.messages[-1], "/subscriptions/unsubscribe")
    page = client.get(link)
    assert page.status_code == 200
    assert '<form method="post"' in page.get_data(as_text=True)
    assert db.session.scalar(select(EmailSubscription.status)) == "active"


def test_one_click_unsubscribe_without_cookies_or_csrf(client, mailbox, author):
    confirmed_visitor(client, mailbox)
    make_post(author, "News")
    run_worker()
    unsubscribe = mailbox.messages[-1]["List-Unsubscribe"].strip("<>")
    path = unsubscribe.removeprefix("http://blog.test")
    response = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert db.session.scalar(select(EmailSubscription.status)) == "unsubscribed"
    make_post(author, "More news")
    run_worker()
    assert mailbox.messages[-1]["Subject"] == "New post: News"


def test_one_click_from_a_signed_in_browser_needs_no_csrf_token(reader_client, client,
                                                                 mailbox, author):
    confirmed_visitor(client, mailbox)
    make_post(author, "News")
    run_worker()
    path = mailbox.messages[-1]["List-Unsubscribe"].strip("<>").removeprefix("http://blog.test")
    assert reader_client.post(path, csrf=False).status_code == 200


def test_one_click_in_a_notification_email_turns_the_readers_emails_off(client, mailbox,
                                                                        reader, other_reader,
                                                                        author):
    post = make_post(author, "Thread")
    parent = make_comment(post, reader)
    make_comment(post, other_reader, parent=parent)
    run_worker()
    path = mailbox.messages[-1]["List-Unsubscribe"].strip("<>").removeprefix("http://blog.test")
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert follows.get_preferences(reader.id).email == "off"
    make_comment(post, other_reader, parent=parent)
    run_worker()
    assert len(mailbox.messages) == 1


def test_a_confirmation_for_an_address_whose_subscription_ended_can_resubscribe(client,
                                                                               mailbox):
    confirmed_visitor(client, mailbox)
    subscription = db.session.scalar(select(EmailSubscription))
    subscriptions.unsubscribe(subscriptions.unsubscribe_token_for_subscription(subscription))
    db.session.commit()
    subscribe(client)
    run_worker()
    kinds = db.session.scalars(select(EmailMessage.kind)).all()
    assert kinds.count(MessageKind.CONFIRM.value) == 2
    assert client.get(link_in(mailbox.messages[-1], "/subscriptions/confirm")).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(EmailSubscription.status)) == "active"
