"""Issue 17: a moderator does the whole job in Chromium, at a desktop and a phone width.

Every page the walk visits must be usable (`assert_usable`: axe-core clean, no sideways
scrolling, no tap target under 24 px). Screenshots of the queue: tests/artifacts/queue-<width>.png.
"""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import Ban, Comment, CommentStatus
from tests.browser_support import WIDTHS, assert_usable, screenshot
from tests.moderation.factories import flag, make_comment

pytestmark = pytest.mark.browser

def status_of(comment_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_walks_the_queue_flags_bans_and_log(app, open_page, live_server, post,
                                                        reader, other_reader, moderator, width):
    app.config["MODERATION_FLAG_THRESHOLD"] = 3
    held = make_comment(post, reader, "The ferry timetable needs fixing too.",
                        status=CommentStatus.PENDING, signals=["new_account"])
    toll = make_comment(post, other_reader, "Tolls are a tax on the poor.",
                        status=CommentStatus.PENDING, signals=["suspect_word"])
    public = make_comment(post, other_reader, "The bridge is a fine piece of work.")
    flag(public, reader, "off_topic", "nothing to do with bridges")

    # The queue: pending first, then the flagged and approved tabs.
    page = open_page(width, moderator, "/admin/moderation")
    assert page.locator(f"#comment-{held.id}").count() == 1
    assert_usable(page, width)
    screenshot(page, f"queue-{width}")
    page.get_by_role("link", name="Flagged").click()
    flagged = page.locator(f"#comment-{public.id}")
    flagged.get_by_text("off topic by Rita Reader").wait_for()
    assert_usable(page, width)
    with page.expect_navigation():
        flagged.get_by_role("button", name="Keep, clear flags").click()
    assert page.locator(f"#comment-{public.id}").count() == 0
    page.get_by_role("link", name="Approved").click()
    page.locator(f"#comment-{public.id}").wait_for()
    assert_usable(page, width)

    # Search and the post filter.
    page.get_by_role("link", name="Pending").click()
    page.get_by_label("Search").fill("ferry")
    page.get_by_role("button", name="Filter").click()
    page.locator(f"#comment-{held.id}").wait_for()
    assert page.locator(f"#comment-{toll.id}").count() == 0
    page.goto(f"{live_server}/admin/moderation?post={post.slug}")
    assert page.locator(f"#comment-{toll.id}").count() == 1
    assert_usable(page, width)

    # A 5,000-character reason is refused on the page and decides nothing.
    page.get_by_label(f"Reason for comment {toll.id}").evaluate(
        "input => { input.removeAttribute('maxlength'); input.value = 'x'.repeat(5000); }")
    page.locator(f"#comment-{toll.id}").get_by_role("button", name="Reject").click()
    page.get_by_text("Reason: Keep it to 1,000 characters.").wait_for()
    assert status_of(toll.id) == "pending"
    assert_usable(page, width)

    # The Moderate link on the article leads to the comment's page; reject it there.
    page.goto(f"{live_server}/posts/{post.slug}")
    assert_usable(page, width)
    page.locator(f"#comment-{public.id}").get_by_role("link", name="Moderate").click()
    page.get_by_text("The bridge is a fine piece of work.").first.wait_for()
    assert_usable(page, width)
    page.get_by_role("button", name="Reject").click()
    page.locator(".flash-success").wait_for()
    assert status_of(public.id) == "rejected"

    # A ban asks first; the bans page lists it with its end, and unbans.
    page.goto(f"{live_server}/admin/moderation/comments/{toll.id}")
    page.get_by_label("Ban for").select_option("7")
    page.get_by_label("Reason for the ban").fill("trolling")
    page.get_by_role("button", name="Ban Otto Other").click()
    page.get_by_role("heading", name="Ban Otto Other for 7 days?").wait_for()
    assert_usable(page, width)
    assert db.session.query(Ban).count() == 0
    page.get_by_role("button", name="Yes, ban Otto Other").click()
    page.locator(".flash-success").wait_for()
    page.get_by_role("link", name="Bans").click()
    page.get_by_text("trolling").wait_for()
    assert_usable(page, width)
    page.get_by_role("button", name="Unban Otto Other").click()
    page.get_by_text("Nobody is banned.").wait_for()

    # Bulk delete asks first.
    page.goto(f"{live_server}/admin/moderation")
    page.get_by_label(f"Select comment {held.id}").check()
    page.get_by_role("button", name="Delete selected").click()
    page.get_by_text("Delete 1 comment?").wait_for()
    assert_usable(page, width)
    assert status_of(held.id) == "pending"
    page.get_by_role("button", name="Yes").first.click()
    page.locator(".flash-success").wait_for()
    assert status_of(held.id) == "deleted"

    # The log links the comments and users it names.
    page.get_by_role("link", name="Audit log").click()
    assert_usable(page, width)
    page.get_by_role("link", name=f"comment #{public.id}").first.click()
    page.get_by_text("The bridge is a fine piece of work.").first.wait_for()
    assert page.js_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_orders_the_queue_by_toxicity_score(app, open_page, post, reader,
                                                        other_reader, moderator, width):
    from blog.services import toxicity

    texts = {reader: "The new timetable adds two ferries an hour.",
             other_reader: "You are a stupid idiot, shut up"}
    held = {}
    for author, text in texts.items():
        comment = make_comment(post, author, text, status=CommentStatus.PENDING,
                               signals=["toxicity"] if toxicity.score(text) > 0.5 else [])
        comment.toxicity = toxicity.score(text)
        held[text] = comment.id
    db.session.commit()

    page = open_page(width, moderator, "/admin/moderation")
    items = page.locator(".queue-item")
    assert items.nth(0).get_attribute("id") == f"comment-{held[texts[reader]]}"
    page.get_by_role("link", name="Highest toxicity score first").click()
    page.locator('.queue-sort a[aria-current="true"]').wait_for()
    assert items.nth(0).get_attribute("id") == f"comment-{held[texts[other_reader]]}"
    score = f"Toxicity score {toxicity.score(texts[other_reader]):.2f}"
    assert items.nth(0).locator(".toxicity-high").inner_text() == score
    assert_usable(page, width)
    screenshot(page, f"queue-by-score-{width}")
