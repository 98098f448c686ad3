"""SQL helpers that depend on the database dialect."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from sqlalchemy import Table, exc, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import configure_mappers

from blog.database import mark_written, take_turn_before_first_write, take_turn_if_writing
from blog.extensions import db


def insert_ignoring_conflicts(table: Table, dialect=None):
    """Return an INSERT for `table` that skips rows a unique constraint refuses.

    Call `.on_conflict_do_nothing()` on it (PostgreSQL and SQLite both speak ON CONFLICT).
    The dialect is the session's unless given.
    """
    dialect = dialect or db.session.get_bind().dialect
    module = postgresql if dialect.name == "postgresql" else sqlite
    return module.insert(table)


class DriverStatement:
    """A Core statement compiled once per dialect and run by the driver, on the session's
    connection and in its transaction.

    For the statements of the busiest write path (a comment posted, seven statements). Per
    statement, `Connection.execute` costs about fifteen times what the driver takes to run it
    (cache key, compiled-cache lookup, execution context, result set-up), and
    `exec_driver_sql` about five: posting ran 6 % faster on the driver's cursor than through
    `exec_driver_sql`, itself 8 % faster than `execute` (2 cores, SQLite, interleaved runs).
    Rerun 2026-12-07 against a tree where these statements, HotRead and the old one-row ORM
    loader went through `Session.execute` (`python -m bench --no-isso --only post,thread50,counts
    --runs 1 --duration 5 --concurrency 8`, interleaved, 3 rounds): posting 704 against 534
    req/s on SQLite and 375 against 238 on PostgreSQL, well past the runs' spread (about
    10 %). The one-row loader (a hand-made ORM instance from a driver row) gained nothing
    measurable (704/572 against 700/626 req/s) and was removed for `Session.scalar`.

    What the cursor alone would skip is done here, with SQLAlchemy's own pieces: each value
    goes through its type's bind processor, a column default missing from an INSERT's
    parameters is computed (zero-argument callables and scalars only), rows read come back
    through the columns' result processors, driver errors are raised as SQLAlchemy's (and a
    lost connection is invalidated), and SQLite's write turn is taken before a write
    (blog.database). When anything observes statements (a `before_cursor_execute` listener
    besides the write turn's, any `after_cursor_execute` or `handle_error` listener, the
    engine's logging), the statement goes through `exec_driver_sql` instead, so that observer
    sees it as it would any other.

    `statement` may be a function of the dialect that returns it (a dialect's own INSERT).
    Parameters that expand (IN lists) are not supported.
    """

    def __init__(self, statement, *, returning_id: bool = False) -> None:
        self._statement = statement
        self._returning_id = returning_id
        self._plans: dict[tuple, _DriverPlan] = {}

    def execute(self, parameters: dict[str, Any]) -> None:
        """Run the statement (an UPDATE, or an INSERT whose id nobody needs)."""
        self._run(parameters)[1].close()

    def inserted_id(self, parameters: dict[str, Any]) -> int:
        """Run the INSERT (made with `returning_id=True`) and return the new row's id."""
        plan, result = self._run(parameters)
        try:
            return result.lastrowid if plan.uses_lastrowid else result.scalar_one()
        finally:
            result.close()

    def first(self, parameters: dict[str, Any]) -> tuple | None:
        """Run the SELECT and return its first row with its columns' types applied, or None."""
        plan, result = self._run(parameters)
        row = result.first()
        return None if row is None else plan.process_row(row)

    def _run(self, parameters: dict[str, Any]):
        session = db.session
        connection = session.connection()
        plan = self._plan_for(connection.dialect, parameters)
        if plan.writes:
            mark_written(session)
        bound = plan.bind(parameters)
        if _observed(connection):
            return plan, connection.exec_driver_sql(plan.sql, bound)
        return plan, _run_on_cursor(connection, plan.sql, bound)

    def _plan_for(self, dialect, parameters: dict[str, Any]) -> _DriverPlan:
        key = (dialect.name, *parameters)
        plan = self._plans.get(key)
        if plan is None:
            statement = self._statement
            if callable(statement):
                statement = statement(dialect)
            plan = self._plans[key] = _DriverPlan(statement, dialect, list(parameters),
                                                  returning_id=self._returning_id)
        return plan


class _DriverPlan:
    """A statement compiled for one dialect and one set of parameter names, with what it
    takes to bind its values and read its rows as `Connection.execute` would."""

    def __init__(self, statement, dialect, keys: list[str], *, returning_id: bool) -> None:
        self.uses_lastrowid = returning_id and dialect.postfetch_lastrowid
        if returning_id and not self.uses_lastrowid:
            statement = statement.returning(*statement.table.primary_key)
        elif statement.is_insert and not returning_id:
            statement = statement.inline()  # no RETURNING of an id nobody reads
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        binds = compiled.binds
        if any(bind.expanding or bind.literal_execute for bind in binds.values()):
            raise TypeError("DriverStatement does not support expanding parameters")
        self.sql = compiled.string
        self.writes = not statement.is_select
        self.positions = tuple(compiled.positiontup) if compiled.positional else None
        self.defaults = {**_defaults_of(compiled.insert_prefetch, "default"),
                         **_defaults_of(compiled.update_prefetch, "onupdate")}
        self.fixed = {name: bind.effective_value for name, bind in binds.items()
                      if not bind.required and name not in self.defaults}
        self.required = frozenset(binds).difference(self.fixed, self.defaults)
        self.bind_processors = [
            (name, processor) for name, bind in binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
        ]
        self.result_processors = (
            [column.type.dialect_impl(dialect).result_processor(dialect, None)
             for column in statement.selected_columns]
            if statement.is_select else [])

    def bind(self, parameters: dict[str, Any]) -> tuple | dict:
        if not self.required.issubset(parameters):
            missing = self.required.difference(parameters)
            raise exc.ArgumentError(f"A value is required for {sorted(missing)}")
        values = {**self.fixed, **parameters} if self.fixed else dict(parameters)
        for name, default in self.defaults.items():
            if name not in values:
                values[name] = default()
        for name, processor in self.bind_processors:
            values[name] = processor(values[name])
        return values if self.positions is None else tuple(values[n] for n in self.positions)

    def process_row(self, row) -> tuple:
        return tuple(value if processor is None else processor(value)
                     for processor, value in zip(self.result_processors, row, strict=True))


_ENGINE_LOG = logging.getLogger("sqlalchemy.engine.Engine")


def _observed(connection) -> bool:
    """Tell whether anything but the product's write turn watches `connection`'s statements.

    Listeners are looked for on its engine (where `event.listen(engine, ...)` and listeners on
    every Engine go), not on the one Connection object: the connection's joined view of them
    costs more to ask than the rest of this check.
    """
    engine = connection.engine
    dispatch = engine.dispatch
    if dispatch.after_cursor_execute or engine.dialect.dispatch.handle_error:
        return True
    if any(listener is not take_turn_before_first_write
           for listener in dispatch.before_cursor_execute):
        return True
    return engine.echo or _ENGINE_LOG.isEnabledFor(logging.INFO)


def _run_on_cursor(connection, statement: str, parameters) -> _CursorResult:
    """Run `statement` on a cursor of `connection`'s driver connection, failing as
    `Connection.exec_driver_sql` would."""
    take_turn_if_writing(connection, statement)
    dialect = connection.dialect
    driver_connection = connection.connection.dbapi_connection
    cursor = driver_connection.cursor()
    try:
        cursor.execute(statement, parameters)
    except dialect.dbapi.Error as error:
        cursor.close()
        raise _as_sqlalchemy_error(error, statement, parameters, dialect, connection,
                                   driver_connection, cursor) from error
    return _CursorResult(cursor)


def _as_sqlalchemy_error(error, statement: str, parameters, dialect, connection,
                         driver_connection, cursor) -> exc.DBAPIError:
    """Return the driver's `error` as SQLAlchemy would raise it, after invalidating
    `connection` (a Core or a pooled connection) when the error says it is lost."""
    lost = dialect.is_disconnect(error, driver_connection, cursor)
    if lost:
        connection.invalidate(error)
    return exc.DBAPIError.instance(statement, parameters, error, dialect.dbapi.Error,
                                   connection_invalidated=lost)


class _CursorResult:
    """The little of `CursorResult` that DriverStatement uses, on a driver cursor."""

    def __init__(self, cursor) -> None:
        self._cursor = cursor

    @property
    def lastrowid(self) -> int:
        return self._cursor.lastrowid

    def scalar_one(self):
        (value,) = self._cursor.fetchone()
        return value

    def first(self) -> tuple | None:
        try:
            return self._cursor.fetchone()
        finally:
            self.close()

    def close(self) -> None:
        self._cursor.close()


def _defaults_of(columns, attribute: str) -> dict[str, Any]:
    """The Python-side default of each of `columns` (its INSERT or UPDATE default), as a
    function of nothing: a scalar's value, or the zero-argument callable it was given."""
    defaults = {}
    for column in columns:
        default = getattr(column, attribute)
        if default.is_scalar:
            defaults[column.key] = lambda value=default.arg: value
        elif default.is_callable:
            defaults[column.key] = lambda function=default.arg: function(None)
        else:
            raise TypeError(f"DriverStatement cannot compute the default of {column}")
    return defaults


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
    Measured against `Session.execute`, interleaved (2026-12-07, c=8): the thread JSON 2,800
    against 2,000 req/s on SQLite and 2,230 against 1,390 on PostgreSQL; comment counts 2,380
    against 1,870 and 1,990 against 1,220.

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
            raise _as_sqlalchemy_error(error, sql, bound, engine.dialect, connection,
                                       connection.dbapi_connection, cursor) from error
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
