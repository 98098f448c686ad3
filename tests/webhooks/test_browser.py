"""The webhooks page in real headless Chromium: an admin adds an endpoint with the form,
copies the secret shown once, and the page passes axe-core."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import WebhookEndpoint
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_webhook_in_the_browser(app, open_page, admin, receiver):
    page = open_page(user=admin, path="/admin/webhooks")
    assert_accessible(page)
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("comment.held").check()
    page.get_by_label("Body").select_option("slack")
    page.get_by_role("button", name="Add endpoint").click()

    secret = page.locator("#webhook-secret").inner_text()
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert endpoint.events == ["comment.held"] and endpoint.format == "slack"
    row = page.locator(f"#endpoint-{endpoint.id}")
    assert "comment.held" in row.inner_text() and "active" in row.inner_text()
    assert_accessible(page)
    assert page.js_errors == []


def test_an_admin_rotates_a_webhook_secret_in_the_browser(app, open_page, admin, receiver):
    page = open_page(user=admin, path="/admin/webhooks")
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("comment.created").check()
    page.get_by_role("button", name="Add endpoint").click()
    first = page.locator("#webhook-secret").inner_text()

    page.get_by_role("button", name=f"New secret for {receiver.url}").click()

    second = page.locator("#webhook-secret").inner_text()
    db.session.expire_all()
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert second == endpoint.secret != first and endpoint.previous_secret == first
    assert "signed with the old secret as well" in page.get_by_role("status").inner_text()
    assert "the previous one signs too until" in page.locator(
        f"#endpoint-{endpoint.id}").inner_text()
    assert_accessible(page)
    assert page.js_errors == []
