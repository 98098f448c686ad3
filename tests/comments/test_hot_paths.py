"""What keeps the hot paths cheap also keeps them right: counts found by slug, driver-level
reads that fail like any other, one thread-version raise per change, SQLite writers in turn."""

from __future__ import annotations

import fcntl
import os

import pytest
from sqlalchemy import column, create_engine, event, exc, select, table, text, update

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, User
from blog.services import comment_threads, moderation
from blog.services.comment_status import change_status
from blog.services.sql import HotRead
from tests.comments.factories import make_comment


def need_sqlite() -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner and its write lock; PostgreSQL has neither concern")


def version_of(post: Post) -> int:
    return db.session.scalar(select(Post.comments_version).where(Post.id == post.id))


def test_counts_find_posts_by_slug_even_without_planner_statistics(app):
    """Filtering on status as well made SQLite (no ANALYZE) walk every published post."""
    need_sqlite()
    statement = comment_threads._counts_statement(3).statement.compile(db.engine)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar() == 0
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement.string}",
                                          ("a", "b", "c")).all()
    steps = " | ".join(row[-1] for row in plan)
    assert "(slug=?)" in steps and "status" not in steps, steps


def test_counts_leave_out_a_post_taken_offline(client, post, reader):
    make_comment(post, reader)
    assert client.get(f"/api/v1/comment-counts?post={post.slug}").get_json() == {post.slug: 1}

    db.session.execute(update(Post).where(Post.id == post.id).values(status="draft"))
    db.session.commit()

    assert client.get(f"/api/v1/comment-counts?post={post.slug}").get_json() == {post.slug: 0}


def test_a_driver_level_read_fails_as_sqlalchemy_would_and_returns_its_connection(app):
    broken = HotRead(select(column("x")).select_from(table("no_such_table")))
    checked_out = db.engine.pool.checkedout()

    with pytest.raises(exc.DBAPIError):  # what the 503 and 500 handlers expect
        broken.rows({})

    assert db.engine.pool.checkedout() == checked_out


def test_a_version_raise_undone_by_a_savepoint_is_made_again_at_commit(app, post, reader):
    """A memo filed under an unchanged version would show the old thread for good."""
    comment = make_comment(post, reader, status=CommentStatus.PENDING)
    before = version_of(post)

    savepoint = db.session.begin_nested()
    change_status(comment, CommentStatus.APPROVED)  # raises the version with the count
    savepoint.rollback()
    change_status(comment, CommentStatus.REJECTED)
    db.session.commit()

    assert version_of(post) > before


