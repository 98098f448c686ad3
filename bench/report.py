"""Turning raw wrk runs into the table: medians with min-max, ratios, the issue's targets."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.scenarios import TITLES

#: The concurrency the issue's reference figures (and so its ratio targets) were taken at.
TARGET_CONCURRENCY = "8"
READS = ("thread50", "thread1000", "counts", "related", "article")


def stats(entry: dict | None, connections: str) -> dict | None:
    """Return median, min and max of req/s, p50 and p99 (ms) over the runs, or None."""
    runs = (entry or {}).get("runs", {}).get(connections)
    if not runs:
        return None
    out = {"errors": sum(run["errors"] for run in runs), "runs": len(runs)}
    for name, values in (("rps", [r["rps"] for r in runs]),
                         ("p50", [r["p50_us"] / 1000 for r in runs]),
                         ("p99", [r["p99_us"] / 1000 for r in runs])):
        out[name] = (statistics.median(values), min(values), max(values))
    return out


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _cell(triple: tuple[float, float, float] | None) -> str:
    if triple is None:
        return "-"
    median, low, high = triple
    return _num(median) if low == high else f"{_num(median)} ({_num(low)}-{_num(high)})"


def _app_cells(s: dict | None) -> list[str]:
    if s is None:
        return ["-", "-", "-"]
    flag = f" [{s['errors']} errors]" if s["errors"] else ""
    return [_cell(s["rps"]) + flag, _cell(s["p50"]), _cell(s["p99"])]


def _ratio(ours: dict | None, other: dict | None) -> str:
    if ours is None or other is None or other["rps"][0] == 0:
        return "-"
    return f"{ours['rps'][0] / other['rps'][0]:.2f}x"


def comparison_rows(ours: dict, isso: dict, ceiling: dict, concurrencies) -> list[list[str]]:
    """Return the main table's rows: one per scenario and concurrency."""
    ceiling_entry = ceiling.get("ceiling")
    rows = []
    for key, title in TITLES.items():
        for c in concurrencies:
            mine, theirs, top = stats(ours.get(key), c), stats(isso.get(key), c), stats(
                ceiling_entry, c)
            if mine is None and theirs is None:
                continue
            rows.append([title, c, *_app_cells(mine), *_app_cells(theirs), *_app_cells(top),
                         _ratio(mine, theirs), _ratio(mine, top)])
    return rows


COMPARISON_HEADER = ["scenario", "c", "ours req/s", "ours p50 ms", "ours p99 ms", "Isso req/s",
                     "Isso p50 ms", "Isso p99 ms", "ceiling req/s", "ceiling p50 ms",
                     "ceiling p99 ms", "ours/Isso", "ours/ceiling"]
SCALE_HEADER = ["scenario", "c", "small req/s", "1M req/s", "small p50 ms", "1M p50 ms",
                "small p99 ms", "1M p99 ms", "slowdown (req/s small/1M)", "p50 1M/small"]


def scale_rows(small: dict, large: dict, concurrencies) -> list[list[str]]:
    """Return the scale table: the same request on the small and the 1M-comment database."""
    rows = []
    for key in large:
        for c in concurrencies:
            a, b = stats(small.get(key), c), stats(large.get(key), c)
            if a is None or b is None:
                continue
            rows.append([TITLES[key], c, _cell(a["rps"]), _cell(b["rps"]), _cell(a["p50"]),
                         _cell(b["p50"]), _cell(a["p99"]), _cell(b["p99"]),
                         f"{a['rps'][0] / b['rps'][0]:.2f}x", f"{b['p50'][0] / a['p50'][0]:.2f}x"])
    return rows


CPU_HEADER = ["app", "scenario", "req/s", "app CPU ms", "database CPU ms", "wrk CPU ms",
              "all CPU ms", "cores busy"]


