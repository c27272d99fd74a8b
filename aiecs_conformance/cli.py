"""The ``aiecs-conformance`` command: ``check TARGET`` and ``list``.

Exit codes: 0 every must-check passed; 1 a must-check failed, or the target exited, crashed
or hung during a check; 2 bad usage, or the target could not be imported or built (one line
on stderr; the traceback only with ``--debug``). Under ``--json`` stdout is exactly one JSON
object, whatever happens (on exit 2 it carries ``"error"``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import shlex
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._bounds import GRACE, KILL_WAIT, check_bound, run_bound, startup_bound
from ._options import DEFAULT_TIMEOUT, RunOptions, profile_named
from ._registry import CONTRACTS, KIT_VERSION, all_checks, resolve_contract
from ._report import ConformanceReport
from ._runner import check
from ._target import TargetError
from ._zygote import ChildStartError

__all__ = ["main"]

_BOUNDS = f"""\
bounds: --timeout (default {DEFAULT_TIMEOUT:g}) is the unit of every bound, not a cut-off for
each call. A call the kit waits on (a thread, a coroutine) gets timeout seconds. A check
gets 8 x timeout x its budget (1 to 3) x max(1, max-examples / 25) seconds (40 s for most
checks by default): past that it is an error naming the member it is inside, and if its
process still does not report {GRACE:g} s later the kit kills it. Importing and building
the target may take max(30, 6 x timeout) seconds per child. Worst case for a whole run
(every check hangs and is killed): the start-up bound, plus per check max(its bound +
{GRACE:g}, the start-up bound) + {KILL_WAIT:g} + the start-up bound. The JSON report
repeats these figures under "bounds"; the reproduce line always repeats --timeout.

isolation: the target runs in a child process; whatever it does (print, sys.exit,
os._exit, crash, hang, leave threads behind) the running check errs and the rest go on
in a fresh child. --no-isolate runs it in this process, for debugging only.

