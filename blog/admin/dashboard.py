"""The moderators' dashboard, /admin/dashboard: a thin adapter over
blog.services.moderation_dashboard, on the admin blueprint (imported by create_app)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import render_template

from blog.admin.views import bp
from blog.auth.security import roles_required
from blog.models import Role
from blog.services import moderation_dashboard
from blog.wording import plural


def duration(seconds: float | None) -> str:
    """Say a duration the way a moderator reads it: "45 s", "12 min", "3 h 05 min", "2 d 4 h"."""
    if seconds is None:
        return "none yet"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def nice_top(value: float, *, seconds: bool = False) -> float:
    """The top gridline of a chart whose largest value is `value`: a round number over it.

    Four gridlines divide it: counts go up by 1, 2, 5 or 10 times a power of ten (each a multiple
    of 4 once it is over 4, so the lines fall on whole numbers); durations by round minutes and
    hours.
    """
    if value <= 0:
        return 4
    if seconds:
        steps = [60 * m for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440)]
    else:
        steps = [m * 10 ** k for k in range(9) for m in (1, 2, 5)]
    step = next((s for s in steps if 4 * s >= value), steps[-1])
    return 4 * step if 4 * step >= value else math.ceil(value / step / 4) * 4 * step


def _count(value: float) -> str:
    return f"{round(value):,}"


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


@dataclass(frozen=True)
class Chart:
    """What a macro of admin/_charts.html draws: rows of (label, value, text), the top
    gridline's value, and the words of its <title> and <desc>."""

    title: str
    desc: str
    rows: list[tuple]
    top: float


def charts(d: moderation_dashboard.Dashboard) -> dict[str, Chart]:
    """The dashboard's four charts, with their text equivalents."""
    window = moderation_dashboard.WINDOW.days
    step = int(moderation_dashboard.QUEUE_STEP.total_seconds() // 3600)
    queue = d.queue
    days = [day for day in d.decisions.days if day.median_seconds is not None]
    slowest = max(days, key=lambda day: day.median_seconds, default=None)
    hourly = d.hourly
    seen = [s for s in d.signals.shares if s.count]
    return {
        "queue": Chart(
            f"Pending comments every {step} hours over the last {window} days",
            f"From {plural(queue.points[0].value, 'comment')} {window} days ago to "
            f"{plural(queue.now, 'comment')} now; highest {_count(queue.peak.value)} on "
            f"{_moment(queue.peak.at)}, lowest {_count(queue.low.value)} on "
            f"{_moment(queue.low.at)}.",
            [(p.at.strftime("%d %b %H:%M"), p.value, plural(p.value, "comment"))
             for p in queue.points],
            nice_top(queue.peak.value)),
        "waits": Chart(
            "Median time to a decision, per day (UTC)",
            f"Overall median {duration(d.decisions.median_seconds)} over "
            f"{plural(d.decisions.count, 'decision')}"
            + (f"; slowest day {slowest.day.strftime('%d %b')}, "
               f"{duration(slowest.median_seconds)}." if slowest else "."),
            [(day.day.strftime("%d %b"), day.median_seconds or 0,
              f"{duration(day.median_seconds)} ({plural(day.count, 'decision')})")
             for day in d.decisions.days],
            nice_top(slowest.median_seconds if slowest else 0, seconds=True)),
        "hourly": Chart(
            f"Comments written per hour, last {moderation_dashboard.RATE_HOURS} hours (UTC)",
            f"{plural(hourly.total, 'comment')} in all; busiest hour "
            f"{hourly.peak.at.strftime('%d %b %H:00')} with "
            f"{plural(hourly.peak.value, 'comment')}.",
            [(p.at.strftime("%H:00"), p.value, plural(p.value, "comment"))
             for p in hourly.points],
            nice_top(hourly.peak.value)),
        "signals": Chart(
            f"Held comments by signal, last {window} days",
            f"Of {plural(d.signals.held, 'held comment')}: "
            + ("; ".join(f"{_label(s.signal)} {_percent(s.share)}" for s in seen) or "no signal")
            + ".",
            [(_label(s.signal), s.count, f"{_percent(s.share)} ({s.count:,})")
             for s in d.signals.shares],
            max(d.signals.held, 1)),
    }


def _label(signal: str) -> str:
    return signal.replace("_", " ")


def _moment(moment) -> str:
    return moment.strftime("%d %b %H:%M")


@bp.route("/dashboard")
@roles_required(Role.MODERATOR)
def dashboard():
    """Show how the queues have been doing: server-rendered SVG charts, each with its table."""
    d = moderation_dashboard.dashboard()
    return render_template(
        "admin/dashboard.html", d=d, charts=charts(d), duration=duration, count=_count,
        window_days=moderation_dashboard.WINDOW.days,
        step_hours=int(moderation_dashboard.QUEUE_STEP.total_seconds() // 3600),
        rate_hours=moderation_dashboard.RATE_HOURS,
    )
