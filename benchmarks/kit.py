"""Row ``kit.full``: seconds for the whole conformance kit on a correct implementation."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from ._harness import Bench, Measurement, Settings, Unavailable, require

__all__ = ["BENCHES"]

TARGET = Path(__file__).resolve().parent.parent / "conformance" / "targets" / "correct_all.py"
CONTRACTS = {
    "cache_provider": "cache-provider",
    "tool_provider": "tool-provider",
    "tool_executor": "tool-executor",
    "operation_executor": "operation-executor",
    "execution_interface": "execution-interface",
}
KIT_RUNS = 3  # seconds, not a ratio: a median of three runs is enough against a 20 s limit


def _run_kit(
    check: Any, max_examples: int | None, isolate: bool = True
) -> tuple[float, dict[str, Any]]:
    per_contract: dict[str, Any] = {}
    total = 0.0
    for factory, contract in CONTRACTS.items():
        kwargs: dict[str, Any] = {} if max_examples is None else {"max_examples": max_examples}
        if not isolate:
            kwargs["isolate"] = False
        start = time.perf_counter()
        report = check(f"{TARGET}:{factory}", contract, **kwargs)
        seconds = time.perf_counter() - start
        total += seconds
        failed = [getattr(r, "id", str(r)) for r in report.failed()]
        per_contract[contract] = {
            "seconds": round(seconds, 3),
            "passed": bool(report.passed),
            "level": str(getattr(report, "level", "")),
            "failed": failed,
        }
    return total, per_contract


def _kit_full(settings: Settings) -> Measurement:
    check = require("aiecs_conformance", "check")
    if not TARGET.exists():
        raise Unavailable(f"{TARGET.relative_to(TARGET.parents[2])} has not landed yet")
    runs = 1 if settings.smoke else min(settings.repeats, KIT_RUNS)
    max_examples = 2 if settings.smoke else None  # None: the kit's default profile
    totals: list[float] = []
    per_contract: dict[str, Any] = {}
    for _ in range(runs):
        total, per_contract = _run_kit(check, max_examples)
        totals.append(total)
    seconds = statistics.median(totals)
    # What isolation costs: the same run once in-process (the kit's --no-isolate mode).
    in_process, _ = _run_kit(check, max_examples, isolate=False)
    failing = {c: r["failed"] for c, r in per_contract.items() if r["failed"]}
    detail: dict[str, Any] = {
        "unit": "s",
        "seconds": round(seconds, 3),
        "runs": runs,
        "isolated": True,
        "in_process_seconds": round(in_process, 3),
        "isolation_cost_seconds": round(seconds - in_process, 3),
        "run_seconds": [round(t, 3) for t in totals],
        "profile": "default" if max_examples is None else f"smoke (max_examples={max_examples})",
        "target": "conformance/targets/correct_all.py (all five factories)",
        "contracts": per_contract,
    }
    if failing:
        detail["kit_failures"] = failing
    return Measurement(seconds, detail)


BENCHES = [
    Bench(
        id="kit.full",
        measured="the whole conformance kit (default profile) on a correct all-five target",
        baseline="— (seconds, report only)",
        goal=20.0,
        run=_kit_full,
        unit="s",
    ),
]
