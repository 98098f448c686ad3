"""The moderators' dashboard: how the queues have been doing, as figures a page can chart.

What the records allow, and how it is read:

- A comment *held* for a moderator was written with the status `pending` (the pipeline writes
  no log row for that); it *left the queue* when a moderator decided it, at the time of its
  audit-log row whose `status_before` is `pending` (`moderation_log.created_at`). So the queue's
  size at a time `t` is the comments created by `t` that are pending now, plus the ones created
  by `t` whose decision came after `t`. Comments an author deleted, or re-held by an edit, leave
  no such trace: the first drop out of the history early, the second count as waiting since
  they were written.
- Every figure reads a bounded window through an index, in a constant number of queries (six,
  or five when no comment is flagged): the pending comments (a count before the window, the rows
  in it), the decisions in the window joined to their comments, the comments of the last 48
  hours counted per hour by the database, the open flags grouped by post, and the titles of the
  top posts. The windowed rows are few (a fortnight's held comments, not the table) and are
  folded into the series here, in Python, the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Float,
    Select,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import String

from blog.extensions import db
from blog.models import Comment, CommentStatus, ModerationLogEntry, Post, UTCDateTime, utcnow
from blog.services.moderation import HARD_HOLD_SIGNALS, SOFT_HOLD_SIGNALS

#: How far back the queue's history, the decision times and the signals' shares look.
WINDOW = timedelta(days=14)
#: The queue's size is sampled this often over the window (57 points over 14 days).
QUEUE_STEP = timedelta(hours=6)
#: Comments per hour over this many hours (the last one is the hour under way).
RATE_HOURS = 48
#: How many of the most flagged posts the dashboard lists.
TOP_POSTS = 10
#: The signals that hold a comment for a moderator, the ones whose shares are shown (`trusted`
#: and `reader_flags` ride along in `comments.signals` but never hold a new comment).
HOLD_SIGNALS = tuple(sorted(HARD_HOLD_SIGNALS | SOFT_HOLD_SIGNALS))
#: The comments in the flagged queue that carry open flags (see moderation_queue.in_queue).
FLAGGED_QUEUE_STATUSES = (CommentStatus.APPROVED.value, CommentStatus.FLAGGED.value)


class hour_of(ColumnElement):  # noqa: N801  (an SQL function, named like one)
    """The UTC hour of a timestamp column as text, "YYYY-MM-DD HH", on SQLite and PostgreSQL."""

    inherit_cache = True
    type = String()

    def __init__(self, column) -> None:
        self.column = column


@compiles(hour_of, "sqlite")
def _hour_of_sqlite(element, compiler, **kw) -> str:
    # SQLAlchemy stores SQLite timestamps as "YYYY-MM-DD HH:MM:SS.ffffff", in UTC here.
    return f"substr({compiler.process(element.column, **kw)}, 1, 13)"


@compiles(hour_of, "postgresql")
def _hour_of_postgresql(element, compiler, **kw) -> str:
    column = compiler.process(element.column, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@compiles(hour_of)
def _hour_of_other(element, compiler, **kw) -> str:  # pragma: no cover (other databases)
    raise NotImplementedError("hour_of knows SQLite and PostgreSQL only")


class seconds_after(ColumnElement):  # noqa: N801  (an SQL function, named like one)
    """The seconds from `earlier` to `later` (two timestamps), as a float, computed by the
    database: 6,000 rows then cost a float each, not the parsing of two datetimes."""

    inherit_cache = True
    type = Float()

    def __init__(self, later, earlier) -> None:
        self.later, self.earlier = later, earlier


@compiles(seconds_after, "sqlite")
def _seconds_after_sqlite(element, compiler, **kw) -> str:
    later, earlier = compiler.process(element.later, **kw), compiler.process(element.earlier, **kw)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_after, "postgresql")
def _seconds_after_postgresql(element, compiler, **kw) -> str:
    later, earlier = compiler.process(element.later, **kw), compiler.process(element.earlier, **kw)
    # date_part, not EXTRACT: a double precision, where EXTRACT gives a slower numeric.
    return f"date_part('epoch', {later} - {earlier})"


@compiles(seconds_after)
def _seconds_after_other(element, compiler, **kw) -> str:  # pragma: no cover
    raise NotImplementedError("seconds_after knows SQLite and PostgreSQL only")


@dataclass(frozen=True)
class Point:
    """One value of a series, at a moment (or for the period that starts then)."""

    at: datetime
    value: int


@dataclass(frozen=True)
class QueueHistory:
    """The pending queue's size every QUEUE_STEP over the window; the last point is now."""

    points: list[Point]
    now: int
    peak: Point
    low: Point


