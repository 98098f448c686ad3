"""Decisions one by one and in bulk, their log rows, their events, and concurrent deciders."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, CommentStatus, ModerationLogEntry, Post, User
from blog.services import moderation_decisions, moderation_log
from tests.moderation.factories import make_comment


def log_rows():
    return list(db.session.scalars(select(ModerationLogEntry).order_by(ModerationLogEntry.id)))


@pytest.mark.parametrize(("action", "status", "public", "event"), [
    ("approve", "approved", 1, "approve"),
    ("reject", "rejected", 0, "reject"),
    ("spam", "spam", 0, None),
    ("delete", "deleted", 0, None),
])
def test_each_decision_sets_the_status_logs_it_and_tells_the_author(
        post, reader, moderator, moderator_client, decided, action, status, public, event):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": action, "reason": "house rules"})
    assert response.status_code == 200
    assert response.get_json()["status"] == status
    db.session.refresh(post)
    assert post.comment_count == public
    [entry] = log_rows()
    assert (entry.action, entry.moderator_id, entry.comment_id, entry.user_id) == (
        action, moderator.id, comment.id, reader.id)
    assert (entry.status_before, entry.status_after, entry.reason) == (
        "pending", status, "house rules")
    assert decided == ([(comment.id, event, moderator.id)] if event else [])


def test_rejecting_an_approved_comment_takes_it_out_of_the_count(post, reader, moderator_client):
    comment = make_comment(post, reader)
    moderator_client.post(f"/api/v1/moderation/comments/{comment.id}", json={"action": "reject"})
    db.session.refresh(post)
    assert post.comment_count == 0


def test_deleting_sets_deleted_at(post, reader, moderator_client):
    comment = make_comment(post, reader)
    moderator_client.post(f"/api/v1/moderation/comments/{comment.id}", json={"action": "delete"})
    db.session.refresh(comment)
    assert comment.deleted_at is not None


def test_a_deleted_comment_cannot_be_brought_back(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.DELETED)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": "approve"})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert log_rows() == []


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "promote"}, "action"),
    ({}, "action"),
    ({"action": "approve", "reason": "x" * 1001}, "reason"),
    ({"action": "approve", "extra": 1}, "extra"),
])
def test_a_malformed_decision_is_refused(post, reader, moderator_client, body, field):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_an_unknown_comment_is_404(moderator_client):
    response = moderator_client.post("/api/v1/moderation/comments/999999",
                                     json={"action": "approve"})
    assert response.status_code == 404


def test_bulk_decides_the_valid_ids_and_reports_the_others(post, reader, moderator_client,
                                                           decided):
    pending = [make_comment(post, reader, status=CommentStatus.PENDING) for _ in range(3)]
    gone = make_comment(post, reader, status=CommentStatus.DELETED)
    ids = [pending[0].id, 999999, pending[1].id, gone.id, pending[2].id, pending[0].id]
    response = moderator_client.post("/api/v1/moderation/bulk",
                                     json={"ids": ids, "action": "approve", "reason": "fine"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["done"] == sorted(c.id for c in pending)
    assert set(body["failed"]) == {"999999", str(gone.id)}
    assert "deleted" in body["failed"][str(gone.id)]
    statuses = db.session.scalars(select(Comment.status).where(
        Comment.id.in_([c.id for c in pending]))).all()
    assert statuses == ["approved"] * 3
    assert db.session.get(Post, post.id).comment_count == 3
    assert [row.comment_id for row in log_rows()] == sorted(c.id for c in pending)
    assert len(decided) == 3


@pytest.mark.parametrize("ids", [[], list(range(1, 102)), ["a"], None])
def test_bulk_refuses_empty_oversized_or_malformed_id_lists(moderator_client, ids):
    body = {"action": "reject"} if ids is None else {"ids": ids, "action": "reject"}
    response = moderator_client.post("/api/v1/moderation/bulk", json=body)
    assert response.status_code == 422
    assert "ids" in response.get_json()["errors"]


def test_two_moderators_deciding_at_once_get_one_result_and_two_honest_log_rows(
        app, post, reader, moderator, admin, monkeypatch):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    comment_id, post_id = comment.id, post.id
    moderators = {"approve": moderator.id, "reject": admin.id}
    db.session.remove()
    record = moderation_log.record
    start = threading.Barrier(2)

    def slow_record(*args, **kwargs):  # widen the window in which the other one arrives
        threading.Event().wait(0.3)
        return record(*args, **kwargs)

    monkeypatch.setattr(moderation_log, "record", slow_record)
    errors = []

    def decide(action):
        with app.app_context():
            try:
                start.wait()
                user = db.session.get(User, moderators[action])
                moderation_decisions.decide(comment_id, action, user, action)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (the test reports any failure)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    first, second = log_rows()
    assert first.status_before == "pending"
    assert second.status_before == first.status_after  # the second saw the first's result
    final = db.session.get(Comment, comment_id).status
    assert final == second.status_after
    assert db.session.get(Post, post_id).comment_count == (1 if final == "approved" else 0)


def test_the_log_is_append_only(post, reader, moderator_client):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    moderator_client.post(f"/api/v1/moderation/comments/{comment.id}", json={"action": "reject"})
    [entry] = log_rows()
    entry.reason = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ModerationLogEntry, entry.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