exit codes: 0 every must-check passed; 1 a must-check failed, or the target exited,
crashed or hung during a check; 2 bad usage, or the target cannot be imported or built.
"""


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of seconds greater than 0, got {text!r}"
        )
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aiecs-conformance",
        description="Check an implementation against the aiecs execution contracts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "check",
        help="run every check of a contract against TARGET",
        epilog=_BOUNDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("target", help="factory import string: 'module:attr' or 'file.py:attr'")
    run.add_argument("--contract", help=f"one of {', '.join(CONTRACTS)} (or a Protocol name)")
    run.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    run.add_argument("--junit-xml", metavar="PATH", help="also write a JUnit XML report to PATH")
    run.add_argument("--max-examples", type=_positive, help="hypothesis examples per property")
    run.add_argument("--seed", type=int, help="seed to reproduce an earlier run")
    run.add_argument(
        "--skip",
        type=_ids,
        action="append",
        default=[],
        metavar="ID[,ID...]",
        help="skip these check ids (several, comma-separated, or the option repeated)",
    )
    run.add_argument("--kit-level", metavar="VER", help="only checks added up to this kit version")
    run.add_argument("--profile", choices=["dev", "ci"], default=None)
    run.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        help=f"the unit of the hang bounds, in seconds (default {DEFAULT_TIMEOUT:g}; finite, "
        f"> 0): a waited-for call gets this, a check 8 x this x its budget x "
        f"max(1, max-examples / 25); see bounds below",
    )
    run.add_argument(
        "--no-isolate",
        dest="isolate",
        action="store_false",
        help="run the target in this process (debugging only: it can crash the kit)",
    )
    run.add_argument("--debug", action="store_true", help="show tracebacks")
    listing = sub.add_parser("list", help="print every check id, severity and text")
    listing.add_argument("--json", action="store_true")
    for p in (run, listing):
        p.error = parser.error  # type: ignore[method-assign]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args_list = _split_skips(list(sys.argv[1:] if argv is None else argv))
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as exc:
        return _fail(f"{exc}", "--json" in args_list, None)
    if args.command == "list":
        return _list(bool(args.json))
    return _check(args)


def _split_skips(argv: list[str]) -> list[str]:
    """``--skip A B`` -> ``--skip A --skip B``, stopping at an option or a target.

    A target always contains ``:`` (``module:attr``, ``file.py:attr``) and a check id never
    does, so ``--skip ID TARGET`` keeps ``TARGET`` as the target.
    """
    out: list[str] = []
    taking = False
    for token in argv:
        if token == "--skip":
            taking = False
            out.append(token)
            continue
        if out and out[-1] == "--skip":
            out.append(token)
            taking = True
            continue
        if taking and not token.startswith("-") and ":" not in token:
            out += ["--skip", token]
            continue
        taking = False
        out.append(token)
    return out


def _fail(message: str, as_json: bool, target: str | None) -> int:
    """Exit 2: one line on stderr and, under --json, one JSON object saying why."""
    line = " ".join(message.split())
    print(f"aiecs-conformance: error: {line}", file=sys.stderr)
    if as_json:
        data = {"target": target, "passed": False, "error": line, "kit_version": KIT_VERSION}
        print(json.dumps(data))
    return 2


def _list(as_json: bool) -> int:
    checks = all_checks()
    if as_json:
        print(json.dumps([dataclasses.asdict(c) for c in checks], indent=2))
    else:
        from ._render import make_console, render_list

        render_list(checks, make_console())
    return 0


def _check(args: argparse.Namespace) -> int:
    debug = bool(args.debug)
    skip = [i for group in args.skip for i in group]
    try:
        if args.contract is not None:
            resolve_contract(args.contract)
        options = RunOptions.build(
            max_examples=args.max_examples,
            seed=args.seed,
            skip=skip,
            kit_level=args.kit_level,
            profile=args.profile,
            timeout=args.timeout,
            isolate=args.isolate,
        )
        report = check(args.target, args.contract, progress=not args.json, options=options)
    except (TargetError, ChildStartError, ValueError) as exc:
        if debug:
            traceback.print_exc()
        return _fail(str(exc), bool(args.json), args.target)
    except Exception as exc:  # a bug of the kit itself: still one line, still one JSON object
        if debug:
            traceback.print_exc()
        return _fail(
            f"the kit itself failed ({type(exc).__name__}: {exc}); please report it, with "
            f"--debug for the traceback",
            bool(args.json),
            args.target,
        )
    reproduce = _reproduce(args, report.seed, skip)
    bounds = _bounds(report, options)
    if args.junit_xml:
        from ._junit import write_junit

        write_junit(report, Path(args.junit_xml), reproduce)
    if args.json:
        data: dict[str, Any] = report.to_json()
        data["reproduce"] = reproduce
        data["bounds"] = bounds
        print(json.dumps(data, default=str))
    else:
        from ._render import make_console, render_report

        render_report(report, make_console(), reproduce)
        if not report.passed:
            print(
                f"bounds: --timeout {options.timeout:g} s; a check at most "
                f"{bounds['check']:g} s (+{GRACE:g} s before its process is killed); this "
                f"run at most {bounds['run']:g} s"
            )
    return 0 if report.passed else 1


def _bounds(report: ConformanceReport, options: RunOptions) -> dict[str, float]:
    """The bounds this run was held to, in seconds (see the bounds of ``--help``)."""
    from .checks import load_all

    implementations = load_all()
    budgets = [implementations[r.id].budget for r in report.results if r.id in implementations]
    longest = max(budgets, default=1.0)
    return {
        "timeout": options.timeout,
        "check": check_bound(options.timeout, options.max_examples, longest),
        "grace": GRACE,
        "startup": startup_bound(options.timeout),
        "run": run_bound(budgets, options.timeout, options.max_examples),
    }


def _reproduce(args: argparse.Namespace, seed: int, skip: list[str]) -> str:
    """The command that repeats this verdict: every option that can change it."""
    parts = ["aiecs-conformance", "check", args.target]
    if args.contract:
        parts += ["--contract", args.contract]
    if args.max_examples is not None:
        parts += ["--max-examples", str(args.max_examples)]
    if args.profile and args.profile != profile_named(None).name:
        parts += ["--profile", args.profile]
    if args.kit_level:
        parts += ["--kit-level", args.kit_level]
    if skip:
        parts += ["--skip", ",".join(skip)]
    parts += ["--timeout", f"{args.timeout:g}"]  # always: every bound is a multiple of it
    if not args.isolate:
        parts.append("--no-isolate")
    parts += ["--seed", str(seed)]
    return shlex.join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
