"""Starting and stopping the three apps under the same gunicorn settings.

Every app gets the same command line (see `gunicorn_args`): sync workers, one per CPU core, bound
to loopback, no access log, from the same settings file (bench/gunicorn_bench.conf.py). Only the
app and its virtualenv differ.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_TIMEOUT = 60.0
SETTINGS_FILE = Path(__file__).with_name("gunicorn_bench.conf.py")


def worker_count() -> int:
    """One gunicorn worker per CPU core (2 on the team's machine)."""
    return os.cpu_count() or 1


def gunicorn_args(bind: str, workers: int) -> list[str]:
    """Return the gunicorn options every benchmarked app is served with."""
    return ["--config", str(SETTINGS_FILE), "--bind", bind, "--workers", str(workers)]


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, and the session its master and workers run in."""

    base_url: str
    session: int


@contextmanager
def serving(name: str, command: list[str], env: dict[str, str], port: int, log_dir: Path,
            cwd: Path, ready_path: str = "/"):
    """Run `command` until the block ends; yield it as a Server once it answers on `port`."""
    log_path = log_dir / f"{name}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(process, base_url + ready_path, log_path)
        yield Server(base_url, session=process.pid)  # start_new_session: its id is the pid
    finally:
        _stop(process)


def _wait_until_answering(process: subprocess.Popen, url: str, log_path: Path) -> None:
    """Poll `url` until any HTTP answer comes (even a 404): then a worker is serving."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log_path}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {STARTUP_TIMEOUT:.0f} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its own workers), by its process id."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
