"""Importing a large Disqus export: comments per second and the importer's peak memory.

Writes a synthetic Disqus XML export of about `--megabytes` (default 200) in Disqus's own format
(threads first, then posts in no order: a reply can come before its parent), migrates a scratch
database and runs the real command, `flask --app wsgi import disqus FILE`, in a child process,
whose peak resident memory is read from the kernel when it exits (`os.wait4`).

Run from the repository root:
    .venv/bin/python bench/import_bench.py [--megabytes 200]    # or: make bench-import
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python ...
Without BENCH_DATABASE_URL it imports into a scratch SQLite file. On PostgreSQL it works in a
schema of its own, which it drops at the end.

The export has one thread per 150 comments plus one viral thread holding a tenth of them (the
case that made the old per-batch recount slow down as the thread grew); 40 % of comments are
replies, 2 % spam, 2 % deleted, 1 % replies to a comment that was never exported; 5,000 authors.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        '  <category dsq:id="1"><forum>ledger</forum><title>General</title></category>\n')
WORDS = ["council", "harbour", "ferry", "budget", "school", "rail", "tram", "housing", "rent",
         "election", "mayor", "water", "flood", "bridge", "museum", "library", "hospital",
         "nurse", "strike", "fare", "bus", "route", "park", "festival", "market", "tax", "road",
         "cycle", "lane", "police", "court", "report", "minister", "plan", "vote"]
AUTHORS = 5_000


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def message(rng: random.Random) -> str:
    """One to three paragraphs of HTML, as Disqus stores them (CDATA, <p>, <br>, links)."""
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        text = " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.2:
            text += ' See <a href="https://news.example.com/more">this</a>.'
        if rng.random() < 0.2:
            text = text.replace(". ", ".<br>", 1)
        paragraphs.append(f"<p>{text}</p>")
    return "".join(paragraphs)


def write_disqus_export(path: Path, megabytes: float, seed: int = 7,
                        comments_per_thread: int = 150) -> int:
    """Write the export; return how many comments (<post>s) it holds."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    estimated_comments = max(30, target // 620)
    thread_count = max(2, estimated_comments // comments_per_thread)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for number in range(thread_count):
            out.write(f'  <thread dsq:id="t{number}"><id/><forum>ledger</forum>'
                      f"<link>https://news.example.com/2019/story-{number}/</link>"
                      f"<title>{escape(sentence(rng))}</title>"
                      "<createdAt>2019-03-01T08:00:00Z</createdAt></thread>\n")
        written, by_thread = 0, {}
        while out.tell() < target:
            thread = 0 if rng.random() < 0.1 else rng.randrange(thread_count)
            earlier = by_thread.setdefault(thread, [])
            parent = ""
            if earlier and rng.random() < 0.4:
                parent = f'<parent dsq:id="p{rng.choice(earlier[-50:])}"/>'
            elif rng.random() < 0.01:
                parent = f'<parent dsq:id="gone{written}"/>'
            author = rng.randrange(AUTHORS)
            roll = rng.random()
            out.write(
                f'  <post dsq:id="p{written}"><id/><message><![CDATA[{message(rng)}]]></message>'
                f"<createdAt>2019-{rng.randint(3, 12):02d}-{rng.randint(1, 28):02d}T"
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z</createdAt>"
                f"<isDeleted>{'true' if 0.02 <= roll < 0.04 else 'false'}</isDeleted>"
                f"<isSpam>{'true' if roll < 0.02 else 'false'}</isSpam>"
                f"<author><email>reader{author}@example.com</email><name>Reader {author}</name>"
                f"<isAnonymous>false</isAnonymous><username>reader{author}</username></author>"
                f'<ipAddress>127.0.0.1</ipAddress><thread dsq:id="t{thread}"/>{parent}</post>\n')
            earlier.append(written)
            written += 1
        out.write("</disqus>\n")
    return written


def run(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run `command`; return its wall time, its peak RSS in kB and its last output line."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {output[-2000:]}")
    return elapsed, usage.ru_maxrss, (output.strip().splitlines() or [""])[-1]


def database_env(workdir: Path) -> tuple[dict[str, str], callable]:
    """The child's environment (a scratch database) and a clean-up for it."""
    env = dict(os.environ, BLOG_INSTANCE_PATH=str(workdir), RATELIMIT_ENABLED="false")
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'import.db'}"
        return env, lambda: None
    import sqlalchemy

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    env["DATABASE_URL"] = f"{url}{separator}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()

    return env, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=200)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="import-bench-") as scratch:
        workdir = Path(scratch)
        export = workdir / "disqus.xml"
        started = time.perf_counter()
        comments = write_disqus_export(export, args.megabytes)
        size = export.stat().st_size / 1024 / 1024
        print(f"export: {size:,.0f} MB, {comments:,} comments "
              f"(written in {time.perf_counter() - started:.0f} s)")
        env, clean_up = database_env(workdir)
        try:
            run([python, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env)
            database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
            seconds, peak_kb, summary = run(
                [python, "-m", "flask", "--app", "wsgi", "import", "disqus", str(export)], env)
            print(f"import ({database}): {seconds:,.0f} s, {comments / seconds:,.0f} comments/s, "
                  f"{size / seconds:.2f} MB/s, peak RSS {peak_kb / 1024:,.0f} MB")
            print(f"  {summary}")
            seconds, peak_kb, summary = run(
                [python, "-m", "flask", "--app", "wsgi", "import", "disqus", str(export)], env)
            print(f"again (idempotent): {seconds:,.0f} s, peak RSS {peak_kb / 1024:,.0f} MB")
            print(f"  {summary}")
        finally:
            clean_up()


if __name__ == "__main__":
    main()
