"""The demo content fills the moderation queues, once."""

from __future__ import annotations

from sqlalchemy import func, select

from blog.models import Comment


def test_seed_demo_puts_comments_in_the_queues_once(runner, db):
    for _ in range(2):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = dict(db.session.execute(
        select(Comment.status, func.count()).where(Comment.status.in_(["pending", "flagged"]))
        .group_by(Comment.status)).all())
    assert counts == {"pending": 2, "flagged": 1}
