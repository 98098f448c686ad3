"""The in-app feed: list, unread count, mark read, and the count on the pages."""

from __future__ import annotations

import pytest

from blog.services import follows
from tests.factories import make_post
from tests.notifications.helpers import make_comment, run_worker


@pytest.fixture
def three_replies(post, reader, other_reader, db):
    parent = make_comment(post, reader, body="First!")
    replies = [make_comment(post, other_reader, parent=parent, body=f"Reply {n}")
               for n in range(3)]
    run_worker()
    return replies


def test_the_feed_lists_notifications_newest_first_with_their_links(reader_client, post,
                                                                    three_replies,
                                                                    other_reader):
    body = reader_client.get("/api/v1/me/notifications").get_json()
    assert body["next_cursor"] is None
    assert [item["comment"]["id"] for item in body["items"]] == [
        reply.id for reply in reversed(three_replies)]
    item = body["items"][0]
    assert item["kind"] == "reply" and item["read_at"] is None and item["created_at"]
    assert item["actor"] == {"id": other_reader.id, "display_name": "Otto Other"}
    assert item["post"]["slug"] == post.slug
    assert item["url"] == f"http://blog.test/posts/{post.slug}#comment-{three_replies[-1].id}"
    assert "email" not in str(item["actor"])


def test_the_feed_pages_with_a_cursor(reader_client, three_replies):
    first = reader_client.get("/api/v1/me/notifications?limit=2").get_json()
    second = reader_client.get(
        f"/api/v1/me/notifications?limit=2&cursor={first['next_cursor']}").get_json()
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == 3 == len(set(ids)) and second["next_cursor"] is None


def test_marking_read_by_id_and_all(reader_client, three_replies):
    items = reader_client.get("/api/v1/me/notifications").get_json()["items"]
    count = lambda: reader_client.get("/api/v1/me/notifications/unread-count").get_json()  # noqa: E731
    assert count() == {"count": 3}
    response = reader_client.post("/api/v1/me/notifications/read", json={"ids": [items[0]["id"]]})
    assert response.status_code == 204
    assert count() == {"count": 2}
    unread = reader_client.get("/api/v1/me/notifications?unread=true").get_json()["items"]
    assert [i["id"] for i in unread] == [i["id"] for i in items[1:]]
    assert reader_client.post("/api/v1/me/notifications/read",
                              json={"all": True}).status_code == 204
    assert count() == {"count": 0}
    assert all(i["read_at"] for i in
               reader_client.get("/api/v1/me/notifications").get_json()["items"])


def test_nobody_reads_or_marks_another_readers_notifications(other_reader_client, reader_client,
                                                             three_replies):
    assert other_reader_client.get("/api/v1/me/notifications").get_json()["items"] == []
    ids = [i["id"] for i in reader_client.get("/api/v1/me/notifications").get_json()["items"]]
    other_reader_client.post("/api/v1/me/notifications/read", json={"ids": ids})
    assert reader_client.get("/api/v1/me/notifications/unread-count").get_json()["count"] == 3


@pytest.mark.parametrize("body", [{}, {"all": False}, {"ids": []}, {"ids": ["x"]}])
def test_mark_read_needs_ids_or_all(reader_client, body):
    assert reader_client.post("/api/v1/me/notifications/read", json=body).status_code == 422


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.get("/api/v1/me/notifications/unread-count").status_code == 401


def test_the_front_page_and_article_show_the_unread_count(reader_client, client, post,
                                                          three_replies):
    for path in ("/", f"/posts/{post.slug}"):
        page = reader_client.get(path).get_data(as_text=True)
        assert 'aria-label="3 unread">3</span>' in page
        assert "unread-notifications" not in client.get(path).get_data(as_text=True)


def test_post_notifications_point_at_the_post(reader_client, reader, author):
    follows.follow_author(reader, author)
    post = make_post(author, "Fresh news")
    run_worker()
    [item] = reader_client.get("/api/v1/me/notifications").get_json()["items"]
    assert (item["kind"], item["comment"], item["url"]) == (
        "post", None, f"http://blog.test/posts/{post.slug}")
