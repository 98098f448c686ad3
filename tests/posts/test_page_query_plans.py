"""The article page's follow look-ups and the front page's way back use indexes (EXPLAIN).

On SQLite, whose planner has no statistics on a fresh database: the look-ups must be searches
of an index, never a scan of the table, and pages must be read in index order, never sorted.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from blog.extensions import db
from blog.services import follows
from tests.factories import make_post


@pytest.fixture(autouse=True)
def need_sqlite(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner without statistics; PostgreSQL plans by table size")


@contextmanager
def statements_about(table_name: str):
    """Record the SELECTs that read `table_name` while the block runs."""
    seen: list[tuple[str, tuple]] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table_name}" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def plan_of(statement: str, parameters) -> str:
    with db.engine.connect() as connection:
        return " | ".join(row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))


def test_the_follow_levels_on_an_article_are_index_searches(reader_client, reader, author):
    post = make_post(author, "The harbour bridge reopens")
    follows.follow_post(reader, post, "all")
    db.session.commit()
    with statements_about("follows") as seen:
        page = reader_client.get(f"/posts/{post.slug}").get_data(as_text=True)
    assert "Following this discussion" in page or 'value="all" selected' in page
    assert len(seen) == 2  # the thread and the author: a constant number, whatever the page
    for statement, parameters in seen:
        plan = plan_of(statement, parameters)
        assert "SCAN" not in plan, plan
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan


def test_the_front_pages_way_back_reads_the_index_in_order(client, author):
    for number in range(25):
        make_post(author, f"Story number {number}")
    first = client.get("/").get_data(as_text=True)
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    with statements_about("posts") as seen:
        second = client.get(older).get_data(as_text=True)
    assert 'rel="prev"' in second
    listing = [(s, p) for s, p in seen if "ORDER BY" in s]
    assert len(listing) == 2  # the page and the look back for a previous one
    for statement, parameters in listing:
        plan = plan_of(statement, parameters)
        assert "ix_posts_status_published" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
