"""Scores stay exact when many readers vote at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from blog.extensions import db
from blog.models import Comment, CommentVote, User
from blog.services import comments
from tests.comments.factories import fresh, make_comment
from tests.database import is_postgresql
from tests.factories import make_user


@pytest.fixture
def postgresql_only(database_url):
    if not is_postgresql(database_url):
        pytest.skip("SQLite serializes every write; the race needs PostgreSQL")


def run_at_once(app, jobs) -> list[BaseException]:
    """Run each `(user_id, comment_id, value)` vote in its own thread and app context."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    errors: list[BaseException] = []

    def work(user_id, comment_id, value):
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                comment = db.session.get(Comment, comment_id)
                barrier.wait()
                comments.vote(comment, user, value)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_votes_of_many_readers_all_count(app, postgresql_only, post, author):
    comment = make_comment(post, author)
    voters = [make_user() for _ in range(10)]
    jobs = [(user.id, comment.id, 1 if n % 4 else -1) for n, user in enumerate(voters)]

    assert run_at_once(app, jobs) == []

    assert fresh(comment).score == sum(value for _, _, value in jobs)


def test_one_readers_racing_votes_leave_one_vote(app, postgresql_only, post, author, reader):
    comment = make_comment(post, author)
    jobs = [(reader.id, comment.id, value) for value in (1, -1, 1, 1, -1, 0, 1, -1)]

    assert run_at_once(app, jobs) == []

    votes = db.session.query(CommentVote).filter_by(comment_id=comment.id).all()
    assert fresh(comment).score == sum(vote.value for vote in votes)
    assert len(votes) <= 1
