"""Webhooks arrive at a local receiver for each event, signed per Standard Webhooks (checked
with the `standardwebhooks` package), retried with backoff, and an endpoint that keeps
failing is disabled and the admins told."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from blog.extensions import db
from blog.models import (
    Comment,
    EmailMessage,
    Event,
    Notification,
    PostModeration,
    WebhookDelivery,
    WebhookEndpoint,
    utcnow,
)
from blog.services import webhooks
from tests.factories import make_post, make_user
from tests.moderation.factories import flag
from tests.notifications.helpers import make_comment, run_worker
from tests.webhooks.conftest import post_comment, register


def verified(endpoint, request) -> dict:
    """The body, once the signature checks out with the endpoint's secret."""
    return Webhook(endpoint.secret).verify(request["body"], request["headers"])


def test_a_published_comment_arrives_as_created_and_approved_signed(receiver, reader_client,
                                                                    post):
    endpoint = register(receiver.url)
    comment = post_comment(reader_client, post)
    assert comment["status"] == "approved"
    run_worker()

    assert sorted(receiver.types()) == ["comment.approved", "comment.created"]
    for request in receiver.requests:
        body = verified(endpoint, request)
        assert body["data"]["comment"]["id"] == comment["id"]
        assert body["data"]["comment"]["body"] == "The sea wall should have come years ago."
        assert body["data"]["post"]["slug"] == post.slug
        assert request["headers"]["webhook-id"].startswith("msg_")
    ids = {request["headers"]["webhook-id"] for request in receiver.requests}
    assert len(ids) == 2


