"""GET /api/v1/posts/{slug}/comments: threads, sorts, cursors, and what each reader sees."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from blog.extensions import db as _db
from blog.services import comments as comment_service
from tests.comments.factories import assert_problem, make_comment
from tests.factories import make_post, make_user


def url(post, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/api/v1/posts/{post.slug}/comments" + (f"?{params}" if params else "")


def ids(items) -> list[int]:
    return [item["id"] for item in items]


def test_thread_nests_replies_in_order(client, post, reader, other_reader):
    first = make_comment(post, reader, "First", minutes_ago=30)
    reply = make_comment(post, other_reader, "Reply", parent=first, minutes_ago=20)
    nested = make_comment(post, reader, "Nested", parent=reply, minutes_ago=10)
    second = make_comment(post, other_reader, "Second", minutes_ago=25)

    body = client.get(url(post)).get_json()

    assert ids(body["items"]) == [first.id, second.id] and body["next_cursor"] is None
    top = body["items"][0]
    assert set(top) >= {"id", "parent_id", "author", "body_html", "created_at", "edited_at",
                        "score", "reply_count", "replies"}
    assert top["reply_count"] == 1 and ids(top["replies"]) == [reply.id]
    assert ids(top["replies"][0]["replies"]) == [nested.id]
    assert top["replies"][0]["author"]["display_name"] == other_reader.display_name


def test_sorts(client, post, reader, other_reader, moderator_client):
    old = make_comment(post, reader, minutes_ago=30)
    mid = make_comment(post, reader, minutes_ago=20)
    new = make_comment(post, reader, minutes_ago=10)
    moderator_client.put(f"/api/v1/comments/{mid.id}/vote", json={"value": 1})

    assert ids(client.get(url(post)).get_json()["items"]) == [old.id, mid.id, new.id]
    assert ids(client.get(url(post, sort="newest")).get_json()["items"]) == [new.id, mid.id,
                                                                            old.id]
    assert ids(client.get(url(post, sort="top")).get_json()["items"]) == [mid.id, old.id, new.id]


@pytest.mark.parametrize("sort", ["oldest", "newest", "top"])
def test_cursor_pages_are_stable_while_readers_post(client, post, reader, sort):
    made = [make_comment(post, reader, f"c{n}", minutes_ago=60 - n) for n in range(7)]

    seen, cursor = [], None
    while True:
        query = {"sort": sort, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(url(post, **query)).get_json()
        seen += ids(page["items"])
        make_comment(post, reader, "posted meanwhile")
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert len(seen) == len(set(seen))
    assert set(seen) >= {c.id for c in made}


def test_bad_sort_limit_or_cursor_is_422(client, post):
    assert_problem(client.get(url(post, sort="hot")), 422)
    assert_problem(client.get(url(post, limit=101)), 422)
    assert_problem(client.get(url(post, cursor="garbage!")), 422)


def test_cursor_of_another_sort_is_422_not_500(client, post, reader):
    for n in range(3):
        make_comment(post, reader, minutes_ago=n)
    cursor = client.get(url(post, limit=1)).get_json()["next_cursor"]
    assert_problem(client.get(url(post, sort="top", cursor=cursor)), 422)


def test_unknown_post_is_404(client):
    assert_problem(client.get("/api/v1/posts/no-such-post/comments"), 404)


def test_author_sees_their_pending_comment_others_do_not(reader_client, client, post, reader,
                                                         other_reader):
    parent = make_comment(post, other_reader)
    held = make_comment(post, reader, "Held", status="pending")
    held_reply = make_comment(post, reader, "Held reply", parent=parent, status="pending")

    mine = reader_client.get(url(post)).get_json()["items"]
    assert [(c["id"], c["status"]) for c in mine] == [(parent.id, "approved"),
                                                      (held.id, "pending")]
    assert [(c["id"], c["status"]) for c in mine[0]["replies"]] == [(held_reply.id, "pending")]

    public = client.get(url(post)).get_json()["items"]
    assert ids(public) == [parent.id] and public[0]["replies"] == []


def test_shadow_banned_spam_shows_as_approved_to_its_author_only(reader_client,
                                                                 other_reader_client, client,
                                                                 post, reader):
    spam = make_comment(post, reader, "Buy now", status="spam", signals=["shadow_ban"])
    plain_spam = make_comment(post, reader, "Also spam", status="spam")

    mine = reader_client.get(url(post)).get_json()["items"]
    assert [(c["id"], c["status"]) for c in mine] == [(spam.id, "approved")]
    assert other_reader_client.get(url(post)).get_json()["items"] == []
    assert client.get(url(post)).get_json()["items"] == []
    assert plain_spam.id not in ids(mine)


def test_deleted_comment_with_replies_stays_as_placeholder(client, reader_client, post, reader,
                                                           other_reader):
    parent = make_comment(post, reader, "Original")
    reply = make_comment(post, other_reader, "Answer", parent=parent)
    lonely = make_comment(post, reader, "Nobody answered")
    reader_client.delete(f"/api/v1/comments/{parent.id}")
    reader_client.delete(f"/api/v1/comments/{lonely.id}")

    items = client.get(url(post)).get_json()["items"]

    assert ids(items) == [parent.id]
    placeholder = items[0]
    assert placeholder["deleted"] is True and "body_html" not in placeholder
    assert placeholder["author"] is None
    assert ids(placeholder["replies"]) == [reply.id]


def test_deleted_reply_with_replies_stays_and_without_disappears(client, post, reader,
                                                                  other_reader):
    top = make_comment(post, reader)
    middle = make_comment(post, other_reader, parent=top)
    leaf = make_comment(post, reader, parent=middle)
    gone = make_comment(post, other_reader, parent=top)
    for comment in (middle, gone):
        comment_service.delete_comment(comment, other_reader)
    _db.session.commit()

    replies = client.get(url(post)).get_json()["items"][0]["replies"]

    assert ids(replies) == [middle.id] and replies[0]["deleted"] is True
    assert ids(replies[0]["replies"]) == [leaf.id]


def test_signed_in_reader_sees_their_votes(other_reader_client, post, reader):
    comment = make_comment(post, reader)
    other_reader_client.put(f"/api/v1/comments/{comment.id}/vote", json={"value": -1})
    item = other_reader_client.get(url(post)).get_json()["items"][0]
    assert item["my_vote"] == -1 and item["score"] == -1


def count_queries(app, client, path) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    return len(statements)


def test_page_costs_the_same_queries_for_few_or_many_threads(app, other_reader_client, author):
    small, large = make_post(author), make_post(author)
    writers = [make_user() for _ in range(4)]
    for post, threads in ((small, 1), (large, 12)):
        for n in range(threads):
            top = make_comment(post, writers[n % 4])
            reply = make_comment(post, writers[(n + 1) % 4], parent=top)
            make_comment(post, writers[(n + 2) % 4], parent=reply)

    assert count_queries(app, other_reader_client, url(small)) == count_queries(
        app, other_reader_client, url(large))
