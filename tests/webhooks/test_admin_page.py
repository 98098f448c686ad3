"""/admin/webhooks: admins add endpoints, see each one's state and the delivery log."""

from __future__ import annotations

import html

from sqlalchemy import select

from blog.extensions import db
from blog.models import WebhookEndpoint
from tests.notifications.helpers import run_worker
from tests.webhooks.conftest import register


def test_an_admin_adds_an_endpoint_from_the_page_and_sees_the_secret_once(admin_client,
                                                                         receiver):
    response = admin_client.post("/admin/webhooks", data={
        "url": receiver.url, "events": ["comment.held", "comment.flagged"], "format": "slack",
        "description": "Moderators' Slack channel"})
    assert response.status_code == 201
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.events == ["comment.flagged", "comment.held"]
    assert endpoint.format == "slack"
    page = response.get_data(as_text=True)
    assert endpoint.secret in page and "shown only now" in page
    assert endpoint.secret not in admin_client.get("/admin/webhooks").get_data(as_text=True)


def test_a_bad_form_says_what_is_wrong_and_keeps_the_input(app, admin_client):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    response = admin_client.post("/admin/webhooks", data={
        "url": "http://10.0.0.5/hook", "events": ["comment.held"], "format": "standard"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "public addresses only" in page
    assert 'value="http://10.0.0.5/hook"' in page
    response = admin_client.post("/admin/webhooks", data={"url": "https://example.org/h",
                                                         "format": "standard"})
    assert response.status_code == 422
    assert "Events:" in html.unescape(response.get_data(as_text=True))
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_the_log_shows_each_delivery_and_a_disabled_endpoint_can_be_turned_on(
        app, admin_client, receiver, reader_client, post):
    app.config.update(WEBHOOKS_DISABLE_AFTER=1)
    endpoint = register(receiver.url, ["comment.created"])
    receiver.status = 500
    reader_client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": "First!"})
    run_worker()
    page = admin_client.get("/admin/webhooks").get_data(as_text=True)
    assert "comment.created" in page and "HTTP 500" in page
    assert "disabled" in page and f"Turn on {receiver.url}" in page

    response = admin_client.post(f"/admin/webhooks/{endpoint.id}/enable",
                                 follow_redirects=True)
    assert "is on again" in html.unescape(response.get_data(as_text=True))
    db.session.refresh(endpoint)
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_the_page_and_its_forms_are_for_admins_only(moderator_client, receiver):
    endpoint = register(receiver.url)
    assert moderator_client.get("/admin/webhooks").status_code == 403
    assert moderator_client.post(f"/admin/webhooks/{endpoint.id}/delete").status_code == 403
    assert db.session.get(WebhookEndpoint, endpoint.id) is not None
    assert "Webhooks</a>" not in moderator_client.get("/admin/moderation").get_data(as_text=True)


def test_an_admin_removes_an_endpoint(admin_client, receiver):
    endpoint = register(receiver.url)
    response = admin_client.post(f"/admin/webhooks/{endpoint.id}/delete", follow_redirects=True)
    assert "removed" in response.get_data(as_text=True)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []
