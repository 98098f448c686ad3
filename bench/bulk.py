"""Bulk inserts into the product's own tables: COPY on PostgreSQL, executemany on SQLite.

A million comments through the API would take hours; through these, a minute or two. Rows are
written complete: columns a row leaves out get the model's Python-side default, so the harness
keeps working when a feature branch adds a column with a default.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import Connection, Table

CHUNK_ROWS = 20_000


def complete_row(table: Table, row: dict) -> dict:
    """Return `row` with every column of `table`, missing ones from their Python default.

    A missing primary key stays missing: the database numbers the row.
    """
    full = {}
    for column in table.columns:
        if column.primary_key and column.name not in row:
            continue
        if column.name in row:
            full[column.name] = row[column.name]
        elif column.default is not None and column.default.is_scalar:
            full[column.name] = column.default.arg
        elif column.default is not None and column.default.is_callable:
            full[column.name] = column.default.arg(None)
        else:
            full[column.name] = None
    return full


def insert_rows(connection: Connection, table: Table, rows: Iterable[dict]) -> int:
    """Insert `rows` into `table` in chunks; return how many were written."""
    written = 0
    for chunk in _chunks(rows):
        full = [complete_row(table, row) for row in chunk]
        if connection.dialect.name == "postgresql":
            _copy(connection, table, full)
        else:
            connection.execute(table.insert(), full)
        written += len(full)
    return written


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk


def _copy(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Stream `rows` with PostgreSQL's COPY (psycopg 3), the fastest way in."""
    names = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    statement = f'COPY "{table.name}" ({", ".join(f"{n}" for n in names)}) FROM STDIN'
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])
