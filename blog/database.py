"""Connection set-up that the ORM cannot express: SQLite pragmas and its write transactions.

SQLite is the embedded default. Several gunicorn workers may write to it at once, so it runs in
WAL mode (readers never block the writer) with a busy timeout, and a request that may write
(POST, PUT, PATCH, DELETE) starts its transaction with BEGIN IMMEDIATE: a deferred transaction
that read first and wrote later would fail at once with "database is locked" when another writer
got there in between, instead of waiting its turn.

Everything else (safe requests, the CLI, the single SQLite worker, tests' own set-up) keeps the
driver's default: reads run outside a transaction, so an idle session never pins an old
snapshot, and a deferred BEGIN comes before the first write.

A view marked `@write_lock_at_first_write` keeps that default too: its reads run before the
transaction, in parallel with other workers, and the write lock is taken by its first INSERT,
UPDATE or DELETE (a transaction whose first statement writes waits for the lock like BEGIN
IMMEDIATE). Only for views whose writes do not depend on reads being in the same transaction:
inserts guarded by constraints, counters moved by `n = n + 1`. That is what such a view gets on
PostgreSQL (READ COMMITTED) anyway.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import sqlite3
import threading

from flask import current_app, has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session
from sqlalchemy.pool import Pool

try:
    import psycopg
except ImportError:  # SQLite alone needs no PostgreSQL driver
    psycopg = None

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "connect")
def configure_sqlite_connection(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def begin_sqlite_transaction(connection) -> None:
    """Take the write lock up front for requests that may write; else leave BEGIN to the driver."""
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if may_write():
        dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own
        write_turns.take(connection.connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        dbapi_connection.isolation_level = ""  # the driver's deferred BEGIN before a write


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def take_turn_before_first_write(connection, cursor, statement, parameters, context,
                                 executemany):
    """In a deferred transaction, wait for the write turn before the statement that writes.

    (Registered with `retval=True`, so the listener is this very function: blog.services.sql
    tells it from anyone else's.)
    """
    take_turn_if_writing(connection, statement)
    return statement, parameters


def take_turn_if_writing(connection, statement: str) -> None:
    if connection.dialect.name != "sqlite" or not _DML.match(statement):
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.isolation_level == "" and not dbapi_connection.in_transaction:
        write_turns.take(connection.connection)


_DML = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteTurns:
    """A file lock taken before SQLite's write lock, so the next writer starts the moment the
    one before it is done.

    SQLite's busy handler waits for the write lock by sleeping 1, 2, 5, 10, 15, 20, 25 ... ms
    between tries, so under concurrent writes the lock sits free while the next writer sleeps:
    two workers posting comments managed fewer than one. `flock` waits in the kernel and wakes
    at once. SQLite's own locks still decide correctness; the turn only decides who goes next.

    One turn per thread: a thread that holds it (one connection mid-write) does not wait for it
    again on another connection, which could never be granted.
    """

    def __init__(self) -> None:
        self._held = threading.local()

    def take(self, pooled_connection) -> None:
        if getattr(self._held, "fd", None) is not None:
            return
        fd = self._lock_file(pooled_connection)
        if fd is None:
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._held.fd = fd

    def give_back(self, pooled_connection_info: dict | None = None) -> None:
        """Release this thread's turn (only if taken through that connection, when given)."""
        fd = getattr(self._held, "fd", None)
        if fd is None:
            return
        if pooled_connection_info is not None and pooled_connection_info.get(
                "write_turn_fd") != fd:
            return
        self._held.fd = None
        fcntl.flock(fd, fcntl.LOCK_UN)

    def forget(self, fd: int) -> None:
        """`fd` is being closed (which ends its lock): this thread no longer holds it."""
        if getattr(self._held, "fd", None) == fd:
            self._held.fd = None

    @staticmethod
    def _lock_file(pooled_connection) -> int | None:
        """Open (once per connection) `<database>-writer.lock` beside the database file."""
        info = pooled_connection.info
        if "write_turn_fd" not in info:
            path = _database_file(pooled_connection.dbapi_connection)
            info["write_turn_fd"] = (
                os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600) if path else None)
        return info["write_turn_fd"]


