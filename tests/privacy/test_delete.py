"""DELETE /api/v1/me: the account goes, and afterwards no row anywhere names it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import (
    Base,
    Comment,
    CommentFlag,
    CommentStatus,
    CommentVote,
    ModerationLogEntry,
    Post,
    User,
)
from blog.services import accounts
from tests.factories import PASSWORD, make_post
from tests.helpers import assert_problem
from tests.notifications.helpers import make_comment


def delete_account(client, password: str = PASSWORD):
    return client.delete("/api/v1/me", json={"password": password})


def rows_naming(user_id: int, email: str) -> list[str]:
    """Walk every table: columns naming users (by foreign key or mark), values with the email."""
    found = []
    for table in Base.metadata.sorted_tables:
        user_columns = [
            column for column in table.columns
            if any(fk.target_fullname == "users.id" for fk in column.foreign_keys)
            or column.info.get("refers_to") == "users.id" or (
                table.name == "users" and column.name == "id")
        ]
        for row in db.session.execute(select(table)):
            for column in user_columns:
                if row._mapping[column] == user_id:
                    found.append(f"{table.name}.{column.name}")
            for column, value in row._mapping.items():
                if email in str(value).lower():
                    found.append(f"{table.name}.{column} holds the email")
    return found


def assert_counters_exact() -> None:
    """Every post's and comment's counters agree with the rows."""
    for post in db.session.scalars(select(Post)):
        approved = db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.post_id == post.id, Comment.status == CommentStatus.APPROVED))
        assert post.comment_count == approved, post.slug
    for comment in db.session.scalars(select(Comment)):
        replies = db.session.scalar(select(func.count()).select_from(Comment).where(
            Comment.parent_id == comment.id, Comment.status == CommentStatus.APPROVED))
        score = db.session.scalar(select(func.coalesce(func.sum(CommentVote.value), 0)).where(
            CommentVote.comment_id == comment.id))
        flags = db.session.scalar(select(func.count()).select_from(CommentFlag).where(
            CommentFlag.comment_id == comment.id, CommentFlag.cleared_at.is_(None)))
        assert (comment.reply_count, comment.score, comment.flag_count) == (
            replies, score, flags), comment.id


def test_afterwards_no_row_names_the_reader(footprint, reader_client):
    user_id, email = footprint.user.id, footprint.user.email
    assert rows_naming(user_id, email)  # the walk finds the footprint before
    assert delete_account(reader_client).status_code == 204
    db.session.expire_all()
    assert rows_naming(user_id, email) == []
    assert_counters_exact()


def test_comments_with_replies_stay_as_placeholders_and_the_others_vanish(footprint,
                                                                          reader_client, client):
    answered, lonely, own_reply = footprint.answered.id, footprint.lonely.id, footprint.own_reply.id
    assert delete_account(reader_client).status_code == 204
    db.session.expire_all()
    assert db.session.get(Comment, lonely) is None
    for comment_id in (answered, own_reply):
        placeholder = db.session.get(Comment, comment_id)
        assert placeholder.author_id is None
        assert (placeholder.body, placeholder.body_html) == ("", "")
        assert placeholder.status == CommentStatus.DELETED
    thread = client.get(f"/api/v1/posts/{footprint.post.slug}/comments").get_json()["items"]
    shown = {item["id"]: item for item in thread}
    assert lonely not in shown
    assert shown[answered]["deleted"] is True and shown[answered]["author"] is None
    assert [reply["body_html"] for reply in shown[answered]["replies"]] == [
        "<p>Rebuilt in 1988.</p>"]


def test_votes_and_flags_leave_the_scores_and_counts(footprint, reader_client):
    assert delete_account(reader_client).status_code == 204
    db.session.expire_all()
    assert db.session.get(Comment, footprint.others.id).score == 0
    assert db.session.get(Comment, footprint.others_reply.id).score == 0
    assert db.session.get(Comment, footprint.others.id).flag_count == 0
    assert db.session.get(Comment, footprint.answered.id).score == 1  # another reader's vote
    assert_counters_exact()


def test_the_session_and_the_tokens_stop_working(app, reader, reader_client):
    token = accounts.create_api_token(reader, "script")
    db.session.commit()
    assert delete_account(reader_client).status_code == 204
    assert_problem(reader_client.get("/api/v1/me"), 401)
    bearer = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(bearer, 401)


def test_the_address_can_register_again(reader, reader_client, client):
    email = reader.email
    assert delete_account(reader_client).status_code == 204
    again = client.post("/api/v1/auth/register",
                        json={"email": email, "password": PASSWORD, "display_name": "Back"})
    assert again.status_code == 201


@pytest.mark.parametrize(("body", "status"), [
    ({"password": "not the password"}, 403),
    ({}, 422),
    ({"password": PASSWORD, "extra": 1}, 422),
])
def test_a_wrong_or_missing_password_deletes_nothing(footprint, reader_client, body, status):
    assert_problem(reader_client.delete("/api/v1/me", json=body), status)
    db.session.expire_all()
    assert db.session.get(User, footprint.user.id) is not None
    assert db.session.get(Comment, footprint.lonely.id).body == "Nobody answers this one."


def test_deletion_needs_a_signed_in_caller_and_the_csrf_token(client, reader_client):
    assert_problem(client.delete("/api/v1/me", json={"password": PASSWORD}), 401)
    assert_problem(reader_client.delete("/api/v1/me", json={"password": PASSWORD}, csrf=False),
                   403)


def test_a_moderator_leaves_the_log_without_their_name(footprint, moderator, moderator_client):
    entries = db.session.scalar(select(func.count()).select_from(ModerationLogEntry))
    moderator_id, email = moderator.id, moderator.email
    assert delete_account(moderator_client).status_code == 204
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ModerationLogEntry)) == entries
    assert rows_naming(moderator_id, email) == []


def test_an_author_with_posts_is_refused(author, author_client):
    make_post(author, "Still mine")
    assert_problem(delete_account(author_client), 409)
    db.session.expire_all()
    assert db.session.get(User, author.id) is not None


def test_placeholder_counters_stay_exact_when_a_reply_was_approved(app, author, reader,
                                                                   other_reader, reader_client):
    post = make_post(author)
    parent = make_comment(post, other_reader)
    make_comment(post, reader, parent=parent)
    assert db.session.get(Comment, parent.id).reply_count == 1
    assert delete_account(reader_client).status_code == 204
    db.session.expire_all()
    assert db.session.get(Comment, parent.id).reply_count == 0
    assert db.session.get(Post, post.id).comment_count == 1
