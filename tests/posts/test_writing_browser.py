"""An author writes, previews, publishes, edits and unpublishes a post in Chromium."""

from __future__ import annotations

import pytest

from blog.models import Role
from tests.browser_support import WIDTHS, assert_usable, screenshot
from tests.factories import make_user


@pytest.mark.parametrize("width", WIDTHS)
def test_an_author_writes_and_publishes_on_the_page(open_page, live_server, width):
    author = make_user(Role.AUTHOR, display_name="Ada Author")
    page = open_page(width, author, "/write")
    assert_usable(page, width)
    page.get_by_role("link", name="Write a new post").click()
    page.get_by_label("Title").fill("Ferry timetable changes in spring")
    page.get_by_label("Summary").fill("Fewer crossings on Sundays.")
    page.get_by_label("Tags, separated by commas").fill("Transport, Local")
    page.get_by_label("Body").fill("<p>From <strong>April</strong> the ferry runs hourly.</p>"
                                   "<script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".writing-preview")
    assert preview.locator("strong").inner_text() == "April"
    assert "alert(1)" not in preview.inner_text()
    assert_usable(page, width)
    screenshot(page, f"writing-{width}")

    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server}/posts/ferry-timetable-changes-in-spring")
    assert page.get_by_role("heading", name="Ferry timetable changes in spring").is_visible()
    assert_usable(page, width)

    page.get_by_role("link", name="Edit this post").click()
    page.get_by_label("Title").fill("Ferry timetable changes from April")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Ferry timetable changes from April").wait_for()

    page.get_by_role("link", name="Edit this post").click()
    page.get_by_role("button", name="Unpublish (back to draft)").click()
    page.wait_for_url(f"{live_server}/write")
    assert page.get_by_text("is a draft again").is_visible()
    assert page.locator(".writing-list li", has_text="from April").get_by_text(
        "Draft").is_visible()
    assert_usable(page, width)
    assert page.js_errors == []
