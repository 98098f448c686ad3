"""The queue in a real browser (headless system Chromium through Playwright).

The app is served by a werkzeug server in a thread, on the test database of the `app` fixture.
Screenshots of the queue go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import Comment, CommentStatus
from tests.browser_support import assert_accessible, screenshot, sign_in
from tests.moderation.factories import make_comment

pytestmark = pytest.mark.browser


@pytest.fixture
def moderator_page(browser, live_server, moderator):
    """A browser page signed in as the moderator through the sign-in form."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, moderator, "/admin/moderation")
    yield page
    context.close()


def status_of(comment_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


def test_a_moderator_approves_with_the_button_and_the_comment_goes_public(
        browser, live_server, moderator_page, post, reader):
    comment = make_comment(post, reader, "The ferry timetable needs fixing too.",
                           status=CommentStatus.PENDING, signals=["new_account"])
    page = moderator_page
    page.goto(f"{live_server}/admin/moderation")
    item = page.locator(f"#comment-{comment.id}")
    assert "The ferry timetable needs fixing too." in item.inner_text()
    assert "new account" in item.inner_text()
    screenshot(page, "moderation-queue-pending")
    assert_accessible(page)

    item.locator("button[value=approve]").click()
    page.wait_for_selector(".flash-success")
    assert f"Comment #{comment.id} is now approved." in page.inner_text(".flash-success")
    assert page.locator(f"#comment-{comment.id}").count() == 0
    assert status_of(comment.id) == "approved"

    public = browser.new_context().new_page()  # an anonymous reader
    public.goto(f"{live_server}/posts/{post.slug}")
    thread = public.locator(f"#comments #comment-{comment.id}")
    assert "The ferry timetable needs fixing too." in thread.inner_text()
    public.context.close()


def test_a_moderator_rejects_with_the_keyboard(moderator_page, live_server, post, reader):
    first = make_comment(post, reader, "First in line.", status=CommentStatus.PENDING,
                         minutes_ago=10)
    second = make_comment(post, reader, "You are all idiots.", status=CommentStatus.PENDING,
                          minutes_ago=5, signals=["suspect_word"])
    page = moderator_page
    page.goto(f"{live_server}/admin/moderation")
    assert page.get_attribute(f"#comment-{first.id}", "aria-current") == "true"
    page.keyboard.press("j")
    assert page.get_attribute(f"#comment-{second.id}", "aria-current") == "true"
    screenshot(page, "moderation-queue-keyboard")

    with page.expect_navigation():
        page.keyboard.press("r")
    assert f"Comment #{second.id} is now rejected." in page.inner_text(".flash-success")
    assert (status_of(first.id), status_of(second.id)) == ("pending", "rejected")
    page.goto(f"{live_server}/admin/moderation?status=rejected")
    assert page.locator(f"#comment-{second.id}").count() == 1
    screenshot(page, "moderation-queue-rejected")


def test_select_all_and_bulk_approve(moderator_page, live_server, post, reader):
    comments = [make_comment(post, reader, f"Bulk {n}.", status=CommentStatus.PENDING)
                for n in range(3)]
    page = moderator_page
    page.goto(f"{live_server}/admin/moderation")
    page.check("#select-all")
    with page.expect_navigation():
        page.click("#bulk-form button[value=approve]")
    assert "Approved 3 comments." in page.inner_text(".flash-success")
    assert [status_of(c.id) for c in comments] == ["approved"] * 3
