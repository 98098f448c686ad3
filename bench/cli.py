"""`python -m bench`: seed, serve and measure the product, Isso and the ceiling app in one run."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench import content, isso_setup, product, report, scenarios, servers
from bench.ceiling import DEFAULT_BYTES
from bench.load import require_wrk
from bench.runner import Plan, log, measure
from bench.seed import seed_base, seed_scale

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Options:
    plan: Plan
    scale: bool
    with_isso: bool
    only: tuple[str, ...]
    database_urls: tuple[str, ...]
    keep: bool


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="3 s x 1 run per concurrency, no scale run (a smoke test)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 15)")
    parser.add_argument("--runs", type=int, help="runs per concurrency (default 3)")
    parser.add_argument("--concurrency", default="1,8,32", help="wrk connections, comma-separated")
    parser.add_argument("--scale", action=argparse.BooleanOptionalAction, default=None,
                        help="also seed 10,000 posts and 1,000,000 comments and measure the "
                             "1,000-comment thread again (default: on, off with --quick)")
    parser.add_argument("--no-isso", dest="with_isso", action="store_false",
                        help="skip Isso (measure the product and the ceiling only)")
    parser.add_argument("--only", default="", help="scenario keys, comma-separated: "
                        + ", ".join(key for key, _ in scenarios.SCENARIOS))
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (databases, server logs)")
    args = parser.parse_args(argv)
    plan = Plan(
        concurrencies=tuple(int(c) for c in args.concurrency.split(",")),
        seconds=args.duration or (3 if args.quick else 15),
        runs=args.runs or (1 if args.quick else 3),
    )
    database_urls = ("sqlite",) + ((os.environ["BENCH_DATABASE_URL"],)
                                   if os.environ.get("BENCH_DATABASE_URL") else ())
    return Options(plan, args.scale if args.scale is not None else not args.quick,
                   args.with_isso, tuple(k for k in args.only.split(",") if k), database_urls,
                   args.keep)


def main(argv: list[str] | None = None) -> None:
    options = parse_args(argv)
    require_wrk()
    work_dir = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    data = {"meta": machine_info(options), "targets": {}}
    try:
        run_all(options, work_dir, data)
    finally:
        if options.keep:
            log(f"Work directory kept: {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    data["meta"]["load_average_after"] = os.getloadavg()
    text = render(data, options)
    print(text)
    paths = report.write_files(RESULTS_DIR, data["meta"]["stamp"], data, text)
    log("Written: " + ", ".join(str(path) for path in paths))


def run_all(options: Options, work_dir: Path, data: dict) -> None:
    """Measure the product on each database, then Isso, then the ceiling app."""
    for url in options.database_urls:
        database = (product.sqlite_database(work_dir) if url == "sqlite"
                    else product.postgresql_database(url))
        with database as database_url:
            bench_product(database_url, options, work_dir, data["targets"])
    if options.with_isso:
        data["targets"]["isso"] = bench_isso(options, work_dir)
    data["targets"]["ceiling"] = bench_ceiling(options, work_dir, ceiling_size(data["targets"]))


def _selected(requests: dict, options: Options) -> dict:
    return {k: v for k, v in requests.items() if not options.only or k in options.only}


def bench_product(url: str, options: Options, work_dir: Path, targets: dict) -> None:
    """Seed the product on `url`, measure every scenario, then (scale run) the big thread again."""
    label = product.database_label(url)
    key, secret = f"ours-{label.lower()}", product.new_secret_key()
    log(f"Seeding the product on {label} ...")
    with timed() as seconds, product.app_context(url, secret) as app:
        seeded = seed_base()
        notes = [product.rebuild_related(app)]
    requests = _selected(scenarios.ours(seeded.token), options)
    targets[key] = {"label": f"ours ({label})", "seed_seconds": seconds(), "notes": notes,
                    "scenarios": serve_product(url, secret, requests, options, work_dir, key)}
    with product.app_context(url, secret):
        targets[key]["posted_statuses"] = product.statuses_of(content.POST_TARGET)
    if options.scale:
        bench_scale(url, secret, seeded, options, work_dir, targets, label)


def bench_scale(url, secret, seeded, options, work_dir, targets, label: str) -> None:
    """Add a million comments, then measure the 1,000-comment thread on the big database."""
    key = f"ours-{label.lower()}-scale"
    log("Seeding 10,000 posts and 1,000,000 comments ...")
    with timed() as seconds, product.app_context(url, secret) as app:
        seed_scale(seeded)
        notes = [product.rebuild_related(app)]
    requests = {"thread1000": scenarios.ours(seeded.token)["thread1000"]}
    targets[key] = {
        "label": f"ours ({label}, 1M comments)", "seed_seconds": seconds(), "notes": notes,
        "scenarios": serve_product(url, secret, requests, options, work_dir, key),
    }


def serve_product(url, secret, requests, options: Options, work_dir: Path, name: str) -> dict:
    port = servers.free_port()
    command = product.server_command(f"127.0.0.1:{port}", servers.worker_count())
    with servers.serving(name, command, product.server_env(url, secret), port, work_dir,
                         product.REPO_ROOT, "/healthz") as server:
        return measure(name, server, requests, options.plan)


def bench_isso(options: Options, work_dir: Path) -> dict:
    """Install, configure, seed and measure Isso with the same threads."""
    isso_setup.ensure_installed()
    port = servers.free_port()
    config_path = isso_setup.write_config(work_dir, port)
    log("Seeding Isso ...")
    with timed() as seconds:
        written = isso_setup.seed(config_path, content.base_threads())
    command = isso_setup.server_command(f"127.0.0.1:{port}", servers.worker_count())
    with servers.serving("isso", command, isso_setup.server_env(config_path), port, work_dir,
                         work_dir, "/config") as server:
        results = measure("isso", server, _selected(scenarios.isso(), options), options.plan)
    return {"label": f"Isso {isso_setup.ISSO_VERSION}", "seed_seconds": seconds(),
            "seeded_comments": written, "scenarios": results}


def ceiling_size(targets: dict) -> int:
    """Return the size of our 50-comment page (SQLite run), or 30 KB if it was not measured."""
    entry = targets.get("ours-sqlite", {}).get("scenarios", {}).get("thread50", {})
    return entry["response_bytes"] if entry.get("status") == 200 else DEFAULT_BYTES


def bench_ceiling(options: Options, work_dir: Path, size: int) -> dict:
    port = servers.free_port()
    command = [sys.executable, "-m", "gunicorn",
               *servers.gunicorn_args(f"127.0.0.1:{port}", servers.worker_count()),
               "bench.ceiling:app"]
    env = {"BENCH_CEILING_BYTES": str(size)}
    with servers.serving("ceiling", command, env, port, work_dir, product.REPO_ROOT) as server:
        results = measure("ceiling", server, {"ceiling": scenarios.CEILING}, options.plan)
    return {"label": "ceiling (bare Flask)", "body_bytes": size, "scenarios": results}


def machine_info(options: Options) -> dict:
    """Return what a reader needs to judge the figures: cores, load, tools, settings."""
    wrk = subprocess.run([require_wrk(), "--version"], capture_output=True, text=True)
    now = datetime.now().astimezone()
    return {
        "stamp": now.strftime("%Y-%m-%dT%H-%M-%S"),
        "date": now.isoformat(timespec="seconds"),
        "cpu_cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0].split(" [")[0],
        "wrk_options": "-t1 (one thread), -c = concurrency, --timeout 60s",
        "gunicorn": " ".join(servers.gunicorn_args("127.0.0.1:PORT", servers.worker_count())),
        "plan": {"concurrencies": options.plan.concurrencies, "seconds": options.plan.seconds,
                 "runs": options.plan.runs, "scale": options.scale},
    }


def render(data: dict, options: Options) -> str:
    """Return the printed report: machine, one comparison table per database, scale, targets."""
    meta, targets = data["meta"], data["targets"]
    concurrencies = [str(c) for c in options.plan.concurrencies]
    isso_results = targets.get("isso", {}).get("scenarios", {})
    ceiling = targets["ceiling"]["scenarios"]
    parts = [report.header_text(meta, targets)]
    for key, target in targets.items():
        if not key.startswith("ours-") or key.endswith("-scale"):
            continue
        ours = target["scenarios"]
        parts.append(f"\n## {target['label']} vs {targets.get('isso', {}).get('label', 'Isso')} "
                     f"vs the ceiling\n")
        parts.append(report.markdown_table(report.COMPARISON_HEADER, report.comparison_rows(
            ours, isso_results, ceiling, concurrencies)))
        large = targets.get(f"{key}-scale", {}).get("scenarios")
        if large:
            parts.append(f"\n### Scale: {target['label']}, small database vs 1M comments\n")
            parts.append(report.markdown_table(report.SCALE_HEADER,
                                               report.scale_rows(ours, large, concurrencies)))
        parts.append(f"\n### The issue's targets ({target['label']})\n")
        parts.append("\n".join(report.target_checks(ours, isso_results, ceiling, large)))
    for c in concurrencies:
        rows = report.cpu_rows(targets, c)
        if rows:
            parts.append(f"\n## Where the cores went, c={c} (CPU time per request)\n")
            parts.append(report.markdown_table(report.CPU_HEADER, rows))
    return "\n".join(parts) + "\n"


class timed:
    """`with timed() as seconds:` ... `seconds()` gives the block's duration."""

    def __enter__(self):
        self.start, self.end = time.monotonic(), None
        return lambda: round((self.end or time.monotonic()) - self.start, 1)

    def __exit__(self, *exc_info):
        self.end = time.monotonic()
