"""Driving an app with wrk, and checking first that the request is the one we mean to measure.

wrk runs with one thread (`-t1`): on a 2-core machine it already takes most of a core, and more
threads would only take more from the servers. The connection count is the concurrency.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk_script.lua"
RESULT_MARK = "BENCH_RESULT "
#: Long enough that Isso's slowest answers (seconds each at 32 connections) count, not time out.
WRK_TIMEOUT = "60s"


@dataclass(frozen=True)
class Request:
    """One HTTP request to measure; `body_template` makes each one distinct ("{n}" counts up)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    body_template: str | None = None

    def sample_body(self) -> str | None:
        if self.body_template is not None:
            return self.body_template.replace("{n}", "0")
        return self.body


@dataclass(frozen=True)
class Preflight:
    status: int
    size: int

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def require_wrk() -> str:
    """Return wrk's path, or stop with how to install it."""
    path = shutil.which("wrk")
    if path is None:
        sys.exit("wrk is not installed. On Debian or Ubuntu: apt-get install wrk")
    return path


def preflight(base_url: str, request: Request) -> Preflight:
    """Send `request` once, so a 404 or 401 is reported instead of measured as a fast answer."""
    body = request.sample_body()
    data = body.encode() if body is not None else None
    http_request = urllib.request.Request(base_url + request.path, data=data,
                                          headers=request.headers, method=request.method)
    try:
        with urllib.request.urlopen(http_request, timeout=120) as response:
            return Preflight(response.status, len(response.read()))
    except urllib.error.HTTPError as error:
        return Preflight(error.code, len(error.read()))


def run_wrk(base_url: str, request: Request, connections: int, seconds: int) -> dict:
    """Run wrk once and return its parsed summary (requests/s, latency percentiles, errors)."""
    command = [
        require_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={WRK_TIMEOUT}",
        "-s", str(SCRIPT), base_url + request.path,
    ]
    result = subprocess.run(command, env={**os.environ, **_script_env(request)},
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return _parse(result.stdout)


def _script_env(request: Request) -> dict[str, str]:
    env = {
        "BENCH_METHOD": request.method,
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in request.headers.items()),
    }
    if request.body is not None:
        env["BENCH_BODY"] = request.body
    if request.body_template is not None:
        env["BENCH_BODY_TEMPLATE"] = request.body_template
    return env


def _parse(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith(RESULT_MARK):
            summary = json.loads(line[len(RESULT_MARK):])
            seconds = summary["duration_us"] / 1e6
            summary["rps"] = summary["requests"] / seconds if seconds else 0.0
            summary["errors"] = sum(v for k, v in summary.items() if k.startswith("errors_"))
            return summary
    raise RuntimeError(f"wrk printed no result line:\n{output}")
