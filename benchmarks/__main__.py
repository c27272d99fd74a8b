"""``python -m benchmarks [--smoke] [--only ID ...] [--repeats N] [--profile] [--list] ...``.

Exit codes: 0 every selected row ran (or is unavailable, with the reason); 1 a row raised;
2 a usage error. Missed goals do not fail the command: the table and NOTES.md say them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from . import BENCHES, RESULTS_PATH, Settings, render, run_bench, select, write_results


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Ratio benchmarks: ours against a baseline run in the same process, "
        "interleaved, median of the repeats.",
    )
    p.add_argument(
        "--smoke",
        action="store_true",
        help="a couple of iterations of every row, to prove they run; writes nothing "
        "unless --output is given, says nothing about speed",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="ID",
        help="run only the rows whose id starts with ID (memory_cache, parallel.10k, ...); "
        "repeatable. Results are merged into the existing results file.",
    )
    p.add_argument("--repeats", type=int, default=9, help="interleaved rounds (>= 5; default 9)")
    p.add_argument(
        "--min-run-ms",
        type=float,
        default=60.0,
        help="minimum time each side runs per round, in ms (default 60)",
    )
    p.add_argument(
        "--slices",
        type=int,
        default=10,
        help="alternating slices per round, so both sides see the same load (default 10)",
    )
    p.add_argument("--output", type=Path, help=f"results file (default {RESULTS_PATH.name})")
    p.add_argument("--list", action="store_true", help="list the rows and exit")
    p.add_argument(
        "--profile",
        action="store_true",
        help="run the selected rows under pyinstrument and print where the time goes "
        "(candidate and baseline sit in separate subtrees); writes no results",
    )
    return p


def _profiler() -> Any:
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit(
            "--profile needs pyinstrument: pip install 'aiecs-contracts[dev]' "
            "(or pip install pyinstrument)"
        ) from None
    return Profiler(interval=0.0002, async_mode="disabled")


def main(argv: list[str] | None = None) -> int:
    """Run the selected rows, print the table and write the results; return the exit code."""
    args = _parser().parse_args(argv)
    console = Console()
    if not console.is_terminal:  # piped or in CI: do not squeeze the table into 80 columns
        console = Console(width=150)
    if args.list:
        for b in BENCHES:
            goal = "report only" if b.goal is None else f"goal {b.goal:g}"
            console.print(f"{b.id:<24} {goal:<12} {b.measured}", highlight=False)
        return 0
    if not args.smoke and args.repeats < 5:
        print(
            f"--repeats {args.repeats}: a full run needs at least 5 repeats for its median; "
            f"use --smoke for a quick check that the rows still run",
            file=sys.stderr,
        )
        return 2
    try:
        benches = select(args.only)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    settings = Settings(
        repeats=args.repeats,
        min_run_ns=int(args.min_run_ms * 1e6),
        slices=args.slices,
        smoke=args.smoke,
    )
    rows: list[dict[str, Any]] = []
    profiler = _profiler() if args.profile else None
    if profiler is not None:
        profiler.start()
    for bench in benches:
        with console.status(f"{bench.id} …"):
            rows.append(run_bench(bench, settings))
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=console.is_terminal, show_all=False))
    title = "benchmarks (smoke: no speed claims)" if args.smoke else "benchmarks"
    render(rows, title, console)
    output = args.output if args.output is not None else (None if args.smoke else RESULTS_PATH)
    if args.profile:
        output = None  # timings taken under a profiler are not results
    if output is not None:
        write_results(rows, output, [b.id for b in BENCHES])
        console.print(f"wrote {output}", highlight=False)
    broken = [r["id"] for r in rows if "error" in r["detail"]]
    if broken:
        print(f"rows that raised: {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
