"""The ``aiecs-conformance`` command: ``check TARGET`` and ``list``.

Exit codes: 0 every must-check passed; 1 a must-check failed; 2 bad usage, or the target
could not be imported or built (one line on stderr; the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import sys
import traceback
from collections.abc import Sequence

from ._registry import CONTRACTS, all_checks, resolve_contract, validate_ids
from ._runner import check
from ._target import TargetError

__all__ = ["main"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aiecs-conformance",
        description="Check an implementation against the aiecs execution contracts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("check", help="run every check of a contract against TARGET")
    run.add_argument("target", help="factory import string: 'module:attr' or 'file.py:attr'")
    run.add_argument("--contract", help=f"one of {', '.join(CONTRACTS)} (or a Protocol name)")
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    run.add_argument("--max-examples", type=int, help="hypothesis examples per property")
    run.add_argument("--seed", type=int, help="seed to reproduce an earlier run")
    run.add_argument("--skip", nargs="+", action="extend", default=[], metavar="ID")
    run.add_argument("--kit-level", metavar="VER", help="only checks added up to this kit version")
    run.add_argument("--profile", choices=["dev", "ci"], default=None)
    run.add_argument("--timeout", type=float, default=5.0, help="seconds per call (default 5)")
    run.add_argument("--debug", action="store_true", help="show tracebacks")
    listing = sub.add_parser("list", help="print every check id, severity and text")
    listing.add_argument("--json", action="store_true")
    for p in (run, listing):
        p.error = parser.error  # type: ignore[method-assign]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as exc:
        print(f"aiecs-conformance: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "list":
        return _list(bool(args.json))
    return _check(args)


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
    try:
        if args.contract is not None:
            resolve_contract(args.contract)
        validate_ids(args.skip, "--skip")
        report = check(
            args.target,
            args.contract,
            max_examples=args.max_examples,
            seed=args.seed,
            skip=args.skip,
            kit_level=args.kit_level,
            profile=args.profile,
            progress=True,
            timeout=args.timeout,
        )
    except (TargetError, ValueError) as exc:
        if debug:
            traceback.print_exc()
        print(f"aiecs-conformance: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), default=str))
    else:
        from ._render import make_console, render_report

        render_report(report, make_console(), _reproduce(args, report.seed))
    return 0 if report.passed else 1


def _reproduce(args: argparse.Namespace, seed: int) -> str:
    parts = ["aiecs-conformance", "check", args.target]
    if args.contract:
        parts += ["--contract", args.contract]
    if args.max_examples is not None:
        parts += ["--max-examples", str(args.max_examples)]
    if args.profile:
        parts += ["--profile", args.profile]
    if args.kit_level:
        parts += ["--kit-level", args.kit_level]
    if args.skip:
        parts += ["--skip", *args.skip]
    parts += ["--seed", str(seed)]
    return shlex.join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
