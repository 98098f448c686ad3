"""The in-app feed as a page, and the link to it from every page's navigation."""

from __future__ import annotations

import pytest

from tests.notifications.helpers import make_comment, run_worker


@pytest.fixture
def two_replies(post, reader, other_reader, db):
    parent = make_comment(post, reader, body="Where are the results by ward?")
    replies = [make_comment(post, other_reader, parent=parent, body=f"Reply {n}")
               for n in range(2)]
    run_worker()
    return replies


def test_the_page_lists_my_notifications_with_links_to_the_comments(reader_client, post,
                                                                    two_replies):
    page = reader_client.get("/notifications").get_data(as_text=True)

    assert page.count("Otto Other replied to your comment on “Elections in the north”") == 2
    assert f'/posts/{post.slug}#comment-{two_replies[0].id}' in page
    assert 'class="notification unread"' in page


def test_the_navigation_links_to_the_feed_with_the_unread_count(reader_client, two_replies):
    page = reader_client.get("/").get_data(as_text=True)

    assert 'href="/notifications"' in page
    assert 'aria-label="2 unread"' in page


def test_mark_all_read_from_the_page(reader_client, two_replies):
    answer = reader_client.post("/notifications/read", follow_redirects=True)

    assert "Marked 2 notifications read." in answer.get_data(as_text=True)
    assert reader_client.get("/api/v1/me/notifications/unread-count").get_json() == {"count": 0}


def test_mark_all_read_needs_the_csrf_token(reader_client, two_replies):
    assert reader_client.post("/notifications/read", csrf=False).status_code == 403
    assert reader_client.get("/api/v1/me/notifications/unread-count").get_json() == {"count": 2}


def test_another_reader_sees_only_their_own(other_reader_client, two_replies):
    page = other_reader_client.get("/notifications").get_data(as_text=True)

    assert "replied to your comment" not in page
    assert "Nothing yet." in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    answer = client.get("/notifications")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?next=/notifications")
