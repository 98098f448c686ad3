"""The queue API: one queue at a time, oldest first, with what a moderator weighs."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from blog.extensions import db
from blog.models import CommentStatus
from tests.factories import make_post, make_user
from tests.moderation.factories import flag, make_comment


@contextlib.contextmanager
def count_queries():
    statements = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def test_the_pending_queue_lists_pending_comments_oldest_first(post, reader, moderator_client):
    newer = make_comment(post, reader, status=CommentStatus.PENDING, minutes_ago=5)
    older = make_comment(post, reader, status=CommentStatus.PENDING, minutes_ago=50)
    make_comment(post, reader, status=CommentStatus.APPROVED)
    make_comment(post, reader, status=CommentStatus.REJECTED)
    items = moderator_client.get("/api/v1/moderation/queue").get_json()["items"]
    assert [item["id"] for item in items] == [older.id, newer.id]
    assert {item["status"] for item in items} == {"pending"}


@pytest.mark.parametrize("status", ["flagged", "spam", "rejected", "pending"])
def test_each_queue_holds_its_status(post, reader, moderator_client, status):
    wanted = make_comment(post, reader, status=status)
    for other in {"pending", "flagged", "spam", "rejected", "approved"} - {status}:
        make_comment(post, reader, status=other)
    response = moderator_client.get(f"/api/v1/moderation/queue?status={status}")
    assert [item["id"] for item in response.get_json()["items"]] == [wanted.id]


def test_an_unknown_queue_is_422(moderator_client):
    assert moderator_client.get("/api/v1/moderation/queue?status=deleted").status_code == 422


def test_the_queue_filters_by_post(post, author, reader, moderator_client):
    other_post = make_post(author, "Another story")
    make_comment(post, reader, status=CommentStatus.PENDING)
    wanted = make_comment(other_post, reader, status=CommentStatus.PENDING)
    response = moderator_client.get(f"/api/v1/moderation/queue?post={other_post.slug}")
    assert [item["id"] for item in response.get_json()["items"]] == [wanted.id]
    assert moderator_client.get("/api/v1/moderation/queue?post=nope").status_code == 404


def test_an_item_shows_post_author_record_parent_signals_and_flags(
        app, post, reader, other_reader, moderator_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 2
    for status in ("approved", "approved", "approved", "rejected", "spam"):
        make_comment(post, reader, status=status)
    parent = make_comment(post, other_reader, "The parent comment, which says something long.")
    comment = make_comment(post, reader, "A reply.", parent=parent, signals=["suspect_word"])
    flag(comment, other_reader, "abuse", "rude")
    flag(comment, make_user(display_name="Second Flagger"), "spam")
    [item] = moderator_client.get("/api/v1/moderation/queue?status=flagged").get_json()["items"]
    assert item["status"] == "flagged"
    assert item["post"]["slug"] == post.slug
    assert item["post"]["title"] == post.title
    assert item["post"]["url"].endswith(f"/posts/{post.slug}")
    author = item["author"]
    assert (author["id"], author["display_name"]) == (reader.id, reader.display_name)
    # The reply itself is flagged now, so it counts in none of these.
    assert (author["approved_count"], author["rejected_count"], author["spam_count"]) == (3, 1, 1)
    assert author["joined_at"].endswith("+00:00")
    assert "email" not in author
    assert item["parent"]["id"] == parent.id
    assert item["parent"]["excerpt"].startswith("The parent comment")
    assert item["signals"] == ["reader_flags", "suspect_word"]
    assert [(f["reason"], f["note"]) for f in item["flags"]] == [("abuse", "rude"), ("spam", "")]
    assert item["flags"][0]["user"]["display_name"] == other_reader.display_name


def test_the_queue_pages_with_a_cursor(post, reader, moderator_client):
    comments = [make_comment(post, reader, status=CommentStatus.PENDING, minutes_ago=60 - n)
                for n in range(5)]
    first = moderator_client.get("/api/v1/moderation/queue?limit=3").get_json()
    second = moderator_client.get(
        f"/api/v1/moderation/queue?limit=3&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == [c.id for c in comments]
    assert second["next_cursor"] is None


def fill_queue(post, count):
    for n in range(count):
        author = make_user(display_name=f"Author {n}")
        make_comment(post, author, status="approved")
        comment = make_comment(post, author, status=CommentStatus.PENDING)
        flag(comment, make_user(display_name=f"Flagger {n}"))


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(post, moderator_client):
    fill_queue(post, 2)
    with count_queries() as small:
        assert len(moderator_client.get("/api/v1/moderation/queue").get_json()["items"]) == 2
    fill_queue(post, 10)
    with count_queries() as large:
        assert len(moderator_client.get("/api/v1/moderation/queue").get_json()["items"]) == 12
    assert len(large) == len(small)
    assert len(large) <= 6
