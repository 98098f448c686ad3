"""Readers' flags: at the threshold an approved comment leaves public view until a decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import CommentStatus, ModerationLogEntry
from blog.services.moderation import open_flag_count
from tests.factories import make_user
from tests.moderation.factories import flag, make_comment


@pytest.fixture
def flaggers(db):
    return [make_user(display_name=f"Flagger {n}") for n in range(4)]


def test_flags_below_the_threshold_leave_the_comment_public(post, reader, flaggers):
    comment = make_comment(post, reader)
    for user in flaggers[:2]:
        flag(comment, user)
    assert comment.status == CommentStatus.APPROVED
    assert post.comment_count == 1


def test_the_threshold_of_distinct_flaggers_moves_the_comment_to_the_flagged_queue(
        post, reader, flaggers):
    comment = make_comment(post, reader)
    for user in flaggers[:3]:
        flag(comment, user)
    db.session.refresh(post)
    assert comment.status == CommentStatus.FLAGGED
    assert "reader_flags" in comment.signals
    assert post.comment_count == 0  # left public view
    entry = db.session.scalar(select(ModerationLogEntry))
    assert (entry.action, entry.moderator_id, entry.status_before, entry.status_after) == (
        "flag_threshold", None, "approved", "flagged")


def test_the_threshold_is_configurable(app, post, reader, flaggers):
    app.config["MODERATION_FLAG_THRESHOLD"] = 1
    comment = make_comment(post, reader)
    flag(comment, flaggers[0])
    assert comment.status == CommentStatus.FLAGGED


def test_flags_on_a_pending_comment_do_not_move_it(post, reader, flaggers):
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    for user in flaggers[:3]:
        flag(comment, user)
    assert comment.status == CommentStatus.PENDING


def test_approval_after_flags_clears_them_and_the_same_flaggers_cannot_requeue_it(
        post, reader, flaggers, moderator_client):
    comment = make_comment(post, reader)
    for user in flaggers[:3]:
        flag(comment, user)
    response = moderator_client.post(f"/api/v1/moderation/comments/{comment.id}",
                                     json={"action": "approve"})
    assert response.status_code == 200
    assert response.get_json()["flag_count"] == 0
    db.session.refresh(comment)
    assert comment.status == CommentStatus.APPROVED
    assert open_flag_count(comment) == 0
    # A new reader's flag counts again from zero; the cleared flags do not come back.
    flag(comment, flaggers[3])
    assert open_flag_count(comment) == 1
    assert comment.status == CommentStatus.APPROVED
