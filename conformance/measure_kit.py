"""Measure the kit's own promises (issue 12) on the catalogued targets; print Markdown.

    python conformance/measure_kit.py repro --runs 20          # same seed, same failing ids?
    python conformance/measure_kit.py racy --runs 100          # timing checks catch races?
    python conformance/measure_kit.py set-order --seeds 20     # set-order keys caught?

``repro`` runs every target of ``conformance/targets`` ``--runs`` times with one seed and
reports any target whose failing ids (checks not marked timing) differ between runs.
``racy`` runs each target whose expected failures include a timing check, only that
check, ``--runs`` times, and counts the runs that caught it. ``set-order`` checks a cache
whose keys follow set iteration order under ``--seeds`` different seeds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `conformance` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiecs_conformance as ac
from aiecs_conformance._registry import TIMING_IDS
from conformance._catalog import SEED, discover

__all__ = ["main"]

SET_ORDER_CACHE = """
import hashlib, json
from conformance.targets.correct_cache import LruCache


def _plain(value):
    # A set is written in iteration order: the mistake (the correct cache sorts members).
    if isinstance(value, (set, frozenset)):
        return ["set", [_plain(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", sorted([repr(k), _plain(v)] for k, v in value.items())]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_plain(v) for v in value]]
    return [type(value).__name__, repr(value)]


class SetOrderKeys(LruCache):
    def generate_cache_key(self, operation_type, user_id, task_id, args, kwargs):
        payload = json.dumps([operation_type, user_id, task_id, _plain(args), _plain(kwargs)])
        return hashlib.sha256(payload.encode()).hexdigest()
"""


_ORDER_IDS = frozenset({"cache.key.deterministic", "cache.key.stable_across_processes"})


def _failing(report: ac.ConformanceReport) -> frozenset[str]:
    return frozenset(r.id for r in report.failed(None) if not r.timing)


def repro(runs: int, max_examples: int | None) -> int:
    unstable = 0
    started = time.monotonic()
    targets = discover()
    for target in targets:
        seen: list[frozenset[str]] = []
        for _ in range(runs):
            report = ac.check(target.spec, target.contract, seed=SEED, max_examples=max_examples)
            seen.append(_failing(report))
        if len(set(seen)) > 1:
            unstable += 1
            print(f"- UNSTABLE `{target.name}`: {sorted({i for s in seen for i in s})}")
    print(
        f"- {len(targets)} targets x {runs} runs, seed {SEED}, max_examples "
        f"{max_examples or 'default'}: {len(targets) - unstable} identical every run, "
        f"{unstable} not ({time.monotonic() - started:.0f} s)"
    )
    return 1 if unstable else 0


def racy(runs: int) -> int:
    worst = 1.0
    for target in discover():
        wanted = (target.expected_must or frozenset()) | (target.expected_should or frozenset())
        for check_id in sorted(wanted & TIMING_IDS):
            caught = 0
            for _ in range(runs):  # one seed: the examples repeat, only the timing varies
                report = ac.check(target.spec, target.contract, seed=SEED, only=[check_id])
                caught += report.result(check_id).failing
            worst = min(worst, caught / runs)
            print(
                f"- `{target.name}` / `{check_id}`: caught in {caught} of {runs} runs",
                flush=True,
            )
    return 0 if worst >= 0.99 else 1


def set_order(seeds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "set_order_cache.py"
        path.write_text(SET_ORDER_CACHE, encoding="utf-8")
        caught = 0
        for seed in range(1, seeds + 1):
            report = ac.check(f"{path}:SetOrderKeys", "cache-provider", seed=seed)
            failed = report.failed_ids()
            caught += bool(
                failed & {"cache.key.deterministic", "cache.key.stable_across_processes"}
            )
        print(f"- a cache keyed on set iteration order: caught on {caught} of {seeds} seeds")
    return 0 if caught == seeds else 1


def main(argv: list[str] | None = None) -> int:
    """Run one measurement; print its figures as Markdown list items."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("repro")
    r.add_argument("--runs", type=int, default=20)
    r.add_argument("--max-examples", type=int, default=None)
    sub.add_parser("racy").add_argument("--runs", type=int, default=100)
    sub.add_parser("set-order").add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    if args.what == "repro":
        return repro(args.runs, args.max_examples)
    if args.what == "racy":
        return racy(args.runs)
    return set_order(args.seeds)


if __name__ == "__main__":
    raise SystemExit(main())
