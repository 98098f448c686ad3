"""Benchmark the comment thread API under gunicorn with wrk.

Seeds a post with 50 and one with 1,000 approved comments (bulk inserts), starts gunicorn
(workers = cores) on a loopback port, and measures with wrk:

- GET /api/v1/posts/{slug}/comments (first page, anonymous, no If-None-Match) with 1 client
  and with 2 x cores clients; also a revalidation with If-None-Match (304);
- POST /api/v1/posts/{slug}/comments with a bearer token and a distinct body per request.

With --scale it then bulk-inserts 1,000,000 more comments over 1,000 other posts (executemany
on SQLite, COPY on PostgreSQL), runs ANALYZE, and measures the 1,000-comment thread again.

    python bench/comments_bench.py                       # SQLite file under /tmp
    python bench/comments_bench.py --scale
    python bench/comments_bench.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test

On PostgreSQL it works in a schema of its own and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from bench.servers import gunicorn_args  # noqa: E402
from tests.database import url_with_search_path  # noqa: E402

BODIES = [
    "Good reporting. Who actually pays for this in the end?",
    "I live near the site and **nobody** asked us.\n\nThe meeting notes are at "
    "https://example.org/minutes if anyone wants to check.",
    "> the authority said it would hold public meetings\n\nWe'll see. *Last time* they did not.",
    "Numbers:\n- 2.4 GW planned\n- 1.8 million homes\n- 2028 at the earliest",
    "Thanks for the clear explanation of `fixed-bottom` foundations.",
]
THREAD_SHARE = 0.4  # share of comments that start a thread; the rest are replies


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=None,
                        help="SQLAlchemy URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--scale", action="store_true",
                        help="also measure with 1,000,000 comments in the database")
    parser.add_argument("--scale-comments", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans of a first page (and again at scale)")
    return parser.parse_args()


# --- Database ---------------------------------------------------------------------------------

def scratch_url(base: str | None) -> tuple[str, callable]:
    """Return a database URL of the benchmark's own, and a function that removes it."""
    if not base or base.startswith("sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="comments-bench-"))
        return f"sqlite:///{folder}/bench.db", lambda: None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url_with_search_path(base, schema), drop


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    from blog import create_app
    from config import ProductionConfig

    class BenchConfig(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


class Seeder:
    """Bulk-insert users, posts and comment threads with precomputed ids."""

    def __init__(self, app, rng: random.Random):
        from blog.extensions import db
        from blog.services.sanitize import render_comment

        self.app, self.db, self.rng = app, db, rng
        self.rendered = [(body, render_comment(body)) for body in BODIES]
        self.next_id = 1
        self.user_ids: list[int] = []

    @classmethod
    def resume(cls, app) -> Seeder:
        """Continue seeding a database made earlier (ids after the largest one)."""
        from blog.models import Comment, User

        seeder = cls(app, random.Random(11))
        seeder.user_ids = list(seeder.db.session.scalars(select(User.id)))
        seeder.next_id = (seeder.db.session.scalar(select(func.max(Comment.id))) or 0) + 1
        return seeder

    def setup(self) -> tuple[str, int]:
        """Create the tables, the commenters and a bench account; return its bearer token."""
        from blog.models import Base, Role, User
        from blog.services import accounts

        Base.metadata.create_all(self.db.engine)
        bench_user = accounts.register_user("bench@example.com", "bench-password-123",
                                            "Bench Writer", Role.READER)
        token = accounts.create_api_token(bench_user, "bench")
        self.db.session.commit()
        rows = [{"email": f"c{n}@example.com", "display_name": f"Commenter {n}",
                 "password_hash": "!", "role": "reader", "session_version": 1,
                 "created_at": datetime.now(UTC)} for n in range(300)]
        self.db.session.execute(insert(User), rows)
        self.db.session.commit()
        self.user_ids = list(self.db.session.scalars(select(User.id)))
        return token, bench_user.id

    def post(self, slug: str, comments: int) -> int:
        from blog.models import Post

        author_id = self.user_ids[0]
        now = datetime.now(UTC)
        post = Post(slug=slug, title=slug.replace("-", " ").title(), summary="", body_html="<p/>",
                    author_id=author_id, status="published", published_at=now,
                    comment_count=comments)
        self.db.session.add(post)
        self.db.session.commit()
        return post.id

    def thread_rows(self, post_id: int, count: int, start: datetime) -> list[dict]:
        """Return `count` approved comments: 40% start threads, the rest reply (depth <= 3)."""
        rows: list[dict] = []
        for n in range(count):
            comment_id = self.next_id
            self.next_id += 1
            body, body_html = self.rng.choice(self.rendered)
            row = {
                "id": comment_id, "post_id": post_id, "author_id": self.rng.choice(self.user_ids),
                "parent_id": None, "thread_id": None, "depth": 0, "body": body,
                "body_html": body_html, "status": "approved", "signals": [],
                "score": self.rng.randint(-3, 25), "reply_count": 0, "flag_count": 0,
                "created_at": start + timedelta(seconds=7 * n),
                "updated_at": start + timedelta(seconds=7 * n),
            }
            earlier = [r for r in rows[-20:] if r["depth"] < 3]
            if rows and earlier and self.rng.random() > THREAD_SHARE:
                parent = self.rng.choice(earlier)
                row.update(parent_id=parent["id"], thread_id=parent["thread_id"] or parent["id"],
                           depth=parent["depth"] + 1)
                parent["reply_count"] += 1
            rows.append(row)
        return rows

    def insert_comments(self, rows: list[dict]) -> None:
        from blog.models import Comment

        if self.db.engine.dialect.name == "postgresql":
            self._copy(rows)
        else:
            for chunk in range(0, len(rows), 50_000):
                self.db.session.execute(insert(Comment), rows[chunk:chunk + 50_000])
        self.db.session.commit()

    def _copy(self, rows: list[dict]) -> None:
        columns = list(rows[0])
        connection = self.db.session.connection().connection.driver_connection
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY comments ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([
                        "[]" if name == "signals" else row[name] for name in columns
                    ])
            cursor.execute("SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                           "(SELECT max(id) FROM comments))")

    def analyze(self) -> None:
        self.db.session.execute(text("ANALYZE"))
        self.db.session.commit()


def seed(seeder: Seeder, slug: str, comments: int) -> None:
    post_id = seeder.post(slug, comments)
    start = datetime.now(UTC) - timedelta(days=3)
    seeder.insert_comments(seeder.thread_rows(post_id, comments, start))


def seed_scale(seeder: Seeder, total: int) -> float:
    """Add `total` comments over 1,000 other posts; return the seconds it took."""
    began = time.perf_counter()
    posts = 1000
    start = datetime.now(UTC) - timedelta(days=30)
    batch: list[dict] = []
    for n in range(posts):
        post_id = seeder.post(f"filler-{n}", total // posts)
        batch += seeder.thread_rows(post_id, total // posts, start + timedelta(minutes=n))
        if len(batch) >= 100_000:
            seeder.insert_comments(batch)
            batch = []
            print(f"  ... {seeder.next_id - 1:,} comments", flush=True)
    if batch:
        seeder.insert_comments(batch)
    seeder.analyze()
    return time.perf_counter() - began


# --- Query plans -----------------------------------------------------------------------------

def explain_thread(app, slug: str) -> None:
    """Print the plan of every query an anonymous first page of `slug` runs."""
    from sqlalchemy import event

    from blog.extensions import db
    from blog.services import comment_threads, posts

    with app.app_context():
        captured: list[tuple[str, object]] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            captured.append((statement, parameters))

        post = posts.get_visible_post(slug, None)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            comment_threads.thread_version(post)
            comment_threads.thread_page(post, None)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        postgres = db.engine.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
        print(f"query plans for the first page of {slug} ({len(captured)} queries):")
        with db.engine.connect() as connection:
            for statement, parameters in captured:
                print("  " + " ".join(statement.split())[:160])
                plan = connection.exec_driver_sql(prefix + statement, parameters).fetchall()
                for row in plan:
                    print("      " + str(row[-1]))


# --- Server and load --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "BLOG_ENV": "production", "SECRET_KEY": "bench",
           "RATELIMIT_ENABLED": "false", "SESSION_COOKIE_SECURE": "false"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), *gunicorn_args(f"127.0.0.1:{port}", workers), "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


POST_SCRIPT = """
local counter = 0
local token = os.getenv("BENCH_TOKEN")
local tag = os.getenv("BENCH_TAG")
request = function()
  counter = counter + 1
  local body = '{"body": "Bench comment ' .. tag .. ' number ' .. counter .. ', with **markup**"}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end
"""

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, *, connections: int, duration: int, script: str | None = None,
        headers: dict | None = None, env: dict | None = None) -> dict:
    command = ["wrk", "--latency", "-t", str(min(connections, 2)), "-c", str(connections),
               "-d", f"{duration}s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                            env={**os.environ, **(env or {})}).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rate, "p50": p50, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0}


def report(label: str, result: dict) -> None:
    bad = f"  ({result['non2xx']} non-2xx!)" if result["non2xx"] else ""
    print(f"{label:<52} {result['rps']:>9.1f} req/s   p50 {result['p50']:>7.2f} ms"
          f"   p99 {result['p99']:>7.2f} ms{bad}", flush=True)


def measure_reads(base: str, args, slugs: list[str], note: str = "") -> dict:
    results = {}
    for slug in slugs:
        url = f"{base}/api/v1/posts/{slug}/comments"
        results[slug] = wrk(url, connections=1, duration=args.duration)
        report(f"GET {slug} first page, 1 client{note}", results[slug])
        many = 2 * args.workers
        report(f"GET {slug} first page, {many} clients{note}",
               wrk(url, connections=many, duration=args.duration))
    return results


def main() -> None:
    args = parse_args()
    url, drop = scratch_url(args.database)
    app = make_app(url)
    process = None
    try:
        with app.app_context():
            seeder = Seeder(app, random.Random(7))
            token, _ = seeder.setup()
            began = time.perf_counter()
            seed(seeder, "thread-of-50", 50)
            seed(seeder, "thread-of-1000", 1000)
            seeder.post("writes-go-here", 0)
            seeder.analyze()
            print(f"database: {app.extensions['sqlalchemy'].engine.dialect.name}, "
                  f"seeded 1,050 comments in {time.perf_counter() - began:.1f}s; "
                  f"gunicorn workers: {args.workers}", flush=True)
        if args.explain:
            explain_thread(app, "thread-of-1000")
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_gunicorn(url, port, args.workers)
        baseline = measure_reads(base, args, ["thread-of-50", "thread-of-1000"])

        thread_url = f"{base}/api/v1/posts/thread-of-1000/comments"
        etag = urllib.request.urlopen(thread_url).headers["ETag"]
        report("GET thread-of-1000 revalidated (304), 1 client",
               wrk(thread_url, connections=1, duration=args.duration,
                   headers={"If-None-Match": etag}))

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(POST_SCRIPT)
        post_url = f"{base}/api/v1/posts/writes-go-here/comments"
        env = {"BENCH_TOKEN": token, "BENCH_TAG": secrets.token_hex(3)}
        report("POST comment, 1 client", wrk(post_url, connections=1, duration=args.duration,
                                             script=script.name, env=env))
        env["BENCH_TAG"] = secrets.token_hex(3)
        report(f"POST comment, {2 * args.workers} clients",
               wrk(post_url, connections=2 * args.workers, duration=args.duration,
                   script=script.name, env=env))
        os.unlink(script.name)

        if args.scale:
            stop(process)
            process = None
            with app.app_context():
                print(f"scaling up: {args.scale_comments:,} more comments ...", flush=True)
                seconds = seed_scale(Seeder.resume(app), args.scale_comments)
                from blog.extensions import db
                from blog.models import Comment

                total = db.session.scalar(select(func.count(Comment.id)))
                print(f"database now holds {total:,} comments (seeded in {seconds:.0f}s)")
            if args.explain:
                explain_thread(app, "thread-of-1000")
            process = start_gunicorn(url, port, args.workers)
            scaled = measure_reads(base, args, ["thread-of-1000"], note=" @1M")
            ratio = scaled["thread-of-1000"]["p50"] / baseline["thread-of-1000"]["p50"]
            print(f"p50 at 1M comments / p50 at 1k comments: {ratio:.2f}x (target <= 1.5x)")
    finally:
        if process is not None:
            stop(process)
        with app.app_context():
            from blog.extensions import db

            db.session.remove()
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