@dataclass(frozen=True)
class DayDecisions:
    """The decisions made on one UTC day and their median time from comment to decision."""

    day: date
    count: int
    median_seconds: float | None


@dataclass(frozen=True)
class DecisionTimes:
    """How long held comments waited for a moderator, over the decisions in the window."""

    count: int
    median_seconds: float | None
    days: list[DayDecisions]


@dataclass(frozen=True)
class HourlyComments:
    """Comments written in each of the last RATE_HOURS hours (any status), oldest first."""

    points: list[Point]
    total: int
    peak: Point


@dataclass(frozen=True)
class SignalShare:
    signal: str
    count: int
    #: Of the comments held in the window (0..1); one comment may carry several signals.
    share: float


@dataclass(frozen=True)
class HeldSignals:
    """Why the comments held in the window were held: each hold signal's count and share."""

    held: int
    shares: list[SignalShare]
    #: Held comments that carry no hold signal (older comments, edits, changed settings).
    unexplained: int


@dataclass(frozen=True)
class FlaggedPost:
    post_id: int
    slug: str
    title: str
    open_flags: int
    comments: int


@dataclass(frozen=True)
class FlaggedPosts:
    """The posts with the most open reader flags on comments in the flagged queue."""

    top: list[FlaggedPost]
    open_flags: int
    comments: int
    posts: int


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    since: datetime
    queue: QueueHistory
    decisions: DecisionTimes
    hourly: HourlyComments
    signals: HeldSignals
    flagged: FlaggedPosts


@dataclass(slots=True)
class _Held:
    """A comment that was in the pending queue at some time in the window; its times are in
    seconds after the window's start (negative: before it)."""

    written: float
    #: `comments.signals` as the database's JSON text; None for comments written before the
    #: window (their signals are not counted).
    signals: str | None = None
    pending_now: bool = False
    first_decision: float | None = None
    last_decision: float | None = None


def dashboard(now: datetime | None = None) -> Dashboard:
    """Gather every figure of the dashboard as of `now` (default: the current time)."""
    now = now or utcnow()
    since = now - WINDOW
    pending_before, held = _held_comments(since)
    return Dashboard(
        now=now,
        since=since,
        queue=queue_history(pending_before, held, since, now),
        decisions=decision_times(held, since, now),
        hourly=hourly_comments(now),
        signals=held_signals(held, since),
        flagged=flagged_posts(),
    )


# --- The queries, one builder each (the benchmark times and EXPLAINs these same statements) ---

_PENDING = Comment.status == CommentStatus.PENDING.value


def pending_before_query(since: datetime) -> Select:
    """Count the comments pending now that were written before the window."""
    return (select(func.count()).select_from(Comment)
            .where(_PENDING, Comment.created_at < since))


def _offset(column, since: datetime):
    """Seconds from the window's start to `column` (see `_seconds`)."""
    return seconds_after(column, literal(since, UTCDateTime()))


def _seconds(value) -> float:
    """An offset as read, to the millisecond: SQLite's julianday keeps milliseconds, and the
    rounding makes both databases agree on a time that falls on a sample."""
    return round(float(value), 3)


def _signals_text(since: datetime, comments=Comment):
    """The signals of a comment written in the window, as JSON text (no decoding per row)."""
    return case((comments.created_at >= since, cast(comments.signals, Text)), else_=None)


def pending_in_window_query(since: datetime) -> Select:
    """The comments pending now written in the window."""
    return select(Comment.id, _offset(Comment.created_at, since), _signals_text(since)).where(
        _PENDING, Comment.created_at >= since)


