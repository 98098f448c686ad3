"""The test database: a SQLite file, or a schema of its own on PostgreSQL.

Tests read the URL from TEST_DATABASE_URL (default: SQLite). On PostgreSQL every test run works
in a fresh schema that it drops at the end, so it never assumes, or touches, anything else in the
database it is given.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def test_database_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def url_with_search_path(url: str, schema: str) -> str:
    """Return `url` with the connection's search_path set to `schema`."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def scratch_database(tmp_dir, name: str = "test"):
    """Yield a database URL nobody else uses; remove the database (or schema) afterwards."""
    base_url = test_database_url()
    if base_url is None or not is_postgresql(base_url):
        yield f"sqlite:///{tmp_dir}/{name}.db"
        return
    schema = f"test_{name}_{uuid.uuid4().hex[:10]}"
    # pool_pre_ping: the server may have restarted meanwhile (tests/load/test_faults.py).
    admin_engine = create_engine(base_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin_engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url_with_search_path(base_url, schema)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin_engine.dispose()
