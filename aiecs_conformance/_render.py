"""Human output: a rich table per contract (failures first), a summary, a progress bar."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ._info import CheckInfo
from ._report import CheckResult, ConformanceReport

__all__ = ["ProgressDisplay", "make_console", "render_list", "render_report"]

_STYLE = {
    "passed": "green",
    "failed": "bold red",
    "error": "bold magenta",
    "skipped": "dim",
    "xfailed": "yellow",
    "xpassed": "bold red",
}
_RANK = {"error": 0, "failed": 0, "xpassed": 0, "xfailed": 1, "skipped": 2, "passed": 3}


def make_console(stream: TextIO | None = None) -> Console:
    """A console for the kit's output: no emoji codes, at least 120 columns when piped."""
    # Targets such as "file.py:factory" contain ":name:" pairs that rich would otherwise turn
    # into emoji; and an 80-column default squeezes the invariant texts into slivers.
    console = Console(file=stream, emoji=False)
    if not console.is_terminal:
        console.width = max(console.width, 120)
    return console


class ProgressDisplay:
    """A progress bar on stderr while checks run (only on a terminal)."""

    def __init__(self, total: int | None = None, stream: TextIO | None = None) -> None:
        console = make_console(stream or sys.stderr)
        self._progress: Progress | None = None
        if console.is_terminal:
            self._progress = Progress(
                TextColumn("[bold]checking[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=console,
                transient=True,
            )
            self._task = self._progress.add_task("", total=total)
            self._progress.start()

    def __call__(self, result: CheckResult, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total, description=result.id)

    def close(self) -> None:
        """Remove the bar."""
        if self._progress is not None:
            self._progress.stop()


def render_report(report: ConformanceReport, console: Console, reproduce: str | None) -> None:
    """Print a table per contract, failures first, then the verdict and the seed."""
    for contract in report.contracts:
        rows = [r for r in report.results if r.contract == contract]
        rows.sort(key=lambda r: (_RANK[r.outcome], r.severity != "must"))
        table = Table(title=f"{contract}", title_justify="left", expand=False)
        table.add_column("check", no_wrap=True)
        table.add_column("sev")
        table.add_column("outcome")
        table.add_column("reason / smallest example", overflow="fold")
        for r in rows:
            detail = Text(r.message)
            if r.example:
                detail.append(f"\nexample: {r.example}", style="cyan")
            if r.output:
                detail.append(f"\ntarget output: {r.output[:300]}", style="dim")
            check_id = f"{r.id} (timing)" if r.timing else r.id
            table.add_row(check_id, r.severity, Text(r.outcome, style=_STYLE[r.outcome]), detail)
        console.print(table)
    counts: dict[str, int] = {}
    for r in report.results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    verdict = "[green]PASSED[/]" if report.passed else "[bold red]FAILED[/]"
    console.print(
        f"{verdict} {escape(report.target)}: level [bold]{report.level}[/] ({summary}) "
        f"in {report.duration:.1f} s; seed {report.seed}",
        soft_wrap=True,
    )
    if not report.passed and reproduce:
        console.print(f"reproduce with: {reproduce}", soft_wrap=True, highlight=False, markup=False)
    if any(r.timing and r.failing for r in report.results):
        console.print(
            "(timing) checks measure races, overlap or cancellation: sized to catch their "
            "defect in >= 99 of 100 runs, they may rarely differ between runs of one seed",
            soft_wrap=True,
        )
    if not report.isolated:
        console.print("note: the target ran in the kit's own process (not isolated)")


def render_list(checks: list[CheckInfo], console: Console) -> None:
    """Print every check id, severity and text."""
    table = Table(title="aiecs-conformance checks", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("severity", max_width=28)
    table.add_column("since")
    table.add_column("timing")
    table.add_column("invariant", overflow="fold", ratio=1)
    for c in checks:
        sev = c.severity if c.condition is None else f"{c.severity}, {c.condition}"
        table.add_row(c.id, sev, c.since, "timing" if c.timing else "", c.text)
    console.print(table)