def test_sqlite_writers_take_turns_and_give_the_turn_back_at_commit(app, post):
    need_sqlite()
    db.session.commit()
    database_file = db.engine.url.database
    other_writer = os.open(f"{database_file}-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        db.session.execute(update(Post).where(Post.id == post.id).values(title="Taking a turn"))
        with pytest.raises(BlockingIOError):
            fcntl.flock(other_writer, fcntl.LOCK_EX | fcntl.LOCK_NB)

        db.session.commit()

        fcntl.flock(other_writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other_writer, fcntl.LOCK_UN)
    finally:
        os.close(other_writer)


def turn_is_free() -> bool:
    other_writer = os.open(f"{db.engine.url.database}-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(other_writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(other_writer)  # (which also ends a lock it took)
    return True


def test_the_turn_is_given_back_at_commit_not_when_the_connection_returns(app, post):
    """The next writer goes once COMMIT is done: not after the session has expired its
    instances and checked its connection in, work that needs no lock."""
    need_sqlite()
    db.session.commit()
    seen_after_commit = []
    record = lambda session: seen_after_commit.append(turn_is_free())  # noqa: E731
    event.listen(db.session(), "after_commit", record)  # runs after the product's own
    try:
        db.session.execute(update(Post).where(Post.id == post.id).values(title="Next, please"))
        with db.session.begin_nested():  # a savepoint's end is not the transaction's
            db.session.execute(update(Post).where(Post.id == post.id).values(title="Nested"))
        assert seen_after_commit == [False]

        db.session.commit()
    finally:
        event.remove(db.session(), "after_commit", record)

    assert seen_after_commit == [False, True]


def test_a_posted_comment_gives_the_write_turn_back(reader_client, post):
    need_sqlite()
    response = reader_client.post(f"/api/v1/posts/{post.slug}/comments", json={"body": "Hi"})
    assert response.status_code == 201
    other_writer = os.open(f"{db.engine.url.database}-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(other_writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(other_writer)


def test_a_posted_comment_is_written_by_one_insert_and_not_read_back(reader_client, post):
    """The new comment joins the session as the row it wrote (no flush of it, no reload of
    its columns), and the post it goes on is read without its author."""
    url = f"/api/v1/posts/{post.slug}/comments"
    statements = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = reader_client.post(url, json={"body": "The sea wall vote is **tomorrow**."})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 201, response.get_json()
    assert len([s for s in statements if s.startswith("INSERT INTO comments")]) == 1
    reads_of_comments = [s for s in statements if s.startswith("SELECT") and "FROM comments" in s]
    assert len(reads_of_comments) == 1, reads_of_comments  # the author's standing
    [post_read] = [s for s in statements if s.startswith("SELECT posts.")]
    assert "users" not in post_read

    answer = response.get_json()
    db.session.expire_all()
    stored = db.session.get(Comment, answer["id"])
    assert stored.body_html == answer["body_html"] == "<p>The sea wall vote is <strong>tomorrow" \
        "</strong>.</p>"
    assert stored.created_at.isoformat() == answer["created_at"]
    assert (stored.status, stored.depth, stored.score, stored.text_key is not None) == (
        answer["status"], 0, 0, True)
    assert reader_client.get(f"/api/v1/comments/{answer['id']}").get_json() == answer


def end_idle_connections() -> int:
    """End the server side of every idle connection of the app's pool; wait until they are
    gone (so their sockets have the server's last word), and tell how many there were."""
    db.session.commit()
    db.session.close()  # every connection of the app's pool is idle now
    admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state = 'idle'")).all())
    finally:
        admin.dispose()


def test_a_driver_level_read_gets_past_a_connection_the_server_dropped(app, post):
    """The pool checks a connection before handing it out, raw ones included."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    from blog.services import posts

    slug, post_id = post.slug, post.id
    assert posts.public_post_ref(slug).id == post_id
    assert end_idle_connections()

    assert posts.public_post_ref(slug).id == post_id


def test_requests_get_past_connections_the_server_ended_without_a_ping_per_checkout(
        app, reader_client, post):
    """No `SELECT 1` before every request (pool_pre_ping); a connection the server ended is
    still never handed to a request: the socket tells."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    assert not db.engine.pool._pre_ping
    url = f"/api/v1/posts/{post.slug}/comments"
    assert reader_client.post(url, json={"body": "Before the restart"}).status_code == 201
    assert end_idle_connections()

    first = reader_client.get(url)
    written = reader_client.post(url, json={"body": "After the restart"})
    assert first.status_code == 200, first.get_json()
    assert written.status_code == 201, written.get_json()
    assert [c["body_html"] for c in reader_client.get(url).get_json()["items"]] == [
        "<p>Before the restart</p>", "<p>After the restart</p>"]


def test_a_connection_with_something_to_read_is_asked_before_it_is_dropped(app):
    """A notification waiting on an idle connection is not the server's goodbye: the pool
    keeps a connection that still answers."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    import select

    db.session.close()
    pooled = db.engine.raw_connection()
    listener = pooled.driver_connection
    listener.execute("LISTEN blog_pool_test")
    listener.commit()
    pooled.close()
    notifier = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with notifier.connect() as connection:
            connection.exec_driver_sql("NOTIFY blog_pool_test")
    finally:
        notifier.dispose()
    assert select.select([listener.pgconn.socket], [], [], 5)[0], "no notification arrived"

    again = db.engine.raw_connection()  # the pool's only idle connection: the listener
    try:
        assert again.driver_connection is listener
        again.driver_connection.execute("UNLISTEN *")
        again.driver_connection.commit()
    finally:
        again.close()


def test_a_driver_level_read_gives_its_connection_back_transactional(app, post):
    """It reads in autocommit on PostgreSQL (no BEGIN, no ROLLBACK); the ORM, which gets the
    connection next, must still find its writes undone by a rollback."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("autocommit for driver-level reads: PostgreSQL")
    from sqlalchemy.pool import Pool

    from blog.services import posts

    slug, post_id = post.slug, post.id
    given_back = []

    def record(dbapi_connection, connection_record):
        given_back.append(dbapi_connection.autocommit)

    event.listen(Pool, "checkin", record)
    try:
        assert posts.public_post_ref(slug).id == post_id
    finally:
        event.remove(Pool, "checkin", record)
    assert given_back == [False]

    with db.engine.connect() as connection:
        connection.execute(update(Post).where(Post.id == post_id).values(title="Not kept"))
        connection.rollback()
    db.session.expire_all()
    assert db.session.get(Post, post_id).title != "Not kept"


def test_the_pipelines_look_at_an_author_uses_the_indexes_made_for_it(app, post, reader):
    """Not the (author_id, created_at) index, which walks every recent comment of the author:
    SQLite picked it, without statistics, for the spam and the repeat look-ups."""
    need_sqlite()
    app.config["MODERATION_REPEAT_WINDOW_SECONDS"] = 3600  # off for the other comment tests
    for number in range(3):
        make_comment(post, reader, f"Comment number {number}")
    statements = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        comment = Comment(post_id=post.id, author_id=reader.id, body="Once more, with feeling")
        moderation.assess_comment(comment)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    touching_comments = [(s, p) for s, p in statements if "FROM comments" in s]
    assert len(touching_comments) == 1  # the standing, the repeat look-up in it
    [(statement, parameters)] = touching_comments
    with db.engine.connect() as connection:
        plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))
    assert "ix_comments_author_created" not in plan, plan
    assert "SCAN comments" not in plan, plan
    assert "ix_comments_author_text_created" in plan, plan


def test_one_posts_comments_are_found_by_its_index_not_by_walking_every_post(
        app, client, post, reader):
    """The post's comment feed used to walk every approved comment of the site, newest first,
    for the few of this post; deleting a post scanned the whole table for its comments."""
    need_sqlite()
    make_comment(post, reader, "First on the feed")
    statements = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if "FROM comments" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(f"/feeds/posts/{post.slug}/comments.atom")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200 and b"First on the feed" in response.data
    [(feed_read, parameters)] = statements
    with db.engine.connect() as connection:
        feed_plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {feed_read}", parameters))
        cascade_plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM comments WHERE post_id = ?", (post.id,)))
    assert "ix_comments_post_status_created (post_id=? AND status=?)" in feed_plan, feed_plan
    assert "TEMP B-TREE" not in feed_plan, feed_plan  # read in the feed's order, not sorted
    assert "ix_comments_post_status_created (post_id=?)" in cascade_plan, cascade_plan


def test_a_row_load_gives_what_the_orm_query_gives(app, author):
    """The user behind a token and the post a comment goes on are read as Core rows: the
    instances must still be the session's, converted, clean, and lazy where they should be."""
    from blog.services import accounts, posts
    from tests.factories import make_post

    post = make_post(author, tags=["Transport", "Energy"])
    token = accounts.create_api_token(post.author, "phone")
    author_id, post_id, slug = post.author_id, post.id, post.slug
    tag_names = [tag.name for tag in post.tags]
    db.session.commit()
    db.session.close()

    user = accounts.user_for_token(token)
    loaded = posts.get_visible_post(slug, None, with_author=False)
    assert user is db.session.get(User, author_id) and loaded is db.session.get(Post, post_id)
    assert user.created_at.tzinfo is not None and loaded.published_at.tzinfo is not None
    assert loaded.comments_open is True
    assert not db.session.dirty and not db.session.new
    assert loaded.author is user  # found in the session, not read again
    assert [tag.name for tag in loaded.tags] == tag_names == ["Energy", "Transport"]
    assert user.tokens[0].name == "phone"

    loaded.title = "Changed in the session"
    assert posts.get_visible_post(slug, None, with_author=False) is loaded
    assert loaded.title == "Changed in the session"  # the session's own, as a query leaves it
    db.session.rollback()
    assert accounts.user_for_token(token + "x") is None


FIRST_REQUEST = """
import sys
from blog import create_app
from config import TestingConfig

class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]

client = create_app(Config).test_client()
answer = client.post(f"/api/v1/posts/{sys.argv[2]}/comments", json={"body": "First words"},
                     headers={"Authorization": f"Bearer {sys.argv[3]}"})
print(answer.status_code, answer.get_json().get("body_html"))
"""


def test_a_fresh_worker_can_answer_a_comment_posted_with_a_token_first(app, post, reader):
    """A new gunicorn worker's first request may be this one, before any query or constructor
    has configured the ORM's mappers (the instances here are made without either)."""
    import subprocess
    import sys
    from pathlib import Path

    from blog.services import accounts

    token = accounts.create_api_token(reader, "phone")
    slug = post.slug
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", FIRST_REQUEST, url, slug, token],
                          capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "201 <p>First words</p>", done.stderr[-3000:]
