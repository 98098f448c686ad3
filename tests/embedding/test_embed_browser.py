"""The embed in real Chromium, on a news site of another origin, with third-party cookies blocked.

The host page is served from 127.0.0.2 (another site than the product on 127.0.0.1) by a server
of its own, under a strict CSP without 'unsafe-inline', and writes the snippet the README gives.
Chromium runs with third-party cookies blocked: the embed must not need them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import jwt
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from blog import create_app
from blog.extensions import db as _db
from blog.models import Comment, Role
from config import TestingConfig
from tests.browser_support import (
    WIDTHS,
    assert_accessible,
    launch_chromium,
    page_width,
    screenshot,
)
from tests.comments.factories import make_comment
from tests.conftest import empty_all_tables
from tests.factories import PASSWORD, make_post, make_user

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect
SECRET = "the-news-site-and-the-comments-share-this-secret"
#: Chromium's switch that blocks third-party cookies as the phase-out does.
BLOCK_THIRD_PARTY_COOKIES = ["--test-third-party-cookie-phaseout"]


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def host_origin() -> str:
    return f"http://127.0.0.2:{free_port('127.0.0.2')}"


@pytest.fixture
def app(database_url, tmp_path, host_origin):
    """The product, knowing the news site as an embedding origin (CORS is set up at start)."""
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_PATH = str(tmp_path)
        EMBED_ORIGINS = [host_origin]
        EMBED_AUTO_CREATE = True
        SSO_SECRET = SECRET
        MODERATION_NEW_USER_APPROVED = 0
        MODERATION_SUSPECT_WORDS = ["casino"]

    app = create_app(Config)
    with app.app_context():
        yield app
        _db.session.remove()
        empty_all_tables(database_url)
        _db.engine.dispose()


def sso_token(subject: str = "reader-42", name: str = "Nora News") -> str:
    now = int(time.time())
    return jwt.encode({"sub": subject, "name": name, "iat": now, "exp": now + 300}, SECRET,
                      algorithm="HS256")


def host_page(product: str, path: str, sso: bool) -> str:
    token = f' data-sso-token="{sso_token()}"' if sso else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Harbour Gazette</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Harbour dredging to start in May</h1>
<p>Work on the channel begins next spring. <span data-comment-count
 data-url="{{origin}}/news/dredging"></span> &middot; elsewhere:
 <span data-comment-count data-url="{{origin}}/news/other"></span></p>
<div data-comments data-url="{{origin}}{path}" data-title="Harbour dredging"{token}></div>
</main><script src="{product}/embed.js" async></script></body></html>"""


