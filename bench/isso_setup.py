"""Isso 0.14.0, the comparison: its own virtualenv, its configuration, its seeded threads.

Isso is never a project dependency: it lives in bench/.venv-isso (gitignored), made on first use.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.content import ThreadSeed, threads_as_json

BENCH_DIR = Path(__file__).resolve().parent
VENV = BENCH_DIR / ".venv-isso"
ISSO_VERSION = "0.14.0"
#: The same gunicorn release as the product's requirements.txt, so only the app differs.
GUNICORN_VERSION = "27.0.1"
#: Isso checks at start-up that its website answers; a closed loopback port fails at once (it
#: only logs a warning) instead of making each worker wait for a site that does not exist.
DEAD_WEBSITE = "http://127.0.0.1:9"

CONFIG_TEMPLATE = """\
[general]
dbpath = {dbpath}
host = {website}
# Isso's default (stdout) logs three lines per new comment; our product logs none. Off (Isso
# warns once per worker that the empty backend is unknown, and then notifies nobody).
notify =
gravatar = false

[moderation]
enabled = false

[guard]
# Off: no per-address rate limit, no limit on direct replies (2 a minute by default).
enabled = false

[server]
listen = http://127.0.0.1:{port}
"""


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_installed() -> None:
    """Make bench/.venv-isso with Isso and gunicorn, unless it is already there."""
    if (VENV / "bin" / "gunicorn").exists() and _isso_version() == ISSO_VERSION:
        return
    print(f"Installing Isso {ISSO_VERSION} into {VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "--quiet", f"isso=={ISSO_VERSION}",
         f"gunicorn=={GUNICORN_VERSION}"],
        check=True,
    )


def _isso_version() -> str | None:
    result = subprocess.run(
        [str(venv_python()), "-c", "import importlib.metadata as m; print(m.version('isso'))"],
        capture_output=True, text=True, check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def write_config(work_dir: Path, port: int) -> Path:
    """Write Isso's settings file: loopback, SQLite, no moderation, no guard."""
    path = work_dir / "isso.cfg"
    text = CONFIG_TEMPLATE.format(dbpath=work_dir / "isso.db", website=DEAD_WEBSITE, port=port)
    path.write_text(text)
    return path


def seed(config_path: Path, threads: list[ThreadSeed]) -> int:
    """Seed `threads` into Isso's database with Isso's own code; return the comment count."""
    data_path = config_path.with_name("isso-threads.json")
    data_path.write_text(json.dumps(threads_as_json(threads)))
    result = subprocess.run(
        [str(venv_python()), str(BENCH_DIR / "isso_seed.py"), str(config_path), str(data_path)],
        capture_output=True, text=True, check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def server_command(bind: str, workers: int) -> list[str]:
    """Return the gunicorn command serving Isso's documented WSGI entry point."""
    from bench.servers import gunicorn_args

    return [str(VENV / "bin" / "gunicorn"), *gunicorn_args(bind, workers), "isso.run:application"]


def server_env(config_path: Path) -> dict[str, str]:
    return {"ISSO_SETTINGS": str(config_path)}