def test_a_tampered_body_or_another_secret_does_not_verify(receiver, reader_client, post):
    endpoint = register(receiver.url)
    post_comment(reader_client, post)
    run_worker()
    request = receiver.requests[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(request["body"] + b" ", request["headers"])
    with pytest.raises(WebhookVerificationError):
        other = register(receiver.url)
        Webhook(other.secret).verify(request["body"], request["headers"])


def test_a_held_comment_arrives_as_created_and_held_then_approved(receiver, reader_client,
                                                                   moderator_client, post):
    db.session.add(PostModeration(post_id=post.id, premoderate=True))
    db.session.commit()
    endpoint = register(receiver.url)
    comment = post_comment(reader_client, post)
    assert comment["status"] == "pending"
    run_worker()
    assert sorted(receiver.types()) == ["comment.created", "comment.held"]
    held = next(b for b in receiver.bodies() if b["type"] == "comment.held")
    assert held["data"]["comment"]["status"] == "pending"
    assert held["data"]["comment"]["signals"] == ["premoderate_post"]

    response = moderator_client.post(f"/api/v1/moderation/comments/{comment['id']}",
                                     json={"action": "approve"})
    assert response.status_code == 200
    run_worker()
    assert receiver.types()[-1] == "comment.approved"
    verified(endpoint, receiver.requests[-1])


def test_only_the_subscribed_events_are_sent(receiver, reader_client, post, author):
    register(receiver.url, ["post.published"])
    post_comment(reader_client, post)
    make_post(author, "Ferry timetable changes for winter")
    run_worker()
    bodies = receiver.bodies()
    assert [b["type"] for b in bodies] == ["post.published"]
    assert bodies[0]["data"]["post"]["title"] == "Ferry timetable changes for winter"


def test_readers_flags_past_the_threshold_send_comment_flagged(receiver, reader_client, post):
    register(receiver.url, ["comment.flagged"])
    comment_id = post_comment(reader_client, post)["id"]
    comment = db.session.get(Comment, comment_id)
    for _ in range(3):
        flag(comment, make_user())
    run_worker()
    assert receiver.types() == ["comment.flagged"]
    assert receiver.bodies()[0]["data"]["comment"]["status"] == "flagged"


def test_the_slack_format_sends_text_with_links_signed_all_the_same(receiver, reader_client,
                                                                      post):
    endpoint = register(receiver.url, ["comment.created"], format="slack")
    post_comment(reader_client, post, "Fix the <b>bridge</b> & the road")
    run_worker()
    body = verified(endpoint, receiver.requests[0])
    assert set(body) == {"text"}
    assert body["text"].startswith("New comment by ")
    assert f"/posts/{post.slug}|Harbour council votes on the new sea wall>" in body["text"]
    assert ": Fix the &lt;b&gt;bridge&lt;/b&gt; &amp; the road <" in body["text"]
    assert "moderate>" in body["text"]


def test_a_failing_endpoint_is_retried_with_backoff_as_the_same_message(receiver,
                                                                       reader_client, post):
    register(receiver.url, ["comment.created"])
    post_comment(reader_client, post)
    receiver.status = 500
    now = utcnow()
    run_worker(now=now)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("queued", 1, 500)
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    run_worker(now=now + timedelta(seconds=10))  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    run_worker(now=now + timedelta(seconds=31))
    assert len(receiver.requests) == 2
    db.session.refresh(delivery)
    assert delivery.next_attempt_at == now + timedelta(seconds=31 + 60)  # doubled

    receiver.status = 204
    run_worker(now=now + timedelta(seconds=200))
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and delivery.attempts == 3
    ids = {request["headers"]["webhook-id"] for request in receiver.requests}
    bodies = {request["body"] for request in receiver.requests}
    assert len(ids) == 1 and len(bodies) == 1


def test_an_endpoint_that_keeps_failing_is_disabled_and_the_admins_told(
        app, receiver, reader_client, post, admin, admin_client, smtp, mailbox):
    app.config.update(WEBHOOKS_DISABLE_AFTER=3, WEBHOOKS_RETRY_BASE_SECONDS=0)
    endpoint = register(receiver.url, ["comment.created"])
    receiver.status = 503
    for n in range(3):
        post_comment(reader_client, post, f"Comment {n} on the wall")
    run_worker()
    db.session.refresh(endpoint)
    assert endpoint.disabled_at is not None
    assert "3 failed attempts in a row" in endpoint.disabled_reason
    attempts = len(receiver.requests)
    assert attempts == 3

    notice = db.session.scalar(select(Notification).where(Notification.user_id == admin.id))
    assert notice.kind == "webhook" and notice.detail == str(endpoint.id)
    assert db.session.scalar(select(EmailMessage).where(EmailMessage.user_id == admin.id))
    assert any("webhook endpoint" in message["Subject"] for message in mailbox.messages)

    receiver.status = 200
    post_comment(reader_client, post, "One more while it is off")
    run_worker()
    assert len(receiver.requests) == attempts  # disabled: nothing more is sent

    response = admin_client.post(f"/api/v1/webhooks/{endpoint.id}/enable")
    assert response.status_code == 200 and response.json["active"] is True
    run_worker()
    statuses = db.session.scalars(select(WebhookDelivery.status)).all()
    assert statuses.count("delivered") >= 1
    assert "queued" not in statuses


def test_410_gone_disables_the_endpoint_at_once(receiver, reader_client, post):
    endpoint = register(receiver.url, ["comment.created"])
    receiver.status = 410
    post_comment(reader_client, post)
    run_worker()
    db.session.refresh(endpoint)
    assert endpoint.disabled_at is not None and "410" in endpoint.disabled_reason
    assert db.session.scalar(select(WebhookDelivery.status)) == "failed"


def test_an_address_that_became_private_is_not_called(app, receiver, reader_client, post):
    register(receiver.url, ["comment.created"])
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    post_comment(reader_client, post)
    run_worker()
    assert receiver.requests == []
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "failed" and "127.0.0.1" in delivery.last_error


def test_an_event_is_queued_once_per_endpoint_even_if_expanded_again(receiver, reader_client,
                                                                      post):
    register(receiver.url, ["comment.created"])
    post_comment(reader_client, post)
    run_worker()
    event = db.session.scalar(select(Event).where(Event.kind == "comment_approved"))
    assert webhooks.queue_deliveries(event) == 1  # offered again ...
    db.session.commit()
    assert len(db.session.scalars(select(WebhookDelivery)).all()) == 1  # ... and skipped
    run_worker()
    assert len(receiver.requests) == 1


def test_deleting_an_endpoint_removes_its_log(receiver, reader_client, post):
    endpoint = register(receiver.url, ["comment.created"])
    post_comment(reader_client, post)
    run_worker()
    webhooks.delete_endpoint(endpoint.id)
    db.session.commit()
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_bodies_are_json_with_type_timestamp_and_data(receiver, reader_client, post):
    register(receiver.url, ["comment.created"])
    post_comment(reader_client, post)
    run_worker()
    body = json.loads(receiver.requests[0]["body"])
    assert set(body) == {"type", "timestamp", "data"}
    assert receiver.requests[0]["headers"]["content-type"] == "application/json"


def test_a_slow_endpoint_does_not_hold_up_email(app, receiver, reader_client, post, reader,
                                                other_reader, smtp, mailbox):
    app.config.update(WEBHOOKS_RUN_SECONDS=0.5)
    register(receiver.url, ["comment.created"])
    receiver.delay = 0.4
    parent = make_comment(post, reader)
    for n in range(4):
        post_comment(reader_client, post, f"Comment {n} on the wall")
    make_comment(post, other_reader, parent=parent)  # reader is emailed about this reply

    stats = run_worker()

    assert 1 <= stats.webhooks_delivered < 4  # the run's webhook time ran out ...
    assert [message["To"] for message in mailbox.messages] == [reader.email]  # ... email went
    receiver.delay = 0.0
    run_worker()
    assert len(receiver.requests) == 4  # the rest came with the next run, each once


def test_a_slow_endpoint_does_not_hold_up_another_endpoints_deliveries(
        app, receiver, other_receiver, reader_client, post):
    app.config.update(WEBHOOKS_RUN_SECONDS=1.0)
    register(receiver.url, ["comment.created"])
    register(other_receiver.url, ["comment.created"])
    receiver.delay = 1.5  # longer than the run's time for webhooks
    for n in range(3):
        post_comment(reader_client, post, f"Comment {n} on the harbour wall")

    stats = run_worker()

    assert len(other_receiver.requests) == 3  # sent while the slow endpoint was answering
    assert len(receiver.requests) == 1  # one at a time there, and the run's time ran out
    assert stats.webhooks_delivered == 4
    receiver.delay = 0.0
    run_worker()
    assert len(receiver.requests) == 3 and len(other_receiver.requests) == 3  # each once


def test_an_endpoint_gets_one_request_at_a_time_from_a_worker(app, receiver, other_receiver,
                                                              reader_client, post):
    register(receiver.url, ["comment.created"])
    register(other_receiver.url, ["comment.created"])
    receiver.delay = other_receiver.delay = 0.2
    for n in range(3):
        post_comment(reader_client, post, f"Comment {n} on the harbour wall")

    run_worker()

    assert len(receiver.requests) == 3 and len(other_receiver.requests) == 3
    assert receiver.most_in_flight == 1 and other_receiver.most_in_flight == 1