def cpu_rows(targets: dict, connections: str) -> list[list[str]]:
    """Return, per app and scenario at `connections`, the CPU time one request cost each group
    of processes (medians over the runs), and how many cores were busy on average."""
    rows = []
    for target in targets.values():
        for key, entry in target.get("scenarios", {}).items():
            runs = [run for run in entry.get("runs", {}).get(connections, []) if run.get("cpu_ms")]
            if not runs:
                continue
            def median(group, runs=runs):
                return statistics.median(run["cpu_ms"][group] for run in runs)
            groups = [median(group) for group in ("app", "database", "load tool")]
            rps = statistics.median(run["rps"] for run in runs)
            rows.append([target["label"], TITLES.get(key, key), _num(rps),
                         *(f"{ms:.2f}" for ms in groups), f"{sum(groups):.2f}",
                         f"{sum(groups) * rps / 1000:.2f}"])
    return rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [_line(header, widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(lines + [_line(row, widths) for row in rows])


def _line(values: list, widths: list[int]) -> str:
    return "| " + " | ".join(str(v).ljust(w) for v, w in zip(values, widths, strict=True)) + " |"


def target_checks(ours: dict, isso: dict, ceiling: dict, large: dict | None) -> list[str]:
    """Return the issue's targets, each with this run's figure and whether it is met."""
    c = TARGET_CONCURRENCY

    def rps(results, key, conn=c):
        s = stats(results.get(key) if results else None, conn)
        return s["rps"][0] if s else None

    checks = []
    for key, factor in (("thread50", 50), ("counts", 2), ("post", 2)):
        mine, theirs = rps(ours, key), rps(isso, key)
        if mine and theirs:
            ratio = mine / theirs
            checks.append(_check(f"{TITLES[key]}: ours/Isso at c={c} >= {factor}",
                                 f"{ratio:.1f}x", ratio >= factor))
    mine, top = rps(ours, "thread50"), rps(ceiling, "ceiling")
    if mine and top:
        checks.append(_check(f"50-comment thread: ours/ceiling at c={c} >= 0.5",
                             f"{mine / top:.2f}x", mine / top >= 0.5))
    page, thread = rps(ours, "article"), rps(ours, "thread50")
    if page and thread:
        checks.append(_check(f"article HTML page: article/thread JSON at c={c} >= 0.5",
                             f"{page / thread:.2f}x", page / thread >= 0.5))
    for key in READS:
        s = stats(ours.get(key), "1")
        if s:
            checks.append(_check(f"{TITLES[key]}: p50 with 1 client < 10 ms",
                                 f"{s['p50'][0]:.2f} ms", s["p50"][0] < 10))
    small, big = stats(ours.get("thread1000"), "1"), stats((large or {}).get("thread1000"), "1")
    if small and big:
        ratio = big["p50"][0] / small["p50"][0]
        checks.append(_check("1,000-comment thread: p50 on 1M comments / small <= 1.5 (c=1)",
                             f"{ratio:.2f}x", ratio <= 1.5))
    return checks


def _check(what: str, figure: str, met: bool) -> str:
    return f"- [{'x' if met else ' '}] {what}: {figure}{'' if met else '  (missed)'}"


def write_files(directory: Path, stamp: str, data: dict, text: str) -> tuple[Path, Path]:
    """Write the raw numbers (JSON) and the printed report (Markdown) under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{stamp}.json", directory / f"{stamp}.md"
    json_path.write_text(json.dumps(data, indent=2, default=str))
    md_path.write_text(text)
    return json_path, md_path


def header_text(meta: dict, targets: dict) -> str:
    """Return the report's opening: when, on what, with which settings, how loaded."""
    plan = meta["plan"]
    lines = [
        f"# Benchmark {meta['date']}",
        "",
        f"- machine: {meta['cpu_cores']} cores, {meta['platform']}, Python {meta['python']}",
        f"- load average (1, 5, 15 min) before: {_load(meta['load_average_before'])}; "
        f"after: {_load(meta.get('load_average_after'))}",
        f"- load tool: {meta['wrk']}, {meta['wrk_options']}",
        f"- servers: gunicorn {meta['gunicorn']} (the same for every app)",
        f"- runs: {plan['runs']} x {plan['seconds']} s per concurrency "
        f"{', '.join(map(str, plan['concurrencies']))}; cells are median (min-max)",
    ]
    for target in targets.values():
        extra = [f"seeded in {target['seed_seconds']} s"] if "seed_seconds" in target else []
        extra += target.get("notes", [])
        if "posted_statuses" in target:
            extra.append(f"posted comments by status: {target['posted_statuses']}")
        if "body_bytes" in target:
            extra.append(f"fixed body of {target['body_bytes']:,} bytes")
        lines.append(f"- {target['label']}: " + "; ".join(extra + _sizes(target)))
    return "\n".join(lines) + "\n"


def _load(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values) if values else "-"


def _sizes(target: dict) -> list[str]:
    """Name the response size of each scenario, and any scenario that could not be measured."""
    out = []
    for key, entry in target["scenarios"].items():
        if "skipped" in entry:
            out.append(f"{key} skipped ({entry['skipped']})")
        elif key != "post":
            out.append(f"{key} {entry['response_bytes']:,} B")
    return out
