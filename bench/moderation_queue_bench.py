"""Benchmark: the moderation queue's first page with 100,000 comments in the database.

Usage (from the repository root, with the virtualenv):
    python bench/moderation_queue_bench.py                      # a scratch SQLite file
    python bench/moderation_queue_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

It bulk-inserts users, posts and comments (most approved, some pending, flagged, spam and
rejected, with flags on the flagged ones), then times the first page of each queue through the
app (Flask test client, signed in as a moderator: routing, auth, queries, serialization), and
prints the query plans. On PostgreSQL it works in a schema of its own and drops it afterwards.
Target: the pending queue's first page under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from bench.product import scratch_database  # noqa: E402
from blog import create_app  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import Base, Comment, CommentFlag, Post, User, utcnow  # noqa: E402
from blog.services import accounts  # noqa: E402
from blog.services.moderation_queue import (  # noqa: E402
    QUEUE_ORDERS,
    QueueSort,
    queue_statement,
)
from config import TestingConfig  # noqa: E402

PASSWORD = "benchmark password"
STATUS_MIX = [("approved", 0.88), ("pending", 0.05), ("flagged", 0.02), ("spam", 0.03),
              ("rejected", 0.02)]


def seed(count: int, users: int, posts: int) -> str:
    """Insert the data set; return the moderator's email."""
    rng = random.Random(4)
    moderator = accounts.register_user("moderator@bench.test", PASSWORD, "Bench Moderator",
                                       "moderator")
    password_hash = moderator.password_hash
    now = utcnow()
    db.session.execute(insert(User), [
        {"email": f"reader{n}@bench.test", "display_name": f"Reader {n}", "role": "reader",
         "password_hash": password_hash, "created_at": now - timedelta(days=rng.randint(0, 900))}
        for n in range(users)
    ])
    user_ids = [row[0] for row in db.session.execute(text("SELECT id FROM users"))]
    db.session.execute(insert(Post), [
        {"slug": f"post-{n}", "title": f"Post number {n}", "author_id": moderator.id,
         "status": "published", "published_at": now - timedelta(hours=n), "created_at": now}
        for n in range(posts)
    ])
    post_ids = [row[0] for row in db.session.execute(text("SELECT id FROM posts"))]
    statuses, weights = zip(*STATUS_MIX, strict=True)
    chunk = 10_000
    for start in range(0, count, chunk):
        rows = []
        for n in range(start, min(count, start + chunk)):
            status = rng.choices(statuses, weights)[0]
            body = f"Comment {n}: a considered opinion about the story, at some length."
            rows.append({
                "post_id": rng.choice(post_ids), "author_id": rng.choice(user_ids),
                "body": body, "body_html": f"<p>{body}</p>", "status": status,
                "signals": ["new_account"] if status == "pending" else [],
                "created_at": now - timedelta(seconds=rng.randint(0, 90 * 86400)),
                "flag_count": 3 if status == "flagged" else 0,
                # Most comments scored when written; a tenth unscored (imported, say).
                "toxicity": None if rng.random() < 0.1 else round(rng.random() ** 3, 4),
            })
        db.session.execute(insert(Comment), rows)
    flagged = [row[0] for row in db.session.execute(
        text("SELECT id FROM comments WHERE status = 'flagged'"))]
    db.session.execute(insert(CommentFlag), [
        {"comment_id": comment_id, "user_id": user_ids[(comment_id + k) % len(user_ids)],
         "reason": "abuse", "note": "", "created_at": now}
        for comment_id in flagged for k in range(3)
    ])
    db.session.commit()
    settle_statistics()
    return moderator.email


def settle_statistics() -> None:
    """Give the planner what a live site has: statistics, and on PostgreSQL a vacuumed table.

    Autovacuum runs after a bulk load like this one within a minute or so; until it has, the
    visibility map is empty and no count can be an index-only scan (the pending count takes
    180 ms instead of 14), which is not what a moderator of a running site sees.
    """
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("users", "posts", "comments", "comment_flags"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))


def time_get(client, path: str, runs: int) -> tuple[list[float], int, int]:
    """GET `path` `runs` times; return the latencies (ms), the item count and queries per GET."""
    queries = []

    def count(*_args):
        queries.append(1)

    response = client.get(path)  # warm-up
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    items = len(response.get_json()["items"]) if response.is_json else -1
    event.listen(db.engine, "before_cursor_execute", count)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    event.remove(db.engine, "before_cursor_execute", count)
    return timings, items, len(queries) // runs


def explain(queue: str, sort: str = QueueSort.OLDEST) -> list[str]:
    """The plan of the first page's query of `queue` in the order `sort`."""
    order = [key.ordering() for key in QUEUE_ORDERS[QueueSort(sort)]]
    statement = queue_statement(queue).order_by(*order).limit(21)
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return [" | ".join(str(c) for c in row) for row in db.session.execute(text(prefix + sql))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a scratch SQLite file")
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    with scratch_database(args.database_url) as url:
        class BenchConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = url

        app = create_app(BenchConfig)
        with app.app_context():
            engine = create_engine(url)
            Base.metadata.create_all(engine)
            engine.dispose()
            started = time.perf_counter()
            email = seed(args.comments, args.users, args.posts)
            seconds = time.perf_counter() - started
            print(f"database: {db.engine.dialect.name}; seeded {args.comments:,} comments, "
                  f"{args.users:,} users, {args.posts} posts in {seconds:.1f} s")
            client = app.test_client()
            response = client.post("/api/v1/auth/login",
                                   json={"email": email, "password": PASSWORD})
            assert response.status_code == 200
            paths = [
                "/api/v1/moderation/queue",
                "/api/v1/moderation/queue?status=flagged",
                "/api/v1/moderation/queue?status=spam",
                "/api/v1/moderation/queue?status=pending&post=post-7",
                "/api/v1/moderation/queue?limit=100",
                "/api/v1/moderation/queue?sort=toxicity",
                "/api/v1/moderation/queue?sort=toxicity&limit=100",
                "/api/v1/moderation/queue?status=spam&sort=toxicity",
                "/admin/moderation",
            ]
            print(f"{'first page of':<55} {'items':>5} {'queries':>7} {'median':>8} "
                  f"{'p95':>8} {'min':>8}  (ms, {args.runs} runs)")
            for path in paths:
                timings, items, queries = time_get(client, path, args.runs)
                p95 = statistics.quantiles(timings, n=20)[18]
                print(f"{path:<55} {items if items >= 0 else 'html':>5} {queries:>7} "
                      f"{statistics.median(timings):>8.1f} {p95:>8.1f} {min(timings):>8.1f}")
            for queue, sort in (("pending", "oldest"), ("spam", "oldest"),
                                ("pending", "toxicity")):
                print(f"\nplan of the {queue} queue's page query, {sort} first:")
                for line in explain(queue, sort):
                    print("   ", line)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
