"""A reader uses the article page's actions in Chromium, at a desktop and a phone width."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment
from tests.browser_support import WIDTHS, assert_usable, screenshot
from tests.comments.factories import fresh, make_comment


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_votes_reports_replies_and_follows(open_page, post, reader, other_reader,
                                                     author, width):
    theirs = make_comment(post, other_reader, "The wall should be **taller**.")
    make_comment(post, author, "Thanks for reading.", parent=theirs)
    page = open_page(width, reader, f"/posts/{post.slug}")
    assert_usable(page, width)

    comment = page.locator(f"#comment-{theirs.id}")
    comment.get_by_role("button", name="Vote up").first.click()
    comment.get_by_text("1 point").first.wait_for()
    assert fresh(theirs).score == 1
    assert page.locator(".badge-author").count() == 1

    comment.locator("summary", has_text="Report").first.click()
    comment.get_by_label("Off topic").first.check()
    comment.get_by_role("button", name="Send report").first.click()
    page.get_by_text("the moderators will look at this comment").wait_for()
    assert fresh(theirs).flag_count == 1

    page.get_by_label("Notify me of", exact=True).select_option("all")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Following this discussion").wait_for()

    page.get_by_label("Your comment").fill("A fair question, I think.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("A fair question, I think.").wait_for()
    assert page.locator(":target").count() == 1  # the new comment, highlighted
    assert_usable(page, width)
    screenshot(page, f"article-{width}")
    assert page.js_errors == []


def test_an_over_long_comment_is_stopped_in_the_page_and_its_text_kept(open_page, post, reader):
    page = open_page(390, reader, f"/posts/{post.slug}")
    requests = []
    page.on("request", lambda request: requests.append(request.method))
    box = page.get_by_label("Your comment")
    # As a restored draft or a script can: past the textarea's maxlength, which stops typing.
    box.evaluate("box => { box.value = 'word '.repeat(2001); }")
    page.get_by_role("button", name="Post comment").click()

    page.get_by_text("Keep your comment to 10,000 characters: this one has 10,005.").wait_for()
    assert box.input_value() == "word " * 2001
    assert box.get_attribute("aria-invalid") == "true"
    assert "POST" not in requests
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    assert_usable(page, 390)