def _database_file(dbapi_connection) -> str | None:
    """Return the file of the connection's main database (None in memory)."""
    for _, name, path in dbapi_connection.execute("PRAGMA database_list"):
        if name == "main":
            return path or None
    return None


write_turns = WriteTurns()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _give_back_turn_after_session(session, *args) -> None:
    """Give the turn back as soon as the database transaction has ended, before the session
    expires its instances and returns the connection to the pool.

    Both events also follow a savepoint's end, while the transaction goes on: then the
    savepoint is still the session's nested transaction. (`in_transaction()` cannot tell:
    it is true in both events either way.)
    """
    if session.get_nested_transaction() is None:
        write_turns.give_back()


@event.listens_for(Pool, "checkin")
def _give_back_turn_at_checkin(dbapi_connection, connection_record) -> None:
    """A safety net: a connection back in the pool holds no transaction, so no turn either."""
    write_turns.give_back(connection_record.info)


@event.listens_for(Pool, "close")
def _close_turn_file(dbapi_connection, connection_record) -> None:
    fd = connection_record.info.pop("write_turn_fd", None)
    if fd is not None:
        write_turns.forget(fd)
        os.close(fd)


def tune_engine_options(app) -> None:
    """Drop the pool's pre-ping where it costs a statement for nothing.

    `pool_pre_ping` lets a pool notice a server that restarted (PostgreSQL) by running
    `SELECT 1` before every checkout: a round trip on every request, a tenth of an anonymous
    thread read's throughput. A SQLite file has no server to lose; with psycopg,
    `drop_connections_the_server_closed` does the ping's work without the round trip.
    """
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" or url.get_driver_name() == "psycopg":
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Pool, "checkout")
def drop_connections_the_server_closed(dbapi_connection, connection_record,
                                       connection_proxy) -> None:
    """Refuse a pooled PostgreSQL connection that the server has ended, before it is used.

    An idle connection has nothing to read. A server that shut down or restarted, or ended the
    session (`pg_terminate_backend`), has sent its last message and closed the socket, so a
    socket with anything to read is suspect: only then is the server asked (`SELECT 1`), and
    a connection that does not answer is refused. `DisconnectionError` makes the pool drop it
    and connect afresh, as after a failed pre-ping. Like the ping, this cannot see a network
    path that died silently; the statement then fails, and the pool drops the connection.
    """
    if psycopg is None or not isinstance(dbapi_connection, psycopg.Connection):
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection is closed")
    if _has_input(dbapi_connection.pgconn.socket) and not _answers(dbapi_connection):
        raise exc.DisconnectionError("the server ended this connection")


def _has_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _answers(dbapi_connection) -> bool:
    try:
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.rollback()
    except psycopg.Error:
        return False
    return True


def may_write() -> bool:
    """Tell whether the current request may write (an unsafe HTTP method) and should take the
    write lock before its first read."""
    if not has_request_context() or request.method in READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, _LOCK_AT_FIRST_WRITE, False)


_LOCK_AT_FIRST_WRITE = "sqlite_lock_at_first_write"


def write_lock_at_first_write(view):
    """Let `view`'s reads run before its SQLite write transaction (see the module docstring).

    Put it right above the function: the decorators above it copy the mark outwards.
    """
    setattr(view, _LOCK_AT_FIRST_WRITE, True)
    return view


# --- Did this transaction write? -------------------------------------------------------------
# A safe request that changed nothing skips the COMMIT (blog.web.commit_request): its session is
# closed at teardown, which ends the read-only transaction. Everything that writes through the
# session marks it: a flush with changes, and ORM-enabled INSERT, UPDATE and DELETE statements.

_WROTE = "blog.wrote"


@event.listens_for(Session, "after_flush")
def _mark_flushed(session: Session, flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_dml(state: ORMExecuteState) -> None:
    if not state.is_select:
        mark_written(state.session)


def mark_written(session: Session) -> None:
    """Record that `session`'s transaction wrote (for statements run outside the ORM)."""
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def has_changes(session) -> bool:
    """Tell whether `session` holds changes not yet committed (pending, flushed or executed)."""
    if isinstance(session, scoped_session) and not session.registry.has():
        return False  # the request never opened a session (reads on a connection of their own)
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))
