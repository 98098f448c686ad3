"""The migrations: an empty database upgraded to head has exactly the models' schema.

Generic on purpose: it compares whatever the migrations build with whatever the models declare,
so it keeps working (and keeps catching drift) as features add tables.
"""

from __future__ import annotations

import warnings

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from blog import create_app
from blog.extensions import db
from config import TestingConfig
from tests.database import scratch_database


@pytest.fixture
def scratch_app(tmp_path):
    """An app on an empty database of its own (a SQLite file or a fresh PostgreSQL schema)."""
    with scratch_database(tmp_path, name="migrations") as url:

        class Scratch(TestingConfig):
            SQLALCHEMY_DATABASE_URI = url

        app = create_app(Scratch)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


#: Indexes on expressions, which SQLAlchemy cannot reflect on SQLite: compared by name instead.
EXPRESSION_INDEXES = {"ix_comments_status_toxicity"}


def schema_differences() -> list:
    with db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def index_names() -> set[str]:
    """Every index's name, from the database's catalogue (expression indexes included)."""
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    with db.engine.connect() as connection:
        return set(connection.execute(text(query)).scalars())


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_builds_every_table_and_downgrade_removes_them(scratch_app):
    assert table_names() == set()

    flask_migrate.upgrade()
    assert table_names() >= {"alembic_version", "users", "posts", "tags", "post_tags",
                             "api_tokens"}

    flask_migrate.downgrade(revision="base")
    assert table_names() <= {"alembic_version"}


def test_the_migrated_schema_matches_the_models(scratch_app):
    flask_migrate.upgrade()

    assert schema_differences() == []
    assert index_names() >= EXPRESSION_INDEXES


def test_comments_written_without_a_text_key_get_one(scratch_app):
    """So the repeat rule finds them: the demo content used to be written without keys."""
    from sqlalchemy import select

    from blog.models import Comment, Post, User
    from blog.services.moderation_rules import text_key

    flask_migrate.upgrade(revision="0002")
    with db.engine.begin() as connection:
        connection.execute(User.__table__.insert(), {
            "id": 1, "email": "r@example.test", "display_name": "R", "password_hash": "x"})
        connection.execute(Post.__table__.insert(), {
            "id": 1, "slug": "p", "title": "P", "summary": "", "body_html": "", "author_id": 1,
            "status": "published", "comments_open": True, "comment_count": 0})
        connection.execute(Comment.__table__.insert(), [
            {"id": 1, "post_id": 1, "author_id": 1, "body": "Great  Reporting!", "text_key": None},
            {"id": 2, "post_id": 1, "author_id": 1, "body": "", "text_key": None},
        ])

    flask_migrate.upgrade()

    with db.engine.connect() as connection:
        keys = dict(connection.execute(select(Comment.id, Comment.text_key)).all())
    assert keys == {1: text_key("great reporting!"), 2: None}