def decisions_query(since: datetime) -> Select:
    """The window's decisions on pending comments, with their comments' times and signals.

    Each decision's comment is looked up by its primary key. On PostgreSQL the lookup is a
    LATERAL subquery with LIMIT 1, which the planner cannot turn into a join: as a join it
    hashed the window's few thousand decisions and scanned the whole comments table to match
    them (135 ms at 1,000,000 comments, against 19 ms for the lookups). SQLite looks them up
    by key either way.
    """
    log = ModerationLogEntry
    decisions = select(log.comment_id, _offset(log.created_at, since))
    if db.session.get_bind().dialect.name == "postgresql":
        comment = (select(Comment.created_at, Comment.status, Comment.signals)
                   .where(Comment.id == log.comment_id).limit(1).lateral("comment"))
        decisions = decisions.join(comment, true())
        columns = comment.c
    else:
        decisions = decisions.join(Comment, Comment.id == log.comment_id)
        columns = Comment
    return (decisions.add_columns(_offset(columns.created_at, since), columns.status,
                                  _signals_text(since, columns))
            .where(left_the_queue(), log.created_at >= since))


def hourly_query(first_hour: datetime) -> Select:
    """Comments written since `first_hour`, counted per hour by the database."""
    hour = hour_of(Comment.created_at)
    return (select(hour, func.count()).where(Comment.created_at >= first_hour)
            .group_by(hour))


def flags_query() -> Select:
    """Open flags and flagged comments per post, over the flagged queue."""
    return (select(Comment.post_id, func.sum(Comment.flag_count), func.count())
            .where(Comment.flag_count > 0, Comment.status.in_(FLAGGED_QUEUE_STATUSES))
            .group_by(Comment.post_id))


def titles_query(post_ids: list[int]) -> Select:
    return select(Post.id, Post.slug, Post.title).where(Post.id.in_(post_ids))


def queries(now: datetime) -> dict[str, Select]:
    """Every query of the dashboard as of `now`, by name (the titles for two posts)."""
    since = now - WINDOW
    return {
        "pending before the window": pending_before_query(since),
        "pending in the window": pending_in_window_query(since),
        "decisions in the window": decisions_query(since),
        "comments per hour": hourly_query(first_hour(now)),
        "open flags per post": flags_query(),
        "titles of the top posts": titles_query([1, 2]),
    }


def left_the_queue():
    """The audit-log rows of decisions that took a comment out of the pending queue."""
    log = ModerationLogEntry
    return and_(log.status_before == CommentStatus.PENDING.value,
                log.status_after != CommentStatus.PENDING.value)


def first_hour(now: datetime) -> datetime:
    """The start of the first of the RATE_HOURS hours counted (the last is under way)."""
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=RATE_HOURS - 1)


def _held_comments(since: datetime) -> tuple[int, dict[int, _Held]]:
    """Read the pending queue's traces in the window (three queries).

    Returns the count of comments pending now that were created before the window, and, by id,
    every comment pending now created in the window or decided from pending in the window.
    """
    pending_before = db.session.scalar(pending_before_query(since)) or 0
    held: dict[int, _Held] = {}
    for comment_id, written, signals in db.session.execute(pending_in_window_query(since)):
        held[comment_id] = _Held(_seconds(written), signals, pending_now=True)
    decisions = db.session.execute(decisions_query(since))
    for comment_id, decided_at, written, status, signals in decisions:
        decided_at = _seconds(decided_at)
        item = held.get(comment_id)
        if item is None:
            item = held[comment_id] = _Held(_seconds(written), signals,
                                            pending_now=status == CommentStatus.PENDING)
        if item.first_decision is None or decided_at < item.first_decision:
            item.first_decision = decided_at
        if item.last_decision is None or decided_at > item.last_decision:
            item.last_decision = decided_at
    return pending_before, held


def sample_times(since: datetime, now: datetime) -> list[datetime]:
    """The queue's sample times: every QUEUE_STEP from `since`, and `now` last."""
    steps = math.ceil((now - since) / QUEUE_STEP)
    return [min(since + k * QUEUE_STEP, now) for k in range(steps + 1)]


