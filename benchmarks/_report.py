"""Running rows into result records, the rich table, and ``results.json``."""

from __future__ import annotations

import json
import math
import os
import platform
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ._harness import Bench, Measurement, Settings, Unavailable

__all__ = ["RESULTS_PATH", "machine", "merge_rows", "render", "run_bench", "write_results"]

RESULTS_PATH = Path(__file__).with_name("results.json")


def run_bench(bench: Bench, settings: Settings) -> dict[str, Any]:
    """Run one row and return its record in the ``results.json`` row shape."""
    started = time.perf_counter()
    try:
        m = bench.run(settings)
    except Unavailable as exc:
        m = Measurement(None, {"unavailable": str(exc)})
    except Exception as exc:  # a broken row must not hide the others; it is reported
        m = Measurement(
            None,
            {
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=6).splitlines()[-6:],
            },
        )
    ratio = m.ratio
    if ratio is not None and not math.isfinite(ratio):
        m.detail["non_finite_ratio"] = repr(ratio)
        ratio = None
    if ratio is None:
        m.detail.setdefault("ratio_null", "no ratio could be measured (JSON has no NaN)")
        met = False
    elif bench.goal is None:
        m.detail["report_only"] = True
        met = True
    else:
        met = ratio <= bench.goal if bench.unit == "ratio" else ratio < bench.goal
    m.detail.setdefault("unit", "candidate/baseline" if bench.unit == "ratio" else bench.unit)
    m.detail["measured"] = bench.measured
    m.detail["mode"] = settings.kind
    m.detail["row_seconds"] = round(time.perf_counter() - started, 2)
    return {
        "id": bench.id,
        "ratio": None if ratio is None else round(ratio, 4),
        "baseline": bench.baseline,
        "goal": bench.goal,
        "met": met,
        "detail": m.detail,
    }


def machine() -> str:
    """Describe the machine in one line: CPU model, core count, OS and architecture."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()} {platform.machine()}"
    return f"{cpu}, {os.cpu_count()} CPUs, {system}"


def python() -> str:
    """Describe the interpreter in one line."""
    return f"{platform.python_implementation()} {platform.python_version()}"


def merge_rows(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], order: Sequence[str]
) -> list[dict[str, Any]]:
    """Replace rows of ``old`` by ``new`` ones with the same id, in ``order``."""
    by_id = {r["id"]: r for r in old}
    by_id.update({r["id"]: r for r in new})
    known = [by_id.pop(i) for i in order if i in by_id]
    return known + list(by_id.values())


def write_results(rows: Sequence[dict[str, Any]], path: Path, order: Sequence[str]) -> None:
    """Write ``{"python", "machine", "rows"}`` to ``path``, merging into rows already there."""
    old: list[dict[str, Any]] = []
    if path.exists():
        try:
            old = list(json.loads(path.read_text())["rows"])
        except (ValueError, KeyError, TypeError):
            old = []
    doc = {"python": python(), "machine": machine(), "rows": merge_rows(old, rows, order)}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _fmt_ns(value: object) -> str:
    if not isinstance(value, int | float):
        return ""
    if value >= 1e9:
        return f"{value / 1e9:.2f} s"
    if value >= 1e6:
        return f"{value / 1e6:.2f} ms"
    if value >= 1e3:
        return f"{value / 1e3:.2f} µs"
    return f"{value:.0f} ns"


def _fmt_bytes(value: object) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} kB"


def _sides(detail: dict[str, Any]) -> tuple[str, str]:
    if "candidate_ns_per_op" in detail:
        return _fmt_ns(detail["candidate_ns_per_op"]), _fmt_ns(detail["baseline_ns_per_op"])
    if "candidate_peak_bytes" in detail:
        return _fmt_bytes(detail["candidate_peak_bytes"]), _fmt_bytes(detail["baseline_peak_bytes"])
    if "seconds" in detail:
        return f"{detail['seconds']:.2f} s", ""
    return "", ""


def render(rows: Sequence[dict[str, Any]], title: str, console: Console | None = None) -> None:
    """Print the rows as one rich table."""
    table = Table(title=title, title_justify="left")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("ratio", justify="right")
    table.add_column("goal", justify="right")
    table.add_column("met", justify="center")
    table.add_column("ours", justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("baseline is", overflow="fold")
    notes: list[str] = []
    for row in rows:
        detail = row["detail"]
        seconds = detail.get("unit") == "s"
        if row["ratio"] is None:
            why = detail.get("unavailable") or detail.get("error") or "no ratio"
            notes.append(f"{row['id']}: {why}")
            ratio = "[yellow]unavailable[/]" if "unavailable" in detail else "[red]error[/]"
        else:
            ratio = f"{row['ratio']:.2f} s" if seconds else f"{row['ratio']:.3f}"
        goal = row["goal"]
        goal_txt = "report" if goal is None else (f"< {goal:g} s" if seconds else f"≤ {goal:g}")
        if row["ratio"] is None:
            met = "[yellow]n/a[/]"
        elif detail.get("mode") == "smoke":
            met = "[dim]smoke[/]"  # two iterations prove the row runs, not how fast it is
        elif goal is None:
            met = "—"
        else:
            met = "[green]yes[/]" if row["met"] else "[red]NO[/]"
        ours, theirs = _sides(detail)
        table.add_row(row["id"], ratio, goal_txt, met, ours, theirs, row["baseline"])
    console = console or Console()
    console.print(table)
    for note in notes:
        console.print(f"  {note}", highlight=False, markup=False)
