"""/api/v1/webhooks: admins register, list and remove endpoints; unsafe URLs are refused."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import WebhookEndpoint
from tests.helpers import assert_problem

HOOK = {"url": "https://hooks.example.com/newsroom", "events": ["comment.held"]}


@pytest.fixture
def public_dns(monkeypatch):
    """hooks.example.com resolves to a public address (no network needed)."""
    import socket

    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(admin_client, public_dns):
    response = admin_client.post("/api/v1/webhooks", json=HOOK)
    assert response.status_code == 201, response.json
    created = response.json
    assert created["url"] == HOOK["url"] and created["events"] == ["comment.held"]
    assert created["format"] == "standard" and created["active"] is True
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32

    listed = admin_client.get("/api/v1/webhooks").json["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_an_admin_may_bring_their_own_secret_and_remove_the_endpoint(admin_client, public_dns):
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    created = admin_client.post("/api/v1/webhooks", json={**HOOK, "secret": secret}).json
    assert created["secret"] == secret
    assert admin_client.delete(f"/api/v1/webhooks/{created['id']}").status_code == 204
    assert db.session.scalars(select(WebhookEndpoint)).all() == []
    assert_problem(admin_client.delete(f"/api/v1/webhooks/{created['id']}"), 404)


@pytest.mark.parametrize("body, field", [
    ({**HOOK, "events": ["comment.deleted"]}, "events"),
    ({**HOOK, "events": []}, "events"),
    ({**HOOK, "url": "ftp://hooks.example.com/x"}, "url"),
    ({**HOOK, "url": "not a url"}, "url"),
    ({**HOOK, "format": "teams"}, "format"),
    ({**HOOK, "secret": "whsec_short"}, "secret"),
    ({"events": ["comment.held"]}, "url"),
])
def test_bad_registrations_are_refused_with_the_field_named(admin_client, public_dns, body,
                                                           field):
    assert_problem(admin_client.post("/api/v1/webhooks", json=body), 422, errors_for=field)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
])
def test_a_private_or_loopback_address_is_refused(app, admin_client, url):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    problem = assert_problem(admin_client.post("/api/v1/webhooks",
                                               json={**HOOK, "url": url}), 422, errors_for="url")
    assert "public addresses only" in problem["errors"]["url"][0]
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_a_private_address_is_allowed_when_the_setting_says_so(app, admin_client):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    response = admin_client.post("/api/v1/webhooks",
                                 json={**HOOK, "url": "http://127.0.0.1:8080/hook"})
    assert response.status_code == 201


def test_only_admins_manage_webhooks(client, reader_client, moderator_client):
    assert_problem(client.get("/api/v1/webhooks"), 401)
    assert_problem(reader_client.get("/api/v1/webhooks"), 403)
    assert_problem(moderator_client.post("/api/v1/webhooks", json=HOOK), 403)
