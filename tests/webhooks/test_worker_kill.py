"""A worker killed while sending webhooks loses none and sends each event once: only the one
in flight at the kill may arrive again, as the same message (same webhook-id), which
receivers dedupe on."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from blog.extensions import db
from blog.models import WebhookDelivery
from tests.factories import make_user
from tests.moderation.factories import make_comment
from tests.notifications.helpers import run_worker, worker_process
from tests.webhooks.conftest import register

pytestmark = pytest.mark.slow



def test_a_worker_killed_mid_run_sends_every_event_exactly_once(app, database_url, tmp_path,
                                                                receiver, post):
    endpoint = register(receiver.url, ["comment.approved"])
    for n in range(30):
        make_comment(post, make_user(), f"Comment {n} on the sea wall")
    receiver.delay = 0.05  # slow enough to be killed in the middle of the run

    process = worker_process(database_url, tmp_path, WEBHOOKS_ALLOW_PRIVATE="true",
                             MODERATION_NEW_USER_APPROVED="0")
    deadline = time.monotonic() + 60
    while len(receiver.requests) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before_restart = len(receiver.requests)
    assert 8 <= before_restart < 30

    receiver.delay = 0
    app.config["WEBHOOKS_SEND_LEASE_SECONDS"] = 0  # the dead worker's claim has run out
    run_worker()

    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert len(deliveries) == 30 and {d.status for d in deliveries} == {"delivered"}
    received = Counter(request["headers"]["webhook-id"] for request in receiver.requests)
    assert set(received) == {d.message_id for d in deliveries}
    assert sum(received.values()) - len(received) <= 1
    comment_ids = Counter(Webhook(endpoint.secret).verify(r["body"], r["headers"])
                          ["data"]["comment"]["id"] for r in receiver.requests)
    assert len(comment_ids) == 30
