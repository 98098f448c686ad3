"""GET, PATCH and DELETE /api/v1/comments/{id}."""

from __future__ import annotations

import pytest

from blog.services import moderation
from tests.comments.factories import assert_problem, fresh, make_comment


def url(comment) -> str:
    return f"/api/v1/comments/{comment.id}"


def test_anyone_reads_an_approved_comment(client, post, reader):
    comment = make_comment(post, reader, "Hello *there*")

    body = client.get(url(comment)).get_json()

    assert body["status"] == "approved" and body["body_html"] == "<p>Hello <em>there</em></p>"
    assert body["post"] == {"slug": post.slug, "title": post.title,
                            "url": f"http://blog.test/posts/{post.slug}"}
    assert "body" not in body  # the source text goes to its author and moderators only


@pytest.mark.parametrize("status", ["pending", "rejected", "spam", "flagged"])
def test_held_comment_is_seen_by_its_author_and_moderators_only(
        status, client, other_reader_client, reader_client, moderator_client, post, reader):
    comment = make_comment(post, reader, status=status)

    assert_problem(client.get(url(comment)), 404)
    assert_problem(other_reader_client.get(url(comment)), 404)
    assert reader_client.get(url(comment)).get_json()["status"] == status
    assert moderator_client.get(url(comment)).get_json()["status"] == status


def test_shadow_banned_author_sees_their_spam_as_approved(reader_client, client, post, reader):
    comment = make_comment(post, reader, status="spam", signals=["shadow_ban"])

    assert reader_client.get(url(comment)).get_json()["status"] == "approved"
    assert_problem(client.get(url(comment)), 404)


def test_unknown_comment_is_404(client):
    assert_problem(client.get("/api/v1/comments/424242"), 404)


def test_author_edits_inside_the_window(reader_client, post, reader):
    comment = make_comment(post, reader, "Frist")

    response = reader_client.patch(url(comment), json={"body": "First, *sorry*"})

    body = response.get_json()
    assert response.status_code == 200
    assert body["body_html"] == "<p>First, <em>sorry</em></p>" and body["edited_at"]
    assert body["body"] == "First, *sorry*"


def test_author_edit_goes_through_moderation_again(app, reader_client, post, reader):
    comment = make_comment(post, reader)
    app.config["MODERATION_PREMODERATE_ALL"] = True

    body = reader_client.patch(url(comment), json={"body": "Now with a link"}).get_json()

    assert body["status"] == "pending"
    assert fresh(post).comment_count == 0


def test_edit_after_the_window_is_403(reader_client, post, reader):
    comment = make_comment(post, reader, minutes_ago=16)
    assert_problem(reader_client.patch(url(comment), json={"body": "Too late"}), 403)


def test_moderator_edits_any_time(moderator_client, post, reader):
    comment = make_comment(post, reader, minutes_ago=600)
    response = moderator_client.patch(url(comment), json={"body": "[redacted]"})
    assert response.status_code == 200 and response.get_json()["status"] == "approved"


def test_someone_elses_comment_is_403_to_edit(other_reader_client, post, reader):
    comment = make_comment(post, reader)
    assert_problem(other_reader_client.patch(url(comment), json={"body": "Mine now"}), 403)


def test_rejected_comment_cannot_be_edited_back_into_view(reader_client, post, reader):
    comment = make_comment(post, reader, status="rejected")
    assert_problem(reader_client.patch(url(comment), json={"body": "Try again"}), 409)


@pytest.mark.parametrize("payload", [{}, {"body": "   "}, {"body": "z" * 10_001}])
def test_bad_edit_is_422(reader_client, post, reader, payload):
    comment = make_comment(post, reader)
    assert_problem(reader_client.patch(url(comment), json=payload), 422)


def test_anonymous_edit_and_delete_are_401(client, post, reader):
    comment = make_comment(post, reader)
    assert_problem(client.patch(url(comment), json={"body": "x"}), 401)
    assert_problem(client.delete(url(comment)), 401)


def test_author_deletes_softly(reader_client, client, post, reader, db):
    comment = make_comment(post, reader, "Regret this")

    assert reader_client.delete(url(comment)).status_code == 204

    assert fresh(comment).status == "deleted" and comment.body == "" and comment.deleted_at
    assert fresh(post).comment_count == 0
    assert_problem(client.get(url(comment)), 404)
    assert_problem(reader_client.delete(url(comment)), 404)


def test_moderator_deletes_and_still_sees_the_row(moderator_client, post, reader):
    comment = make_comment(post, reader)

    assert moderator_client.delete(url(comment)).status_code == 204

    body = moderator_client.get(url(comment)).get_json()
    assert body["deleted"] is True and body["status"] == "deleted" and body["body_html"] == ""


def test_someone_elses_comment_is_403_to_delete(other_reader_client, post, reader):
    comment = make_comment(post, reader)
    assert_problem(other_reader_client.delete(url(comment)), 403)


def test_deleting_a_reply_lowers_its_parents_reply_count(reader_client, post, reader,
                                                         other_reader):
    parent = make_comment(post, other_reader)
    reply = make_comment(post, reader, parent=parent)

    reader_client.delete(url(reply))

    assert fresh(parent).reply_count == 0


def test_banned_reader_is_refused_by_the_moderation_seam(reader_client, post, monkeypatch):
    from blog.services.errors import Forbidden

    def refuse(user, standing=None):
        raise Forbidden("You are banned from commenting.")

    monkeypatch.setattr(moderation, "ensure_may_comment", refuse)
    response = reader_client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": "Hi"})
    assert_problem(response, 403)
