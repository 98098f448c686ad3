"""The memo of anonymous thread pages: every change shows at once, and the memo stays bounded."""

from __future__ import annotations

import pytest

from blog.extensions import db
from blog.models import CommentStatus, Post
from blog.services import thread_cache
from blog.services.thread_cache import ByteLRU
from tests.comments.factories import make_comment
from tests.factories import make_post


def url(post, query: str = "") -> str:
    return f"/api/v1/posts/{post.slug}/comments{query}"


def primed(client, post, query: str = ""):
    """Read the thread twice as an anonymous reader (the second answer comes from the memo)."""
    first = client.get(url(post, query))
    second = client.get(url(post, query))
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert len(thread_cache.memo()) >= 1
    return second.get_json()


def items(client, post, query: str = "") -> list[dict]:
    return client.get(url(post, query)).get_json()["items"]


def version_of(post) -> int:
    return db.session.scalar(db.select(Post.comments_version).where(Post.id == post.id))


def test_a_new_approved_comment_shows_at_once(client, reader_client, post, reader):
    make_comment(post, reader, "First")
    primed(client, post)

    reader_client.post(url(post), json={"body": "Second"})

    assert [c["body_html"] for c in items(client, post)] == ["<p>First</p>", "<p>Second</p>"]


def test_an_edit_shows_at_once(client, reader_client, post, reader):
    comment = make_comment(post, reader, "Before")
    primed(client, post)

    reader_client.patch(f"/api/v1/comments/{comment.id}", json={"body": "After"})

    assert items(client, post)[0]["body_html"] == "<p>After</p>"


def test_a_deletion_shows_at_once(client, reader_client, post, reader):
    comment = make_comment(post, reader)
    primed(client, post)

    assert reader_client.delete(f"/api/v1/comments/{comment.id}").status_code == 204

    assert items(client, post) == []


def test_a_reply_and_its_parent_count_show_at_once(client, other_reader_client, post, reader):
    parent = make_comment(post, reader)
    primed(client, post)

    other_reader_client.post(url(post), json={"body": "Indeed", "parent_id": parent.id})

    [top] = items(client, post)
    assert top["reply_count"] == 1 and [r["body_html"] for r in top["replies"]] == [
        "<p>Indeed</p>"]


@pytest.mark.parametrize("value", [1, -1])
def test_a_vote_shows_at_once(client, other_reader_client, post, reader, value):
    comment = make_comment(post, reader)
    primed(client, post)
    primed(client, post, "?sort=top")

    other_reader_client.put(f"/api/v1/comments/{comment.id}/vote", json={"value": value})

    assert items(client, post)[0]["score"] == value
    assert items(client, post, "?sort=top")[0]["score"] == value


def test_a_withdrawn_vote_shows_at_once(client, other_reader_client, post, reader):
    comment = make_comment(post, reader)
    other_reader_client.put(f"/api/v1/comments/{comment.id}/vote", json={"value": 1})
    primed(client, post)

    other_reader_client.put(f"/api/v1/comments/{comment.id}/vote", json={"value": 0})

    assert items(client, post)[0]["score"] == 0


@pytest.mark.parametrize(("start", "action", "shown"), [
    (CommentStatus.PENDING, "approve", 1),
    (CommentStatus.APPROVED, "reject", 0),
    (CommentStatus.APPROVED, "spam", 0),
    (CommentStatus.APPROVED, "delete", 0),
])
def test_a_moderation_decision_shows_at_once(client, moderator_client, post, reader, start,
                                             action, shown):
    comment = make_comment(post, reader, status=start)
    primed(client, post)

    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": action})

    assert response.status_code == 200
    assert len(items(client, post)) == shown


def test_a_bulk_decision_shows_at_once(client, moderator_client, post, reader):
    waiting = [make_comment(post, reader, f"Held {n}", status=CommentStatus.PENDING)
               for n in range(2)]
    primed(client, post)

    moderator_client.post("/api/v1/moderation/bulk",
                          json={"ids": [c.id for c in waiting], "action": "approve"})

    assert len(items(client, post)) == 2


def test_readers_flags_past_the_threshold_show_at_once(app, client, post, reader, other_reader,
                                                       other_reader_client):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    comment = make_comment(post, reader)
    primed(client, post)

    other_reader_client.post(f"/api/v1/comments/{comment.id}/flags", json={"reason": "abuse"})

    assert items(client, post) == []


def test_a_change_committed_elsewhere_shows_at_once(client, post, reader):
    """Another worker's commit (here: the service and a commit outside any request)."""
    primed(client, post)

    make_comment(post, reader, "From another process")

    assert len(items(client, post)) == 1


def test_a_rolled_back_change_does_not_bump_the_version(post, reader):
    before = version_of(post)
    make_comment(post, reader)
    after_commit = version_of(post)
    comment = make_comment(post, reader)
    comment.body_html = "<p>never saved</p>"
    db.session.flush()
    db.session.rollback()

    assert after_commit == before + 1 and version_of(post) == after_commit + 1


