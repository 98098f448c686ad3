"""Rotating an endpoint's signing secret: the new secret is shown once, and for a grace period
every delivery carries two signatures, so the receiver verifies with either while it switches."""

from __future__ import annotations

import base64
import html
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from blog.extensions import db
from blog.models import WebhookDelivery, WebhookEndpoint, utcnow
from tests.helpers import assert_problem
from tests.notifications.helpers import run_worker
from tests.webhooks.conftest import post_comment, register


def verifies(secret: str, request: dict) -> bool:
    try:
        Webhook(secret).verify(request["body"], request["headers"])
    except WebhookVerificationError:
        return False
    return True


def signed_by(secret: str, request: dict) -> bool:
    """Whether one of the request's signatures is `secret`'s (the timestamp's age aside: the
    worker may run at a time ahead of the clock `verify` checks it against)."""
    headers = request["headers"]
    moment = datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=UTC)
    expected = Webhook(secret).sign(headers["webhook-id"], moment, request["body"].decode())
    return expected in headers["webhook-signature"].split(" ")


def rotate(admin_client, endpoint_id: int, **body):
    return admin_client.post(f"/api/v1/webhooks/{endpoint_id}/rotate-secret", json=body)


def test_during_the_grace_period_both_secrets_verify_then_only_the_new_one(
        receiver, admin_client, reader_client, post):
    endpoint = register(receiver.url, ["comment.created"])
    old_secret = endpoint.secret
    before = utcnow()
    response = rotate(admin_client, endpoint.id)
    assert response.status_code == 200, response.json
    new_secret = response.json["secret"]
    assert new_secret.startswith("whsec_") and new_secret != old_secret
    db.session.expire_all()
    grace_until = db.session.get(WebhookEndpoint, endpoint.id).previous_secret_until
    assert before + timedelta(hours=24) <= grace_until <= utcnow() + timedelta(hours=24)
    listed = admin_client.get("/api/v1/webhooks").json["items"][0]
    assert "secret" not in listed and listed["previous_secret_until"] is not None

    post_comment(reader_client, post, "Sent during the switch-over")
    run_worker()
    during = receiver.requests[-1]
    assert len(during["headers"]["webhook-signature"].split(" ")) == 2
    assert verifies(new_secret, during) and verifies(old_secret, during)

    post_comment(reader_client, post, "Sent once the old secret retired")
    run_worker(now=grace_until + timedelta(seconds=1))
    after = receiver.requests[-1]
    assert "Sent once the old secret retired" in after["body"].decode()
    assert len(after["headers"]["webhook-signature"].split(" ")) == 1
    assert signed_by(new_secret, after) and not signed_by(old_secret, after)


def test_a_rotation_without_grace_retires_the_old_secret_at_once(receiver, admin_client,
                                                                 reader_client, post):
    endpoint = register(receiver.url, ["comment.created"])
    old_secret = endpoint.secret
    own = "whsec_" + base64.b64encode(b"n" * 32).decode()
    response = rotate(admin_client, endpoint.id, secret=own, grace_seconds=0)
    assert response.json["secret"] == own and response.json["previous_secret_until"] is None
    post_comment(reader_client, post)
    run_worker()
    assert verifies(own, receiver.requests[-1]) and not verifies(old_secret, receiver.requests[-1])


def test_a_delivery_waiting_to_be_retried_is_signed_with_the_secrets_of_its_next_attempt(
        receiver, admin_client, reader_client, post):
    endpoint = register(receiver.url, ["comment.created"])
    receiver.status = 500
    post_comment(reader_client, post)
    now = utcnow()
    run_worker(now=now)
    new_secret = rotate(admin_client, endpoint.id, grace_seconds=0).json["secret"]
    receiver.status = 200
    run_worker(now=now + timedelta(minutes=5))
    assert db.session.scalar(select(WebhookDelivery.status)) == "delivered"
    assert signed_by(new_secret, receiver.requests[-1])


@pytest.mark.parametrize("body, field", [
    ({"grace_seconds": -1}, "grace_seconds"),
    ({"grace_seconds": 8 * 24 * 3600}, "grace_seconds"),
    ({"grace_seconds": "a day"}, "grace_seconds"),
    ({"secret": "whsec_short"}, "secret"),
    ({"secret": "whsec_" + base64.b64encode(b"k" * 80).decode()}, "secret"),
])
def test_bad_rotations_are_refused_and_the_secret_kept(receiver, admin_client, body, field):
    endpoint = register(receiver.url, ["comment.created"])
    secret = endpoint.secret
    problem = assert_problem(rotate(admin_client, endpoint.id, **body), 422)
    assert field in json.dumps(problem)
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id).secret == secret


def test_the_current_secret_is_not_a_new_one(receiver, admin_client):
    endpoint = register(receiver.url, ["comment.created"])
    problem = assert_problem(rotate(admin_client, endpoint.id, secret=endpoint.secret), 422)
    assert "other than the current one" in json.dumps(problem)


def test_only_admins_rotate_and_only_existing_endpoints(receiver, admin_client,
                                                        moderator_client, client):
    endpoint = register(receiver.url, ["comment.created"])
    assert_problem(rotate(client, endpoint.id), 401)
    assert_problem(rotate(moderator_client, endpoint.id), 403)
    assert_problem(rotate(admin_client, endpoint.id + 1), 404)
    assert moderator_client.post(f"/admin/webhooks/{endpoint.id}/rotate-secret").status_code == 403


def test_an_admin_rotates_from_the_page_and_sees_the_new_secret_once(receiver, admin_client):
    endpoint = register(receiver.url, ["comment.created"])
    old_secret = endpoint.secret
    response = admin_client.post(f"/admin/webhooks/{endpoint.id}/rotate-secret")
    assert response.status_code == 200
    db.session.expire_all()
    rotated = db.session.get(WebhookEndpoint, endpoint.id)
    page = html.unescape(response.get_data(as_text=True))
    assert rotated.secret != old_secret and rotated.secret in page and "shown only now" in page
    later = html.unescape(admin_client.get("/admin/webhooks").get_data(as_text=True))
    assert rotated.secret not in later and old_secret not in later
    assert "the previous one signs too until" in later
