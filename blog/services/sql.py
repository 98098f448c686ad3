"""SQL helpers that depend on the database dialect."""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any

from sqlalchemy import Select, Table, exc, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import configure_mappers, make_transient_to_detached

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


class RowLoad:
    """A one-row SELECT of a mapped class's own columns, turned into the session's instance.

    What `Session.scalar(select(Model)...)` returns, for half of its cost: on the busiest write
    path (a comment posted with a bearer token), the ORM's execution set-up for the user and
    the post cost more than the two reads. The statement runs as Core (`execute`), so type
    conversion, events and errors are SQLAlchemy's own; the instance joins the session as
    loaded, with nothing pending, and its relationships load when first used.
    """

    def __init__(self, model: type, where) -> None:
        self.model = model
        self.statement: Select = where(select(*model.__table__.c))

    @cached_property
    def _layout(self) -> tuple[Any, tuple[str, ...], tuple[int, ...]]:
        """The mapper, the attribute key of each selected column, the primary key's places
        (worked out at first use: the mappers are configured by then)."""
        mapper = _configured(self.model)
        columns = list(self.model.__table__.c)
        keys = tuple(mapper.get_property_by_column(column).key for column in columns)
        primary_key = tuple(next(i for i, column in enumerate(columns) if column is key_column)
                            for key_column in mapper.primary_key)
        return mapper, keys, primary_key

    def one(self, parameters: dict[str, Any]):
        """Return the instance for the first row, or None when there is none."""
        row = execute(self.statement, parameters).first()
        return None if row is None else self._instance(row)

    def _instance(self, row):
        session = db.session
        mapper, keys, primary_key = self._layout
        held = session.identity_map.get(
            mapper.identity_key_from_primary_key([row[i] for i in primary_key]))
        if held is not None:  # as a query does: the session's own instance, as it is
            return held
        instance = new_transient(self.model, dict(zip(keys, row, strict=True)))
        make_transient_to_detached(instance)
        session.add(instance)
        return instance


def new_transient(model: type, values: dict[str, Any]):
    """Return a new, transient instance of `model` holding `values` (attribute keys).

    The declarative constructor sets each attribute through its instrumentation, one event
    each; for an instance that is about to be written by hand (or has been read) that
    bookkeeping is all waste. Validators (`@validates`) do not run either: the caller sets
    what they would. Attributes set later are tracked as usual.
    """
    instance = _configured(model).class_manager.new_instance()
    instance.__dict__.update(values)
    return instance


@cache
def _configured(model: type):
    """Return `model`'s mapper, configured: making an instance without its constructor does
    not configure the mappers, as the constructor or a query would."""
    configure_mappers()
    return inspect(model)


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
