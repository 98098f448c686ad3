"""Where the cores went during a wrk run: CPU time of the app's processes, of the database
server's and of wrk itself, per request answered.

With every process on the same few cores, requests/s is bounded by the cores divided by the
CPU time one request costs all of them together; these figures show which process spends it.
Read from /proc (Linux, as wrk's runs are): the app is every process of the gunicorn master's
session (bench.servers starts each server in a session of its own), the database every
`postgres` process (SQLite works inside the app's processes), the load tool wrk (a child of this
process, so its time is read from this process's children's usage once it has exited).
"""

from __future__ import annotations

import os
import resource
from contextlib import contextmanager
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _server_seconds(app_session: int) -> dict[str, float]:
    """Return the CPU seconds used so far by the app's session and by the database server."""
    totals = {"app": 0.0, "database": 0.0}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:]
        fields = fields.split()
        group = ("app" if int(fields[3]) == app_session
                 else "database" if name == "postgres" else None)
        if group:
            totals[group] += (int(fields[11]) + int(fields[12])) / _TICKS
    return totals


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def cpu_used(app_session: int | None):
    """Yield a dict that, once the block has ended, holds the CPU seconds of "app", "database"
    and "load tool" spent during it (empty where /proc cannot be read)."""
    used: dict[str, float] = {}
    readable = app_session is not None and Path("/proc/self/stat").exists()
    before = _server_seconds(app_session) if readable else {}
    children_before = _children_seconds()
    yield used
    if readable:
        after = _server_seconds(app_session)
        used.update({group: after[group] - before[group] for group in after})
        used["load tool"] = _children_seconds() - children_before


def per_request(used: dict[str, float], requests: int) -> dict[str, float]:
    """Return the CPU milliseconds per request of each group in `used`."""
    if not requests:
        return {}
    return {group: 1000 * seconds / requests for group, seconds in used.items()}
