"""A reader uses the article page's actions in Chromium, at a desktop and a phone width."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment
from tests.browser_support import WIDTHS, assert_usable, screenshot
from tests.comments.factories import fresh, make_comment
from tests.factories import make_post


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


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_edits_deletes_replies_unfolds_copies_and_follows(
        open_page, live_server, author, post, reader, other_reader, width):
    for number in range(12):
        make_post(author, f"Earlier story {number}", hours_ago=number + 1)
    theirs = make_comment(post, other_reader, "Who pays for the wall?")
    replies = [make_comment(post, author if n % 2 else other_reader, f"Answer number {n}.",
                            parent=theirs) for n in range(5)]
    mine = make_comment(post, reader, "I think the council should pay.")
    page = open_page(width, reader, f"/posts/{post.slug}")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # Long reply lists fold; the rest opens without leaving the page.
    assert not page.get_by_text("Answer number 4.").is_visible()
    page.get_by_text("Show 2 more replies").click()
    page.get_by_text("Answer number 4.").wait_for()

    # Copy a permalink; opened, it highlights its comment.
    page.locator(f"#comment-{replies[0].id}").get_by_role("button", name="Copy link").first.click()
    page.get_by_role("button", name="Link copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith(f"/posts/{post.slug}#comment-{replies[0].id}")
    page.goto(f"{live_server}/posts/{post.slug}#comment-{replies[0].id}")
    assert page.evaluate("() => document.querySelector(':target').id") == (
        f"comment-{replies[0].id}")

    # Reply: the box takes the focus.
    comment = page.locator(f"#comment-{theirs.id}")
    comment.locator("summary", has_text="Reply").first.click()
    reply_box = comment.get_by_label("Your reply").first
    assert reply_box.evaluate("box => box === document.activeElement")
    reply_box.fill("Everyone who drives over it, I suppose.")
    comment.get_by_role("button", name="Reply", exact=True).first.click()
    page.get_by_text("Everyone who drives over it, I suppose.").wait_for()
    assert_usable(page, width)

    # Edit inside the window, the time left shown; then delete after saying yes.
    page.locator(f"#comment-{mine.id}").get_by_role("link", name="Edit").click()
    assert_usable(page, width)
    page.get_by_label("Your comment").fill("I think the council and the port should pay.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("I think the council and the port should pay.").wait_for()
    own = page.locator(f"#comment-{mine.id}")
    own.locator("summary", has_text="Delete").click()
    own.get_by_role("button", name="Yes, delete it").click()
    page.get_by_text("The comment was deleted.").wait_for()
    assert fresh(mine).status == "deleted"

    # Follow the author from the byline, a tag from its page; the front page pages both ways.
    page.get_by_role("button", name="Follow Ada Author").click()
    page.get_by_role("button", name="Following Ada Author · unfollow").wait_for()
    make_post(author, "The harbour master retires", tags=["Harbour"])
    page.goto(f"{live_server}/tags/harbour")
    page.get_by_role("button", name="Follow Harbour").click()
    page.get_by_role("button", name="Following Harbour · unfollow").wait_for()
    assert_usable(page, width)
    page.goto(f"{live_server}/")
    assert_usable(page, width)
    page.get_by_role("link", name="Older posts").click()
    page.get_by_text("Earlier story 11").wait_for()
    assert_usable(page, width)
    page.get_by_role("link", name="Newer posts").click()
    page.get_by_text("Earlier story 0").wait_for()
    assert page.js_errors == []