@pytest.fixture
def news_site(live_server, host_origin) -> Iterator[str]:
    """The host site: /news/* pages with the snippet (SSO-signed unless ?visitor=1), strict CSP."""
    policy = (f"default-src 'none'; script-src {live_server}; style-src {live_server}; "
              f"connect-src {live_server}; img-src {live_server} data:")

    @Request.application
    def site(request):
        html = host_page(live_server, request.path, sso="visitor" not in request.args)
        return Response(html.replace("{origin}", host_origin), mimetype="text/html",
                        headers={"Content-Security-Policy": policy})

    host, port = host_origin.removeprefix("http://").split(":")
    server = make_server(host, int(port), site, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield host_origin
    server.shutdown()
    thread.join(10)


@pytest.fixture
def cookieless_browser():
    playwright, browser = launch_chromium(BLOCK_THIRD_PARTY_COOKIES)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def article(news_site):
    author = make_user(Role.AUTHOR, display_name="Ada Author")
    other = make_user(Role.READER, display_name="Otto Other")
    post = make_post(author, "Harbour dredging", canonical_url=f"{news_site}/news/dredging")
    make_comment(post, other, "Finally! The channel has been silting up for years.",
                 status="approved")
    _db.session.commit()
    return post


def open_host(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.problems.append(
        message.text))
    page.goto(url)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_of_the_news_site_comments_through_the_embed(
        cookieless_browser, news_site, article, width):
    requests = []
    page = open_host(cookieless_browser, f"{news_site}/news/dredging", width)
    page.on("request", lambda request: requests.append(request.url))
    thread = page.locator("[data-comments]")
    page.get_by_text("Signed in as Nora News").wait_for()
    expect(thread.get_by_role("heading", name="1 comment")).to_be_visible()
    expect(page.locator("[data-comment-count]").first).to_have_text("1 comment")
    expect(page.locator("[data-comment-count]").nth(1)).to_have_text("0 comments")

    page.get_by_label("Your comment").fill("Will the ferry run during the works?")
    page.get_by_role("button", name="Post comment").click()
    thread.get_by_role("heading", name="2 comments").wait_for()
    expect(thread.get_by_text("Will the ferry run during the works?")).to_be_visible()

    otto = thread.locator(".ce-comment", has_text="silting up")
    otto.get_by_role("button", name="Upvote the comment by Otto Other").click()
    otto.get_by_text("1 point").wait_for()
    expect(otto.get_by_role("button", name="Upvote the comment by Otto Other")).to_have_attribute(
        "aria-pressed", "true")

    otto.get_by_role("button", name="Reply to Otto Other").click()
    otto.get_by_label("Your reply").fill("It has, since the storm of 2019.")
    otto.get_by_role("button", name="Reply", exact=True).click()
    thread.locator(".ce-replies").get_by_text("since the storm of 2019").wait_for()

    otto = thread.locator(".ce-comment", has_text="silting up").first
    otto.get_by_role("button", name="Report the comment by Otto Other").click()
    otto.get_by_label("Why should a moderator look at it?").select_option("off_topic")
    otto.get_by_role("button", name="Send report").click()
    page.get_by_text("Thanks, a moderator will look at it.").wait_for()

    mine = thread.locator(".ce-comment", has_text="ferry")
    mine.get_by_role("button", name="Edit").click()
    editor = mine.get_by_label("Edit your comment")
    expect(editor).to_have_value("Will the ferry run during the works?")
    editor.fill("Will the ferry keep running during the works?")
    mine.get_by_role("button", name="Save").click()
    thread.get_by_text("keep running").wait_for()

    page.get_by_label("Follow this thread:").select_option("replies")
    page.get_by_text("Follow setting saved.").wait_for()

    page.get_by_label("Your comment").fill("Best casino odds here")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("will appear once a moderator has read it").wait_for()
    held = thread.locator(".ce-pending", has_text="casino")
    expect(held.get_by_text("Awaiting moderation")).to_be_visible()

    assert page.problems == [], "no script error and no CSP violation on the host page"
    assert_accessible(page)
    page.problems.clear()  # axe-core itself applies an inline style, which the host's CSP refuses
    if width < 1280:
        assert page_width(page) <= width
    screenshot(page, f"embed-{width}")

    page.once("dialog", lambda dialog: dialog.accept())
    thread.locator(".ce-comment", has_text="keep running").get_by_role(
        "button", name="Delete").click()
    page.get_by_text("Your comment was deleted.").wait_for()
    expect(thread.get_by_text("keep running")).to_have_count(0)

    page.reload()
    page.get_by_text("Signed in as Nora News").wait_for()
    expect(page.locator("[data-comment-count]").first).to_have_text("2 comments")
    counts = [url for url in requests if "/comment-counts?url=" in url]
    assert len(counts) == 1, "one request for every count on the page"
    assert page.problems == []
    page.context.close()


def test_a_new_article_gets_its_thread_from_the_embed(cookieless_browser, news_site, live_server):
    page = open_host(cookieless_browser, f"{news_site}/news/new-story?visitor=1", 1280)
    page.get_by_role("heading", name="0 comments").wait_for()
    expect(page.get_by_role("button", name="Sign in to comment")).to_be_visible()
    assert page.problems == []
    page.context.close()


def test_a_visitor_signs_in_with_this_sites_account_in_a_popup(
        cookieless_browser, news_site, article, live_server):
    reader = make_user(Role.READER, display_name="Rita Reader")
    page = open_host(cookieless_browser, f"{news_site}/news/dredging?visitor=1", 1280)
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Sign in to comment").click()
    popup = opened.value
    popup.wait_for_url("**/login?**")
    popup.fill("input[name=email]", reader.email)
    popup.fill("input[name=password]", PASSWORD)
    popup.click("form.stacked button[type=submit]")
    popup.get_by_role("button", name="Continue as Rita Reader").wait_for()
    assert_accessible(popup)
    popup.get_by_role("button", name="Continue as Rita Reader").click()
    page.get_by_text("Signed in as Rita Reader").wait_for()
    page.get_by_label("Your comment").fill("Signed in from the popup.")
    page.get_by_role("button", name="Post comment").click()
    page.locator("[data-comments]").get_by_text("Signed in from the popup.").wait_for()
    assert page.problems == []
    page.context.close()


def test_the_embed_is_usable_from_the_keyboard(cookieless_browser, news_site, article):
    page = open_host(cookieless_browser, f"{news_site}/news/dredging", 1280)
    page.get_by_text("Signed in as Nora News").wait_for()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "TEXTAREA":
            break
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Post comment"
    page.keyboard.press("Enter")
    page.locator("[data-comments]").get_by_text("Typed without a mouse.").wait_for()
    otto = page.locator(".ce-comment", has_text="silting up")
    otto.get_by_role("button", name="Reply to Otto Other").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.labels[0].textContent") == "Your reply"
    page.context.close()


def test_a_reader_nudged_in_the_embed_sends_the_comment_on_as_it_is(
        app, cookieless_browser, news_site, article):
    """The toxicity nudge in the embed: the message, the text kept, and Post again queues it."""
    hostile = "You are a stupid idiot, shut up"
    app.config["MODERATION_TOXICITY_NUDGE"] = True
    page = open_host(cookieless_browser, f"{news_site}/news/dredging", 1280)
    thread = page.locator("[data-comments]")
    page.get_by_text("Signed in as Nora News").wait_for()

    box = page.get_by_label("Your comment")
    box.fill(hostile)
    page.get_by_role("button", name="Post comment").click()
    thread.get_by_text("may come across as hostile").wait_for()
    expect(box).to_have_value(hostile)
    expect(thread.get_by_role("heading", name="1 comment")).to_be_visible()

    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("will appear once a moderator has read it").wait_for()
    held = thread.locator(".ce-pending", has_text="stupid idiot")
    expect(held.get_by_text("Awaiting moderation")).to_be_visible()
    # Chromium logs the nudge's 422 itself; no script error may come with it.
    assert [p for p in page.problems if "status of 422" not in p] == []
    page.context.close()
    with app.app_context():
        stored = _db.session.scalars(_db.select(Comment).where(
            Comment.body == hostile)).all()
        assert [(c.status, "toxicity" in c.signals) for c in stored] == [("pending", True)]
