"""PostgreSQL restarted in the middle of a load run: 503s while it is away, nothing lost.

Restarting the server disturbs everything else using it, so this runs only when asked
(BLOG_FAULT_TESTS=1, as .ci/run does), on a local cluster that `pg_ctlcluster` may restart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests import database as databases
from tests.database import is_postgresql, scratch_database
from tests.load.server import driver_result, gunicorn, inconsistencies, seed, start_driver

pytestmark = pytest.mark.slow

CLIENTS, COMMENTS, VOTES = 8, 1200, 1200
PROBLEM = "application/problem+json"


def restart_command() -> list[str]:
    """Return the command restarting the local cluster, or skip saying why there is none."""
    url = databases.test_database_url() or "sqlite://"
    if not is_postgresql(url):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    if os.environ.get("BLOG_FAULT_TESTS") != "1":
        pytest.skip("restarts the shared PostgreSQL server: set BLOG_FAULT_TESTS=1 to run")
    if make_url(url).host not in (None, "127.0.0.1", "localhost", "::1"):
        pytest.skip("PostgreSQL is not local: it cannot be restarted from here")
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") is None or not clusters.is_dir():
        pytest.skip("pg_ctlcluster is not installed")
    if os.geteuid() != 0:
        pytest.skip("restarting PostgreSQL needs root")
    versions = sorted(p.name for p in clusters.iterdir())
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


def test_a_postgresql_restart_mid_run_answers_503_and_loses_nothing(tmp_path):
    command = restart_command()
    with scratch_database(tmp_path, name="fault") as url:
        seeded = seed(url, readers=CLIENTS)
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(url, log_path) as base:
            driver = start_driver(base, seeded, CLIENTS, COMMENTS, VOTES, max_503_retries=150)
            time.sleep(4)
            started = time.monotonic()
            restart = subprocess.run(command, capture_output=True, text=True, timeout=120)
            outage = time.monotonic() - started
            assert driver.poll() is None, "the run ended before the restart: make it longer"
            if restart.returncode != 0:
                driver.kill()
                pytest.skip(f"PostgreSQL could not be restarted: {restart.stderr.strip()}")
            result = driver_result(driver)
            with urllib.request.urlopen(f"{base}/healthz", timeout=10) as health:
                assert health.status == 200  # recovered by itself (the pool's checkout check)
        refusals = [p for p in result["problems"] if p["status"] == 503]
        print(f"\nrestart took {outage:.1f} s; {len(refusals)} answers were 503 during it;",
              f"run: {result['seconds']} s, {result['requests']} requests")
        others = [p for p in result["problems"] if p["status"] != 503]
        assert others == [], (others[:5], log_path.read_text(errors="replace")[-6000:])
        assert all(p["type"] == PROBLEM and p["body"]["status"] == 503 for p in refusals)
        assert result["mismatched_retries"] == []
        assert inconsistencies(url, result, COMMENTS) == {}
