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
