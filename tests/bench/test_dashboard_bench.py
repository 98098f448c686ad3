"""The dashboard benchmark's generated history (bench/dashboard_bench.py), small: the SQL runs
on this database and the dashboard reads back what the generator meant."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bench.dashboard_bench import HELD_PERCENT, seed
from blog.extensions import db
from blog.models import Comment, ModerationLogEntry
from blog.services import moderation_dashboard


@pytest.mark.usefixtures("app")
def test_the_generated_history_reads_back_on_the_dashboard():
    seed(5_000, users=50, posts=40, analyze=False)  # no statistics left for later tests

    assert db.session.scalar(select(func.count()).select_from(Comment)) == 5_000
    ids = set(db.session.scalars(select(Comment.id)))
    assert ids == set(range(1, 5_001))  # the audit log's rows name comments by these numbers
    logged = db.session.scalar(select(func.count()).select_from(ModerationLogEntry))
    held = sum(1 for n in range(1, 5_001) if n % 100 < HELD_PERCENT)
    d = moderation_dashboard.dashboard()
    assert logged == held - d.queue.now + 1  # one backlog comment (n = 4999) is never logged
    assert 0 < d.decisions.count < logged
    assert 60 <= d.decisions.median_seconds <= 4 * 3600  # decisions come 1 min to 4 h later
    assert d.signals.held > 0 and d.signals.unexplained == 0
    assert {s.signal for s in d.signals.shares if s.count} == {
        "new_account", "suspect_word", "repeat", "toxicity", "too_many_links",
        "premoderate_post"}  # the last: the backlog comment n = 4999, written minutes ago
    assert d.hourly.total > 0 and d.flagged.open_flags > 0
