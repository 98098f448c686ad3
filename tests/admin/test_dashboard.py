"""The moderators' dashboard: its figures on a known history, who may see it, and the page."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import event

from blog.admin.dashboard import duration, nice_top
from blog.extensions import db
from blog.models import CommentStatus, utcnow
from blog.services import moderation_dashboard
from blog.services.moderation_decisions import decide
from tests.admin.dashboard_data import seed_history
from tests.moderation.factories import make_comment


@pytest.fixture
def now():
    """A fixed moment 40 minutes into an hour, so the per-hour buckets are known."""
    return utcnow().replace(minute=40, second=0, microsecond=0) - timedelta(hours=1)


@pytest.fixture
def history(now, author, reader, moderator):
    return seed_history(now, author, reader, moderator)


def count_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(db.engine, "before_cursor_execute", record)


def test_the_queue_history_counts_what_was_pending_at_each_sample(history, now):
    queue = moderation_dashboard.dashboard(now).queue

    values = [point.value for point in queue.points]
    assert len(values) == 57  # every 6 hours over 14 days, both ends
    assert queue.points[0].at == now - timedelta(days=14)
    assert queue.points[-1].at == now
    # F (pending since before the window) throughout; D until its decision 13 days ago; C at
    # the sample 48 hours ago only; B at the sample 6 hours ago; E now. A fell between samples.
    expected = [2] * 4 + [1] * 44 + [2] + [1] * 6 + [2, 2]
    assert values == expected
    assert (queue.now, queue.peak.value, queue.low.value) == (2, 2, 1)
    assert queue.peak.at == now


def test_the_median_time_to_a_decision_is_over_the_windows_decisions(history, now):
    decisions = moderation_dashboard.dashboard(now).decisions

    assert decisions.count == 4  # A, B, C and D; G was decided before the window
    assert decisions.median_seconds == 2.5 * 3600  # of 30 min, 1 h, 4 h and 7 days
    by_day = {day.day: day for day in decisions.days}
    assert len(decisions.days) == 15
    assert by_day[(now - timedelta(days=13)).date()].median_seconds == 7 * 86400
    assert sum(day.count for day in decisions.days) == 4


def test_comments_per_hour_counts_every_comment_of_the_last_48_hours(history, now):
    hourly = moderation_dashboard.dashboard(now).hourly

    values = [point.value for point in hourly.points]
    assert len(values) == 48
    assert hourly.points[-1].at == now.replace(minute=0)
    # H this hour; E and I the hour before; B 7 hours ago; A 10 hours ago; C (48 h) is out.
    assert values[47] == 1 and values[46] == 2 and values[40] == 1 and values[37] == 1
    assert hourly.total == 5
    assert (hourly.peak.value, hourly.peak.at) == (2, now.replace(minute=0) - timedelta(hours=1))


def test_signal_shares_are_among_the_comments_held_in_the_window(history, now):
    signals = moderation_dashboard.dashboard(now).signals

    assert signals.held == 4  # A, B, C, E
    shares = {s.signal: (s.count, s.share) for s in signals.shares if s.count}
    assert shares == {"new_account": (3, 0.75), "suspect_word": (1, 0.25),
                      "toxicity": (1, 0.25)}
    assert [s.signal for s in signals.shares][:1] == ["new_account"]
    assert "trusted" not in {s.signal for s in signals.shares}
    assert signals.unexplained == 0


def test_top_flagged_posts_count_open_flags_in_the_flagged_queue(history, now):
    flagged = moderation_dashboard.dashboard(now).flagged

    assert [(p.title, p.open_flags, p.comments) for p in flagged.top] == [
        ("Harbour dredging begins", 5, 2), ("Ferry timetable changes", 1, 1)]
    assert (flagged.open_flags, flagged.comments, flagged.posts) == (6, 3, 2)


def test_a_decision_through_the_service_shows_on_the_dashboard(post, reader, moderator):
    comment = make_comment(post, reader, status=CommentStatus.PENDING, minutes_ago=7 * 60,
                           signals=["new_account"])
    before = moderation_dashboard.dashboard()
    assert (before.queue.now, before.decisions.count) == (1, 0)

    decide(comment.id, "approve", moderator)
    db.session.commit()
    after = moderation_dashboard.dashboard()

    assert (after.queue.now, after.decisions.count) == (0, 1)
    assert after.decisions.median_seconds == pytest.approx(7 * 3600, abs=30)
    assert after.queue.points[-2].value == 1  # it was waiting at the sample 6 hours ago
    assert after.signals.held == 1


def test_an_empty_database_gives_zeros(db):
    d = moderation_dashboard.dashboard()
    assert (d.queue.now, d.decisions.count, d.decisions.median_seconds) == (0, 0, None)
    assert (d.hourly.total, d.signals.held, d.flagged.top) == (0, 0, [])


def test_the_dashboard_costs_the_same_queries_however_much_there_is(history, now, post, reader):
    statements, stop = count_queries()
    moderation_dashboard.dashboard(now)
    small = len(statements)
    for n in range(30):
        make_comment(post, reader, status=CommentStatus.PENDING, minutes_ago=n * 60,
                     commit=False)
    db.session.commit()
    statements.clear()
    moderation_dashboard.dashboard(now)
    stop()
    assert len(statements) == small == 6


@pytest.mark.parametrize(("seconds", "said"), [
    (None, "none yet"), (45, "45 s"), (600, "10 min"), (9000, "2 h 30 min"),
    (7 * 86400 + 3 * 3600, "7 d 3 h")])
def test_durations_read_as_a_moderator_says_them(seconds, said):
    assert duration(seconds) == said


@pytest.mark.parametrize(("value", "top"), [(0, 4), (1, 4), (3, 4), (7, 8), (13, 20), (55, 80),
                                            (1001, 2000)])
def test_chart_tops_are_round_numbers_over_the_largest_value(value, top):
    assert nice_top(value) == top


# --- The page ---------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role_client", ["reader_client", "author_client"])
def test_readers_and_authors_are_refused(request, role_client):
    response = request.getfixturevalue(role_client).get("/admin/dashboard")
    assert response.status_code == 403
    assert "Moderation dashboard" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role_client", ["moderator_client", "admin_client"])
def test_the_page_shows_the_figures_and_charts(request, role_client, author, reader, moderator):
    seed_history(utcnow(), author, reader, moderator)
    response = request.getfixturevalue(role_client).get("/admin/dashboard")

    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = html.unescape(response.get_data(as_text=True))
    assert "<script" not in page.split("<footer")[0]  # the charts need none
    for chart in ("chart-queue", "chart-waits", "chart-hourly", "chart-signals"):
        assert f'id="{chart}"' in page
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'id="{chart}-table"' in page
    assert page.count('role="img"') == 4
    assert ("Median time from a held comment's writing to a moderator's decision: "
            "<strong>2 h 30 min</strong>") in page
    assert "new account 75 %; suspect word 25 %; toxicity 25 %" in page
    assert "<td>new account</td><td>75 % (3)</td>" in page
    assert 'aria-current="page">Dashboard</a>' in page
    flagged = page.split('class="admin-table flagged-posts"')[1].split("</table>")[0]
    assert flagged.index("Harbour dredging begins") < flagged.index("Ferry timetable changes")
    assert "Bridge repairs" not in flagged


def test_the_page_works_with_nothing_to_show(moderator_client):
    response = moderator_client.get("/admin/dashboard")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "No comment was held in the last 14 days." in page
    assert "No comment has an open flag." in page


def test_the_admin_navigation_links_to_the_dashboard(moderator_client):
    page = moderator_client.get("/admin/moderation").get_data(as_text=True)
    assert 'href="/admin/dashboard"' in page
