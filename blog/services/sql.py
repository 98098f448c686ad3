"""SQL helpers that depend on the database dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, exc
from sqlalchemy.dialects import postgresql, sqlite

from blog.database import mark_written
from blog.extensions import db


def insert_ignoring_conflicts(table: Table):
    """Return an INSERT for `table` that skips rows a unique constraint refuses.

    Call `.on_conflict_do_nothing()` on it (PostgreSQL and SQLite both speak ON CONFLICT).
    """
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def execute(statement, parameters: dict | list[dict] | None = None):
    """Run a Core statement on the session's connection, in its transaction.

    For the statements of the hot write paths: `Session.execute` adds the ORM's execution
    layer (events, bind lookup, ORM result set-up) to a statement that has no entities. A
    statement that writes marks the session as written, as the ORM's own execution would
    (blog.database.mark_written).
    """
    session = db.session
    if not statement.is_select:
        mark_written(session)
    return session.connection().execute(statement, parameters)


def is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


class HotRead:
    """A SELECT compiled once per dialect and run on a pooled DBAPI connection.

    For the few reads on an anonymous reader's hot path (a thread's version before a memo hit,
    comment counts). `Connection.execute` spends more time in SQLAlchemy (cache lookup,
    execution context, result wrapping) than SQLite takes to answer such a lookup: a quarter of
    a memo-hit request. Here the statement's SQL is compiled once and the driver runs it.

    Only for statements whose parameters and columns need no type conversion (integers and
    text). Driver errors are raised as SQLAlchemy's, and a lost connection is dropped from the
    pool, so callers and the 503 handler see what `Connection.execute` would have raised.

    On PostgreSQL the SELECT runs in autocommit: otherwise psycopg sends a BEGIN before it and
    the pool a ROLLBACK when it comes back, two more round trips to the server for one read.
    The connection goes back to the pool transactional, as the ORM expects it.
    """

    def __init__(self, statement) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, dict, tuple[str, ...] | None]] = {}

    def rows(self, parameters: dict[str, Any]) -> list[tuple]:
        engine = db.engine
        sql, defaults, positions = self._compiled_for(engine.dialect)
        values = {**defaults, **parameters}
        bound = values if positions is None else [values[name] for name in positions]
        connection = engine.raw_connection()
        in_autocommit = engine.dialect.name == "postgresql"
        cursor = None
        try:
            if in_autocommit:
                connection.driver_connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(sql, bound)
            return cursor.fetchall()
        except engine.dialect.dbapi.Error as error:
            lost = engine.dialect.is_disconnect(error, connection.dbapi_connection, cursor)
            if lost:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(sql, bound, error, engine.dialect.dbapi.Error,
                                          connection_invalidated=lost) from error
        finally:
            if cursor is not None and connection.is_valid:
                cursor.close()
            if in_autocommit and connection.is_valid:
                _end_autocommit(connection, engine.dialect.dbapi.Error)
            connection.close()  # back to the pool (rolled back on return, if it must be)

    def _compiled_for(self, dialect) -> tuple[str, dict, tuple[str, ...] | None]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            positions = tuple(compiled.positiontup) if compiled.positional else None
            found = (compiled.string, compiled.construct_params(_check=False), positions)
            self._compiled[dialect.name] = found
        return found


def _end_autocommit(connection, driver_error) -> None:
    """Make `connection` transactional again, or drop it when it can no longer be told so."""
    try:
        connection.driver_connection.autocommit = False
    except driver_error as error:
        connection.invalidate(error)
