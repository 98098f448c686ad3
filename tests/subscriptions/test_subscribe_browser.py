"""Issue 17: a visitor (not signed in) finds the feeds and subscribes by email in Chromium, at a
desktop and a phone width; every page visited must be usable (`assert_usable`)."""

from __future__ import annotations

import pytest

from tests.browser_support import WIDTHS, assert_usable
from tests.factories import make_post
from tests.notifications.helpers import run_worker
from tests.subscriptions.test_subscriptions import link_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_sees_the_feeds_and_subscribes_to_a_tag(open_page, live_server, smtp,
                                                          mailbox, author, width):
    make_post(author, "Night buses return to the harbour", tags=["Transport"])
    page = open_page(width, path="/")
    assert page.get_by_role("link", name="Latest news (Atom)").is_visible()
    assert_usable(page, width)
    page.get_by_role("link", name="Night buses return to the harbour").click()
    assert page.get_by_role("link", name="Comments on this article (Atom)").is_visible()
    assert_usable(page, width)
    page.goto(f"{live_server}/tags/transport")
    assert page.get_by_role("link", name="Transport (Atom)").is_visible()
    assert_usable(page, width)

    page.get_by_label("Your email address").fill("not an address")
    page.get_by_label("Your email address").evaluate("box => { box.type = 'text'; }")
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Your email address").input_value() == "not an address"
    assert_usable(page, width)
    page.get_by_label("Your email address").fill("visitor@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert_usable(page, width)

    assert run_worker().sent == 1
    page.goto(live_server + link_in(mailbox.messages[-1], "/subscriptions/confirm"))
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert "New posts in Transport will be sent to visitor@example.org" in " ".join(
        page.inner_text("main").split())
    assert_usable(page, width)
    assert page.js_errors == []
