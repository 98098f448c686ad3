"""Connection set-up that the ORM cannot express: SQLite pragmas and its write transactions.

SQLite is the embedded default. Several gunicorn workers may write to it at once, so it runs in
WAL mode (readers never block the writer) with a busy timeout, and a request that may write
(POST, PUT, PATCH, DELETE) starts its transaction with BEGIN IMMEDIATE.
A deferred transaction that reads first and writes later would fail at once with "database is
locked" when another writer got there in between, instead of waiting its turn. Work outside a
request (the CLI, the single SQLite worker, tests' own set-up) keeps deferred transactions, so an
idle session never holds the write lock. This follows SQLAlchemy's pysqlite recipe of taking over
BEGIN from the driver.
"""

from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "connect")
def configure_sqlite_connection(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def begin_sqlite_transaction(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write() else "BEGIN")


def may_write() -> bool:
    """Tell whether the current request may write (an unsafe HTTP method)."""
    return has_request_context() and request.method not in READ_ONLY_METHODS