def queue_history(pending_before: int, held: dict[int, _Held], since: datetime,
                  now: datetime) -> QueueHistory:
    """The pending queue's size at every sample time of the window.

    A comment counts from its creation until its last decision in the window (or to the end,
    if it is pending now); one pending before the window and still pending counts throughout.
    """
    times = sample_times(since, now)
    changes = [0] * (len(times) + 1)
    step = QUEUE_STEP.total_seconds()

    last = len(times)
    ceil = math.ceil
    for item in held.values():
        # The first sample at or after the comment was written, and after it was decided.
        start = 0 if item.written <= 0 else min(last, ceil(item.written / step))
        end = last if item.pending_now else min(last, ceil(item.last_decision / step))
        if start < end:
            changes[start] += 1
            changes[end] -= 1
    points, size = [], pending_before
    for index, moment in enumerate(times):
        size += changes[index]
        points.append(Point(moment, size))
    return QueueHistory(points=points, now=points[-1].value,
                        peak=max(points, key=lambda p: (p.value, p.at)),
                        low=min(points, key=lambda p: (p.value, p.at)))


def decision_times(held: dict[int, _Held], since: datetime, now: datetime) -> DecisionTimes:
    """The median time from a held comment's creation to its first decision, over the window's
    decisions, overall and per UTC day of the decision."""
    # The UTC day of a decision, from its offset: whole days after the window's first midnight.
    midnight = since.replace(hour=0, minute=0, second=0, microsecond=0)
    into_first_day = (since - midnight).total_seconds()
    waits: dict[int, list[float]] = {}
    for item in held.values():
        decided = item.first_decision
        if decided is None or decided < 0:
            continue
        wait = decided - item.written
        waits.setdefault(int((into_first_day + decided) // 86400), []).append(
            round(wait, 3) if wait > 0 else 0.0)
    every = [seconds for day in waits.values() for seconds in day]
    days = []
    for index in range((now.date() - since.date()).days + 1):
        of_day = waits.get(index, [])
        days.append(DayDecisions(since.date() + timedelta(days=index), len(of_day),
                                 statistics.median(of_day) if of_day else None))
    return DecisionTimes(count=len(every),
                         median_seconds=statistics.median(every) if every else None,
                         days=days)


def hourly_comments(now: datetime) -> HourlyComments:
    """Count the comments written in each of the last RATE_HOURS hours (one grouped query)."""
    first = first_hour(now)
    counts = dict(db.session.execute(hourly_query(first)).all())
    points = []
    for k in range(RATE_HOURS):
        moment = first + timedelta(hours=k)
        points.append(Point(moment, counts.get(moment.strftime("%Y-%m-%d %H"), 0)))
    return HourlyComments(points=points, total=sum(p.value for p in points),
                          peak=max(points, key=lambda p: (p.value, p.at)))


def held_signals(held: dict[int, _Held], since: datetime) -> HeldSignals:
    """Count each hold signal among the comments held in the window (created in it)."""
    # Few distinct lists among thousands of comments: count the texts, then read each once.
    texts = Counter(item.signals for item in held.values()
                    if item.written >= 0 and item.signals is not None)
    counts: Counter[str] = Counter()
    total = sum(texts.values())
    unexplained = 0
    quoted = [(signal, json.dumps(signal)) for signal in HOLD_SIGNALS]
    for signals, times in texts.items():
        # A signal is a JSON string in the list: its quoted name is in the text exactly when
        # it is in the list (the names are plain identifiers; none contains another's quotes).
        reasons = [signal for signal, name in quoted if name in signals]
        for signal in reasons:
            counts[signal] += times
        unexplained += 0 if reasons else times
    shares = [SignalShare(signal, counts[signal], counts[signal] / total if total else 0.0)
              for signal in HOLD_SIGNALS]
    shares.sort(key=lambda s: (-s.count, s.signal))
    return HeldSignals(held=total, shares=shares, unexplained=unexplained)


def flagged_posts(limit: int = TOP_POSTS) -> FlaggedPosts:
    """The posts with the most open flags on comments waiting in the flagged queue.

    One grouped query over the partial index of flagged comments (`flag_count > 0`: a few rows,
    however large the table), then the titles of the top posts (one query).
    """
    rows = db.session.execute(flags_query()).all()
    ranked = sorted(rows, key=lambda row: (-row[1], -row[2], row[0]))[:limit]
    posts = {}
    if ranked:
        posts = {post.id: post for post in db.session.execute(
            titles_query([row[0] for row in ranked]))}
    top = [FlaggedPost(post_id, posts[post_id].slug, posts[post_id].title, int(flags), count)
           for post_id, flags, count in ranked if post_id in posts]
    return FlaggedPosts(top=top, open_flags=sum(int(row[1]) for row in rows),
                        comments=sum(row[2] for row in rows), posts=len(rows))

