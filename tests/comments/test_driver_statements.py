"""Statements run by the driver (blog.services.sql.DriverStatement) store and read values as the
ORM does: a comment posted on the fast path is the same comment the rest of the product sees."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, column, create_engine, event, exc, insert, select, table

from blog.extensions import db
from blog.models import Ban, Comment, Event, EventKind, Post, User
from blog.services import comment_status, events, moderation, sql
from tests.comments.factories import make_comment
from tests.comments.test_hot_paths import turn_is_free


def stored(statement_sql: str, *parameters):
    """The values as the database holds them (no type conversion on the way back)."""
    return db.session.connection().exec_driver_sql(statement_sql, parameters).one()


def test_an_event_is_stored_as_the_orm_stores_one(app, post, reader):
    orm_event = Event(kind=EventKind.COMMENT_APPROVED.value, key="by-orm", post_id=post.id)
    db.session.add(orm_event)
    db.session.flush()

    events._record(EventKind.COMMENT_APPROVED, "by-driver", post_id=post.id)

    by_driver = db.session.scalar(select(Event).where(Event.key == "by-driver"))
    assert by_driver.data == {}  # the column's default, not NULL
    assert abs(by_driver.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    raw = "SELECT data, created_at FROM events WHERE key = " + (
        "?" if db.engine.dialect.name == "sqlite" else "%s")
    orm_data, orm_created = stored(raw, "by-orm")
    driver_data, driver_created = stored(raw, "by-driver")
    assert driver_data == orm_data
    # Same shape as the ORM's (on SQLite a text whose order is time order)
    assert type(driver_created) is type(orm_created)
    if isinstance(orm_created, str):
        assert len(driver_created) == len(orm_created)


def test_a_posted_comment_reads_back_as_written(reader_client, post, db):
    response = reader_client.post(f"/api/v1/posts/{post.slug}/comments",
                                  json={"body": "Fine <b>work</b> on the harbour"})
    assert response.status_code == 201

    db.session.expire_all()
    comment = db.session.get(Comment, response.get_json()["id"])
    assert comment.body == "Fine <b>work</b> on the harbour"
    assert comment.signals == []
    assert comment.created_at.tzinfo is not None
    later = db.session.scalar(select(Comment.id).where(
        Comment.created_at >= comment.created_at - timedelta(seconds=1)))
    assert later == comment.id  # the stored time compares as a time


def test_standing_reads_a_ban_end_as_a_time(app, reader, post):
    db.session.add(Ban(user_id=reader.id, until=datetime.now(UTC) + timedelta(hours=1)))
    db.session.flush()

    standing = moderation.commenter_standing(reader.id, post.id)

    assert standing.banned
    assert standing.ban_until > datetime.now(UTC)


def test_a_parameter_left_out_is_named_in_the_error(app, post):
    with pytest.raises(exc.ArgumentError, match="post_id"):
        comment_status._COUNT_ON_POST.execute({"delta": 1})
    assert db.session.get(Post, post.id).comment_count == 0


def test_a_refused_insert_raises_sqlalchemys_integrity_error(app, post, reader):
    comment = make_comment(post, reader)
    duplicate = sql.DriverStatement(insert(Comment.__table__), returning_id=True)
    values = {column.key: getattr(comment, column.key) for column in Comment.__table__.c}

    with pytest.raises(exc.IntegrityError), db.session.begin_nested():
        duplicate.inserted_id(values)  # the same id again

    assert db.session.get(Comment, comment.id) is comment  # the session goes on


def test_inserted_id_is_the_new_rows_id(app):
    statement = sql.DriverStatement(insert(User.__table__), returning_id=True)
    first = statement.inserted_id({"email": "a@example.test", "display_name": "A",
                                   "password_hash": "-"})
    second = statement.inserted_id({"email": "b@example.test", "display_name": "B",
                                    "password_hash": "-"})

    assert db.session.get(User, second).email == "b@example.test"
    assert second != first and db.session.get(User, first).display_name == "A"


def test_expanding_parameters_are_refused(app):
    statement = sql.DriverStatement(
        select(User.id).where(User.id.in_(bindparam("ids", expanding=True))))

    with pytest.raises(TypeError, match="expanding"):
        statement.first({"ids": [1, 2]})


def test_an_observer_of_statements_sees_driver_statements_too(app, post):
    seen = []

    def record(connection, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        comment_status._COUNT_ON_POST.execute({"post_id": post.id, "delta": 1})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert any(statement.startswith("UPDATE posts") for statement in seen), seen
    assert db.session.scalar(select(Post.comment_count).where(Post.id == post.id)) == 1


def test_driver_statements_are_logged_when_sql_logging_is_on(app, post, caplog):
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine.Engine")

    comment_status._COUNT_ON_POST.execute({"post_id": post.id, "delta": 1})

    assert "UPDATE posts SET comment_count" in caplog.text


def test_a_failing_statement_raises_sqlalchemys_error_and_the_session_goes_on(app, post):
    broken = sql.DriverStatement(select(column("x")).select_from(table("no_such_table")))

    with pytest.raises(exc.DBAPIError) as raised:  # what the 503 and 500 handlers expect
        broken.first({})

    assert not raised.value.connection_invalidated
    db.session.rollback()
    assert db.session.get(Post, post.id).slug == post.slug


def test_a_connection_the_server_ended_is_dropped_not_reused(app, post):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that ends connections: PostgreSQL")
    post_id = post.id
    db.session.commit()
    backend = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({backend}, 10000)")
    finally:
        admin.dispose()

    with pytest.raises(exc.DBAPIError) as raised:
        comment_status._COUNT_ON_POST.execute({"post_id": post_id, "delta": 1})

    assert raised.value.connection_invalidated
    db.session.rollback()
    assert db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one() \
        != backend
    assert db.session.get(Post, post_id).comment_count == 0


def test_a_driver_statement_that_writes_takes_sqlites_write_turn(app, post):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write turn")
    db.session.commit()

    comment_status._COUNT_ON_POST.execute({"post_id": post.id, "delta": 1})
    assert not turn_is_free()

    db.session.commit()
    assert turn_is_free()
