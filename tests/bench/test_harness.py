"""The benchmark harness: its bulk seed is read by the product as the API would have written it,
and the pieces that turn wrk's output into figures compute what they claim."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from bench import content
from bench.ceiling import fixed_body
from bench.cpu import cpu_used, per_request
from bench.load import _parse
from bench.report import _cell, cpu_rows, stats
from bench.seed import seed_base, seed_scale
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post


def test_seeded_threads_read_back_through_the_api(client):
    seed_base()
    thread = content.make_thread(content.THREAD_50, "", 50)

    page = client.get(f"/api/v1/posts/{content.THREAD_50}/comments").get_json()

    first_author = content.authors()[thread.comments[0].author]
    assert len(page["items"]) == 20
    assert page["items"][0]["author"]["display_name"] == first_author.display_name
    assert [len(item["replies"]) for item in page["items"][:5]] == [0, 0, 0, 1, 0]


def test_seeded_counts_match_the_threads(client):
    seed_base()
    expected = {thread.slug: len(thread.comments) for thread in content.base_threads()}

    query = "&".join(f"post={slug}" for slug in content.count_slugs())
    counts = client.get(f"/api/v1/comment-counts?{query}").get_json()

    assert counts == {slug: expected[slug] for slug in content.count_slugs()}
    assert counts[content.THREAD_1000] == 1000


def test_scale_posts_count_their_approved_comments(client):
    seed_scale(seed_base(), posts=3, comments=300)
    slugs = [f"bench-scale-{number:05d}" for number in range(3)]
    approved = dict(db.session.execute(
        select(Post.slug, func.count(Comment.id)).join(Comment, Comment.post_id == Post.id)
        .where(Post.slug.in_(slugs), Comment.status == CommentStatus.APPROVED.value)
        .group_by(Post.slug)).all())

    counts = client.get("/api/v1/comment-counts?" + "&".join(f"post={s}" for s in slugs))

    assert counts.get_json() == approved
    assert 0 < min(approved.values()) < 100  # some of each post's 100 are held or refused


def test_the_seeded_token_posts_a_comment(client):
    seeded = seed_base()

    response = client.post(f"/api/v1/posts/{content.POST_TARGET}/comments",
                           json={"body": "A benchmark comment."},
                           headers={"Authorization": f"Bearer {seeded.token}"})

    assert response.status_code == 201, response.get_json()


def test_both_products_get_the_same_threads():
    first, again = content.threads_as_json(content.base_threads()), content.threads_as_json(
        content.base_threads())
    assert first == again
    assert sum(len(thread["comments"]) for thread in first) == 50 + 1000 + sum(
        n % 7 for n in range(1, content.NEIGHBOUR_COUNT + 1))


@pytest.mark.parametrize("size", [30_000, 17_622, 100])
def test_ceiling_body_is_json_of_the_asked_size(size):
    body = fixed_body(size)
    assert len(body) == size
    json.loads(body)


def test_wrk_summary_line_becomes_rates_and_errors():
    line = ('BENCH_RESULT {"requests": 3000, "duration_us": 15000000, "bytes": 9, "p50_us": 2500, '
            '"p90_us": 4000, "p99_us": 9000, "max_us": 12000, "errors_connect": 0, '
            '"errors_read": 0, "errors_write": 0, "errors_status": 2, "errors_timeout": 1}')
    summary = _parse("Running 15s test\n" + line + "\n")
    assert summary["rps"] == 200
    assert summary["errors"] == 3


def test_cells_show_median_and_range_over_runs():
    runs = [{"rps": r, "p50_us": 1000 * r, "p99_us": 0, "errors": 0} for r in (10, 30, 20)]
    figures = stats({"runs": {"8": runs}}, "8")
    assert figures["rps"] == (20, 10, 30)
    assert _cell(figures["rps"]) == "20.0 (10.0-30.0)"
    assert stats({"runs": {}}, "8") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CPU time is read from /proc")
def test_cpu_time_of_the_server_session_is_counted_as_the_app():
    spin = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"
    server = subprocess.Popen(
        [sys.executable, "-c", spin + "\nprint('spun', flush=True)\ntime.sleep(60)"],
        start_new_session=True, stdout=subprocess.PIPE, text=True)
    try:
        with cpu_used(server.pid) as used:
            subprocess.run([sys.executable, "-c", spin], check=True)  # a child: the load tool
            assert server.stdout.readline() == "spun\n"
        assert used["load tool"] >= 0.35
        assert 0.2 <= used["app"] < 0.5  # the server session's spin, most of it inside the block
    finally:
        server.kill()
        server.wait()
    assert per_request({"app": 0.5, "load tool": 0.25}, 250) == {"app": 2.0, "load tool": 1.0}


def test_cpu_table_shows_each_groups_median_and_the_cores_busy():
    runs = [{"rps": rps, "cpu_ms": {"app": app, "database": 1.0, "load tool": 0.2}}
            for rps, app in ((400, 3.0), (500, 4.0), (300, 2.0))]
    targets = {"ours-postgresql": {"label": "ours (PostgreSQL)",
                                   "scenarios": {"post": {"runs": {"8": runs}}}}}
    [row] = cpu_rows(targets, "8")
    assert row == ["ours (PostgreSQL)", "post a comment", "400", "3.00", "1.00", "0.20", "4.20",
                   "1.68"]
