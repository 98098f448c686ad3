"""Notification fan-out: publish a post to a tag with 100,000 followers.

Prints the publish request's latency (target: under 50 ms, the same with or without followers:
the request only writes an outbox event) and the worker's fan-out rate (target: at least 20,000
notifications a second on PostgreSQL).

Run from the repository root:
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        /work/main/.venv/bin/python bench/notifications_bench.py [--followers 100000]
Without BENCH_DATABASE_URL it runs on a scratch SQLite file. On PostgreSQL it works in a schema
of its own, which it drops at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import current_app  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.product import scratch_app  # noqa: E402
from blog.delivery import worker  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import EmailMessage, Event, Notification, Role, utcnow  # noqa: E402
from blog.services import accounts, posts  # noqa: E402


def bulk_followers(count: int, tag_id: int) -> None:
    """Insert `count` readers who follow the tag, set-based."""
    numbers = ("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :count)")
    db.session.execute(text(
        f"{numbers} INSERT INTO users (email, display_name, password_hash, role, created_at,"
        " session_version) SELECT 'reader' || n || '@bench.example', 'Reader ' || n, '-',"
        " 'reader', CURRENT_TIMESTAMP, 1 FROM g"
    ), {"count": count})
    db.session.execute(text(
        "INSERT INTO follows (user_id, tag_id, level, created_at) SELECT id, :tag, 'all',"
        " CURRENT_TIMESTAMP FROM users WHERE role = 'reader'"
    ), {"tag": tag_id})
    db.session.commit()
    if db.engine.url.get_backend_name() == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def publish_latencies(client, token: str, tag: str, count: int) -> list[float]:
    """POST published posts to `tag`; return each request's time in milliseconds."""
    timings = []
    for _ in range(count):
        body = {"title": f"Bench {uuid.uuid4().hex[:8]}", "body_html": "<p>News.</p>",
                "summary": "Fresh.", "tags": [tag], "status": "published"}
        with current_app.app_context():  # a fresh session, as for a real request
            start = time.perf_counter()
            response = client.post("/api/v1/posts", json=body,
                                   headers={"Authorization": f"Bearer {token}"})
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.get_json()
    return timings


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def fan_out_one_event() -> tuple[float, int, int]:
    """Expand the oldest unprocessed event; return seconds, notifications and emails made."""
    notifications_before, emails_before = count(Notification), count(EmailMessage)
    start = time.perf_counter()
    stats = worker.process_events(batch_size=1)
    elapsed = time.perf_counter() - start
    assert stats.events == 1
    return (elapsed, count(Notification) - notifications_before,
            count(EmailMessage) - emails_before)


def run(followers: int, samples: int) -> None:
    print(f"database: {db.engine.url.get_backend_name()}, tag followers: {followers:,}")
    author = accounts.register_user("author@bench.example", "bench-password", "Bench Author",
                                    Role.AUTHOR)
    token = accounts.create_api_token(author, "bench")
    quiet, busy = posts.tags_named(["Quiet", "Busy"])
    db.session.commit()
    client = current_app.test_client()

    publish_latencies(client, token, "Quiet", 3)  # warm-up
    before = publish_latencies(client, token, "Quiet", samples)
    start = time.perf_counter()
    bulk_followers(followers, busy.id)
    print(f"setup: {followers:,} readers following 'Busy' in {time.perf_counter() - start:.1f} s")
    after = publish_latencies(client, token, "Busy", samples)
    for label, timings in (("0 followers", before), (f"{followers:,} followers", after)):
        print(f"publish request, tag with {label}: median {statistics.median(timings):.1f} ms,"
              f" max {max(timings):.1f} ms ({samples} requests)")

    db.session.execute(Event.__table__.update().where(Event.post_id.in_(
        select(posts.Post.id).join(posts.Post.tags).where(posts.Tag.slug == "quiet")
    )).values(processed_at=utcnow()))
    db.session.commit()

    elapsed, made, emails = fan_out_one_event()
    print(f"worker fan-out, emails on (immediate): {made:,} notifications + {emails:,} emails"
          f" queued in {elapsed:.2f} s = {made / elapsed:,.0f} notifications/s")
    db.session.execute(text(
        "INSERT INTO notification_preferences (user_id, email, auto_follow)"
        " SELECT id, 'off', true FROM users WHERE role = 'reader'"
    ))
    db.session.commit()
    elapsed, made, emails = fan_out_one_event()
    print(f"worker fan-out, emails off: {made:,} notifications + {emails:,} emails"
          f" in {elapsed:.2f} s = {made / elapsed:,.0f} notifications/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    with scratch_app(os.environ.get("BENCH_DATABASE_URL"), PASSWORD_HASH_PROFILE="cheapest"):
        run(args.followers, args.samples)


if __name__ == "__main__":
    main()
