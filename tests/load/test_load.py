"""Under gunicorn, many readers at once: every comment once, every count exact, no 5xx.

A separate process (tests/load/driver.py) drives real HTTP; each comment is posted with an
Idempotency-Key and sent again with the same key. The figures (duration, latency) are printed
with `-s`; nothing here asserts on time.
"""

from __future__ import annotations

import json
import re

import pytest

from tests import database as databases
from tests.database import is_postgresql, scratch_database
from tests.load.server import driver_result, gunicorn, inconsistencies, seed, start_driver

pytestmark = pytest.mark.slow

ON_POSTGRESQL = is_postgresql(databases.test_database_url() or "sqlite://")


def run_load(url: str, tmp_path, clients: int, comments: int, votes: int) -> dict:
    seeded = seed(url, readers=clients)
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(url, log_path) as base:
        result = driver_result(start_driver(base, seeded, clients, comments, votes))
    result["log"] = log_path.read_text(errors="replace")
    summary = {k: result[k] for k in ("seconds", "requests", "p50_ms", "p99_ms", "statuses")}
    print(f"\nload ({clients} clients, {comments} comments, {votes} votes):",
          json.dumps(summary, indent=1))
    return result


def assert_clean(result: dict, url: str, comments: int) -> None:
    assert result["problems"] == [], result["problems"][:5]
    unexpected = {k: n for k, n in result["statuses"].items()
                  if not re.fullmatch(r"(comment|comment-retry) 201|vote 200", k)}
    assert unexpected == {}
    assert result["mismatched_retries"] == []
    assert inconsistencies(url, result, comments) == {}
    assert "Traceback" not in result["log"], result["log"][-3000:]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="TEST_DATABASE_URL is not PostgreSQL")
def test_sixteen_clients_on_postgresql(tmp_path):
    with scratch_database(tmp_path, name="load") as url:
        result = run_load(url, tmp_path, clients=16, comments=2000, votes=5000)
        assert_clean(result, url, 2000)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite run belongs to the SQLite pass")
def test_eight_writers_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path}/load.db"
    result = run_load(url, tmp_path, clients=8, comments=2000, votes=5000)
    assert "database is locked" not in result["log"]
    assert_clean(result, url, 2000)