def test_other_posts_keep_their_version(post, author, reader):
    quiet = make_post(author, "Quiet one")
    before = version_of(quiet)

    make_comment(post, reader)

    assert version_of(quiet) == before


def test_sorts_cursors_and_limits_are_told_apart(client, post, reader):
    for n in range(3):
        make_comment(post, reader, f"Comment {n}", minutes_ago=10 - n)
    oldest = primed(client, post, "?limit=2")
    newest = primed(client, post, "?limit=2&sort=newest")
    rest = primed(client, post, f"?limit=2&cursor={oldest['next_cursor']}")

    assert [c["body_html"] for c in oldest["items"]] == ["<p>Comment 0</p>", "<p>Comment 1</p>"]
    assert [c["body_html"] for c in newest["items"]] == ["<p>Comment 2</p>", "<p>Comment 1</p>"]
    assert [c["body_html"] for c in rest["items"]] == ["<p>Comment 2</p>"]


def test_the_memo_answers_exactly_what_the_schema_path_answers(app, client, post, reader):
    parent = make_comment(post, reader, "Parent **bold**")
    make_comment(post, reader, "Child", parent=parent)
    remembered = primed(client, post)

    app.extensions["thread_cache"] = ByteLRU(0)  # memo off: every answer rendered afresh
    fresh = client.get(url(post))

    assert fresh.get_json() == remembered
    assert fresh.headers["ETag"] == client.get(url(post)).headers["ETag"]


def test_a_draft_is_not_served_from_the_memo(client, author_client, post, reader):
    make_comment(post, reader)
    primed(client, post)

    author_client.patch(f"/api/v1/posts/{post.slug}", json={"status": "draft"})

    assert client.get(url(post)).status_code == 404


def test_signed_in_readers_see_their_own_pending_comment_past_the_memo(
        client, reader_client, post, reader):
    primed(client, post)
    make_comment(post, reader, "Mine", status=CommentStatus.PENDING)

    [mine] = reader_client.get(url(post)).get_json()["items"]

    assert mine["status"] == "pending" and client.get(url(post)).get_json()["items"] == []


def test_the_memo_drops_the_least_recently_used_pages_past_its_bytes():
    memo = ByteLRU(10)
    memo.put("a", b"1234")
    memo.put("b", b"1234")
    assert memo.get("a") == b"1234"  # "a" is now the most recently used

    memo.put("c", b"1234")

    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (b"1234", None, b"1234")
    assert memo.size == 8
    memo.put("huge", b"x" * 11)
    assert memo.get("huge") is None and memo.size == 8


def test_the_memo_size_comes_from_the_config(app):
    assert thread_cache.memo().max_bytes == app.config["THREAD_CACHE_BYTES"]


def article(client, post) -> str:
    response = client.get(f"/posts/{post.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_article_page_shows_a_new_comment_at_once(client, reader_client, post, reader):
    make_comment(post, reader, "On the page")
    assert article(client, post) == article(client, post)  # the second from the memo

    reader_client.post(url(post), json={"body": "Fresh on the page"})

    assert "Fresh on the page" in article(client, post)


def test_the_article_page_shows_edits_and_removals_at_once(client, reader_client,
                                                          moderator_client, post, reader):
    comment = make_comment(post, reader, "Original words")
    gone = make_comment(post, reader, "Soon removed")
    article(client, post)

    reader_client.patch(f"/api/v1/comments/{comment.id}", json={"body": "Better words"})
    moderator_client.post(f"/api/v1/moderation/comments/{gone.id}", json={"action": "reject"})

    page = article(client, post)
    assert "Better words" in page and "Original words" not in page and "Soon removed" not in page


def test_signed_in_readers_get_their_own_article_thread(client, reader_client, post, reader):
    make_comment(post, reader, "Public")
    article(client, post)
    make_comment(post, reader, "Held for review", status=CommentStatus.PENDING)

    assert "Held for review" in article(reader_client, post)
    assert "Held for review" not in article(client, post)


def test_a_deleted_account_shows_at_once(client, reader_client, other_reader_client, post,
                                         reader, other_reader):
    from tests.factories import PASSWORD

    """Their votes leave others' scores (a bulk UPDATE), their comments leave the thread."""
    theirs = make_comment(post, other_reader, "Still here")
    reader_client.put(f"/api/v1/comments/{theirs.id}/vote", json={"value": 1})
    elsewhere = make_post(post.author, "Another story")
    make_comment(elsewhere, reader, "Mine, soon gone")
    primed(client, post)
    primed(client, elsewhere)

    assert reader_client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204

    [left] = items(client, post)
    assert (left["body_html"], left["score"]) == ("<p>Still here</p>", 0)
    assert items(client, elsewhere) == []
