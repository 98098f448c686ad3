"""POST /api/v1/posts/{slug}/comments: writing comments and replies."""

from __future__ import annotations

import pytest

from tests.comments.factories import assert_problem, fresh, make_comment
from tests.factories import make_post


def url(post) -> str:
    return f"/api/v1/posts/{post.slug}/comments"


def test_reader_comments_and_the_count_moves(reader_client, post, db):
    response = reader_client.post(url(post), json={"body": "Who pays for the **wall**?"})

    assert response.status_code == 201
    comment = response.get_json()
    assert comment["status"] == "approved"
    assert comment["body_html"] == "<p>Who pays for the <strong>wall</strong>?</p>"
    assert comment["author"] == {"id": reader_client.user.id, "display_name": "Rita Reader"}
    assert comment["parent_id"] is None and comment["score"] == 0
    assert comment["url"].endswith(f"/posts/{post.slug}#comment-{comment['id']}")
    assert fresh(post).comment_count == 1


def test_premoderated_site_holds_new_comments_as_pending(app, reader_client, post, db):
    app.config["MODERATION_PREMODERATE_ALL"] = True

    response = reader_client.post(url(post), json={"body": "First!"})

    assert response.status_code == 201
    assert response.get_json()["status"] == "pending"
    assert fresh(post).comment_count == 0


def test_reply_is_threaded_and_counted_on_its_parent(reader_client, post, other_reader, db):
    parent = make_comment(post, other_reader)

    response = reader_client.post(url(post), json={"body": "Agreed.", "parent_id": parent.id})

    assert response.status_code == 201
    assert response.get_json()["parent_id"] == parent.id
    assert fresh(parent).reply_count == 1


def test_reply_past_the_depth_cap_becomes_a_sibling(app, reader_client, post, other_reader):
    app.config["COMMENT_MAX_DEPTH"] = 2
    top = make_comment(post, other_reader)
    middle = make_comment(post, other_reader, parent=top)
    deepest = make_comment(post, other_reader, parent=middle)

    response = reader_client.post(url(post), json={"body": "Deeper?", "parent_id": deepest.id})

    body = response.get_json()
    assert response.status_code == 201
    assert body["parent_id"] == middle.id and body["depth"] == 2


def test_anonymous_is_refused_with_401(client, post):
    assert_problem(client.post(url(post), json={"body": "Hi"}), 401)


def test_missing_csrf_token_with_a_cookie_is_403(reader_client, post):
    assert_problem(reader_client.post(url(post), json={"body": "Hi"}, csrf=False), 403)


def test_bearer_token_needs_no_csrf(reader_client, post):
    token = reader_client.post("/api/v1/me/tokens", json={"name": "script"}).get_json()["token"]
    reader_client.delete_cookie("session")

    response = reader_client.post(url(post), json={"body": "From a script"}, csrf=False,
                                  headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 201


def test_closed_post_refuses_with_403(reader_client, closed_post):
    body = assert_problem(reader_client.post(url(closed_post), json={"body": "Hi"}), 403)
    assert "closed" in body["detail"]


def test_unknown_or_draft_post_is_404(reader_client, author):
    draft = make_post(author, "Embargoed", status="draft")
    assert_problem(reader_client.post("/api/v1/posts/nope/comments", json={"body": "x"}), 404)
    assert_problem(reader_client.post(url(draft), json={"body": "x"}), 404)


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", "x" * 10_001])
def test_empty_or_overlong_body_is_422(reader_client, post, body):
    problem = assert_problem(reader_client.post(url(post), json={"body": body}), 422)
    assert "body" in problem["errors"]


def test_body_of_10000_characters_after_trimming_is_accepted(reader_client, post):
    response = reader_client.post(url(post), json={"body": "  " + "y" * 10_000 + "\n"})
    assert response.status_code == 201


@pytest.mark.parametrize("payload", [
    {},
    {"body": 12},
    {"body": "ok", "parent_id": "7"},
    {"body": "ok", "surprise": True},
])
def test_malformed_fields_are_422(reader_client, post, payload):
    assert_problem(reader_client.post(url(post), json=payload), 422)


def test_parent_must_be_a_visible_comment_of_the_same_post(reader_client, post, author,
                                                           other_reader):
    elsewhere = make_comment(make_post(author), other_reader)
    held = make_comment(post, other_reader, status="pending")
    deleted = make_comment(post, other_reader, status="deleted")

    for parent_id in (elsewhere.id, held.id, deleted.id, 999_999):
        response = reader_client.post(url(post), json={"body": "Re", "parent_id": parent_id})
        assert "parent_id" in assert_problem(response, 422)["errors"]


def test_author_may_reply_to_their_own_pending_comment(reader_client, reader, post):
    held = make_comment(post, reader, status="pending")
    response = reader_client.post(url(post), json={"body": "PS", "parent_id": held.id})
    assert response.status_code == 201


def test_idempotency_key_retry_returns_the_first_comment(reader_client, post, db):
    headers = {"Idempotency-Key": "7f1c2a"}
    first = reader_client.post(url(post), json={"body": "Once only"}, headers=headers)
    again = reader_client.post(url(post), json={"body": "Once only"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert fresh(post).comment_count == 1


def test_idempotency_key_reused_for_another_comment_is_422(reader_client, post):
    headers = {"Idempotency-Key": "k-1"}
    reader_client.post(url(post), json={"body": "One"}, headers=headers)

    response = reader_client.post(url(post), json={"body": "Two"}, headers=headers)

    assert "Idempotency-Key" in assert_problem(response, 422)["errors"]


def test_same_idempotency_key_from_two_readers_makes_two_comments(reader_client,
                                                                  other_reader_client, post):
    headers = {"Idempotency-Key": "shared"}
    one = reader_client.post(url(post), json={"body": "Same"}, headers=headers)
    two = other_reader_client.post(url(post), json={"body": "Same"}, headers=headers)
    assert one.get_json()["id"] != two.get_json()["id"]
