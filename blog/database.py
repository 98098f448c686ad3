"""Connection set-up that the ORM cannot express: SQLite pragmas and its write transactions.

SQLite is the embedded default. Several gunicorn workers may write to it at once, so it runs in
WAL mode (readers never block the writer) with a busy timeout, and a request that may write
(POST, PUT, PATCH, DELETE) starts its transaction with BEGIN IMMEDIATE: a deferred transaction
that read first and wrote later would fail at once with "database is locked" when another writer
got there in between, instead of waiting its turn.

Everything else (safe requests, the CLI, the single SQLite worker, tests' own set-up) keeps the
driver's default: reads run outside a transaction, so an idle session never pins an old
snapshot, and a deferred BEGIN comes before the first write.
"""

from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session

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
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        dbapi_connection.isolation_level = ""  # the driver's deferred BEGIN before a write


def tune_engine_options(app) -> None:
    """Drop the connection check before each checkout on SQLite.

    `pool_pre_ping` lets a pool notice a server that restarted (PostgreSQL); a SQLite file has
    no server to lose, and the ping would be one more statement on every request.
    """
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite":
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def may_write() -> bool:
    """Tell whether the current request may write (an unsafe HTTP method)."""
    return has_request_context() and request.method not in READ_ONLY_METHODS


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
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def has_changes(session) -> bool:
    """Tell whether `session` holds changes not yet committed (pending, flushed or executed)."""
    if isinstance(session, scoped_session) and not session.registry.has():
        return False  # the request never opened a session (reads on a connection of their own)
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))
