"""Running every scenario of one app at every concurrency, the same way for each app."""

from __future__ import annotations

import dataclasses
import itertools
import os
import sys
from dataclasses import dataclass

from bench.cpu import cpu_used, per_request
from bench.load import Request, preflight, run_wrk
from bench.servers import Server

WARMUP_SECONDS = 1
#: One connection per worker, so that every gunicorn worker is warm before measuring.
WARMUP_CONNECTIONS = os.cpu_count() or 1
_run_ids = itertools.count(1)


@dataclass(frozen=True)
class Plan:
    """How hard and how long: wrk connections, seconds per run, runs per concurrency."""

    concurrencies: tuple[int, ...]
    seconds: int
    runs: int


def measure(label: str, server: Server, requests: dict[str, Request], plan: Plan) -> dict:
    """Measure each request of `requests` against `server`; return results by scenario."""
    base_url, results = server.base_url, {}
    for key, request in requests.items():
        check = preflight(base_url, request)
        entry = {"request": f"{request.method} {request.path}", "status": check.status,
                 "response_bytes": check.size}
        if not check.ok:
            log(f"  {label} {key}: skipped, the preflight request answered {check.status}")
            entry["skipped"] = f"HTTP {check.status}"
        else:
            entry["runs"] = _measure_request(label, key, server, request, plan)
        results[key] = entry
    return results


def _measure_request(label, key, server: Server, request: Request, plan: Plan) -> dict[str, list]:
    """Warm the app up once, then run wrk `plan.runs` times at each concurrency."""
    base_url = server.base_url
    run_wrk(base_url, _numbered(request), WARMUP_CONNECTIONS, WARMUP_SECONDS)
    _drain(base_url, request)
    runs: dict[str, list] = {}
    for connections in plan.concurrencies:
        runs[str(connections)] = []
        for _ in range(plan.runs):
            with cpu_used(server.session) as used:
                summary = run_wrk(base_url, _numbered(request), connections, plan.seconds)
            summary["cpu_ms"] = per_request(used, summary["requests"])
            runs[str(connections)].append(summary)
            _drain(base_url, request)
            log(f"  {label} {key} c={connections}: {summary['rps']:.1f} req/s, "
                f"p50 {summary['p50_us'] / 1000:.2f} ms, p99 {summary['p99_us'] / 1000:.2f} ms"
                + (f", {summary['errors']} errors" if summary["errors"] else "")
                + "".join(f", {group} {ms:.2f}" for group, ms in summary["cpu_ms"].items())
                + (" CPU ms/request" if summary["cpu_ms"] else ""))
    return runs


def _drain(base_url: str, request: Request) -> None:
    """Wait until the server has worked off what wrk left queued when it stopped.

    wrk stops with up to `connections` requests still queued at the server, which would go on
    using the cores during the next run. One more request, queued behind them, returns when
    they are done.
    """
    preflight(base_url, _numbered(request))


def _numbered(request: Request) -> Request:
    """Give a POST template this run's number, so bodies never repeat across runs."""
    if request.body_template is None:
        return request
    template = request.body_template.replace("{run}", str(next(_run_ids)))
    return dataclasses.replace(request, body_template=template)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
