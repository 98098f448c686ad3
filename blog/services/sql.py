"""SQL helpers that depend on the database dialect."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from blog.extensions import db


def insert_ignoring_conflicts(table: Table):
    """Return an INSERT for `table` that skips rows a unique constraint refuses.

    Call `.on_conflict_do_nothing()` on it (PostgreSQL and SQLite both speak ON CONFLICT).
    """
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"
