"""Timing machinery: interleaved candidate/baseline runs, calibration, medians.

Every row compares a candidate against a baseline measured in the same process, run
after run (A B A B ...), because on a shared machine only ratios survive the noise.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import math
import statistics
import tracemalloc
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Bench",
    "Measurement",
    "Settings",
    "Timed",
    "Unavailable",
    "compare_memory",
    "compare_times",
    "on_loop",
    "require",
]

Timed = Callable[[int], int]
"""``timed(n)`` performs ``n`` iterations and returns the nanoseconds they took."""

Traced = Callable[[], object]
"""``traced()`` performs one full run whose peak traced memory is measured."""


class Unavailable(Exception):
    """Raised by a row whose dependency has not landed or cannot run on this machine."""


@dataclass(frozen=True)
class Settings:
    """How hard to measure: repeats, the minimum length of one run, slices, smoke mode."""

    repeats: int = 9
    min_run_ns: int = 60_000_000
    slices: int = 10
    smoke: bool = False

    @property
    def kind(self) -> str:
        """Either ``"smoke"`` or ``"full"``, for the record."""
        return "smoke" if self.smoke else "full"


@dataclass
class Measurement:
    """What one row produced: its ratio (``None`` when it cannot be had) and the detail."""

    ratio: float | None
    detail: dict[str, Any] = field(default_factory=dict[str, Any])


@dataclass(frozen=True)
class Bench:
    """One row: what is measured, against what, the goal to beat, and how to run it."""

    id: str
    measured: str
    baseline: str
    goal: float | None  # None: report only
    run: Callable[[Settings], Measurement]
    unit: str = "ratio"  # "ratio", or "s" for rows that report seconds against a limit


@contextmanager
def _gc_off(disable: bool) -> Generator[None, None, None]:
    gc.collect()
    if not disable:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _calibrate(timed: Timed, target_ns: int, disable_gc: bool) -> tuple[int, int]:
    """Return an iteration count whose run lasts at least ``target_ns``, and one call's time."""
    n, single = 1, 0
    while True:
        with _gc_off(disable_gc):
            elapsed = timed(n)
        if n == 1:
            single = elapsed
        if elapsed >= target_ns:
            return n, single
        if elapsed * 10 >= target_ns:
            # close enough to extrapolate; 20 % headroom so the real runs clear the bar
            return max(n + 1, math.ceil(n * target_ns * 1.2 / max(elapsed, 1))), single
        n *= 10


def compare_times(
    candidate: Timed,
    baseline: Timed,
    settings: Settings,
    *,
    ops_per_iteration: int = 1,
    disable_gc: bool = True,
    warmup: bool = True,
) -> Measurement:
    """Time ``candidate`` and ``baseline`` interleaved; ratio of median time per op.

    ``settings.repeats`` rounds; in each, candidate and baseline each run for at least
    ``settings.min_run_ns`` in total, split into ``settings.slices`` alternating slices
    (A B A B ...) so both sides see the same load on a shared machine. When one call of
    either side already lasts a whole run (10,000 ops in one call), a round is one run of
    each, unsliced. Smoke mode: one round, two iterations per side, nothing calibrated.
    """
    if warmup:  # first-call costs (imports, caches, signature memos) are not per-op
        candidate(1)
        baseline(1)
    slices = 1
    if settings.smoke:
        n_c = n_b = 2
        repeats = 1
    else:
        repeats = settings.repeats
        slices = max(1, settings.slices)
        slice_ns = settings.min_run_ns // slices
        n_c, one_c = _calibrate(candidate, slice_ns, disable_gc)
        n_b, one_b = _calibrate(baseline, slice_ns, disable_gc)
        if max(one_c, one_b) * 2 > slice_ns:  # calls too long to slice finely
            slices = 1
            n_c, _ = _calibrate(candidate, settings.min_run_ns, disable_gc)
            n_b, _ = _calibrate(baseline, settings.min_run_ns, disable_gc)
    per_op_c: list[float] = []
    per_op_b: list[float] = []
    for _ in range(repeats):
        spent_c = spent_b = 0
        with _gc_off(disable_gc):
            for _ in range(slices):
                spent_c += candidate(n_c)
                spent_b += baseline(n_b)
        per_op_c.append(spent_c / (slices * n_c * ops_per_iteration))
        per_op_b.append(spent_b / (slices * n_b * ops_per_iteration))
    med_c = statistics.median(per_op_c)
    med_b = statistics.median(per_op_b)
    pair_ratios = sorted(c / b for c, b in zip(per_op_c, per_op_b, strict=True))
    return Measurement(
        ratio=med_c / med_b,
        detail={
            "candidate_ns_per_op": round(med_c, 1),
            "baseline_ns_per_op": round(med_b, 1),
            "repeats": repeats,
            "slices_per_repeat": slices,
            "candidate_ops_per_repeat": slices * n_c * ops_per_iteration,
            "baseline_ops_per_repeat": slices * n_b * ops_per_iteration,
            "pair_ratio_min": round(pair_ratios[0], 3),
            "pair_ratio_median": round(statistics.median(pair_ratios), 3),
            "pair_ratio_max": round(pair_ratios[-1], 3),
            "gc": "disabled while timing"
            if disable_gc
            else "enabled (collected before each repeat)",
            "order": "interleaved: candidate, baseline, candidate, baseline, ...",
        },
    )


def _peak(traced: Traced) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        traced()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


def compare_memory(candidate: Traced, baseline: Traced, settings: Settings) -> Measurement:
    """Peak traced memory (tracemalloc) of one run of each, interleaved; ratio of medians."""
    repeats = 1 if settings.smoke else settings.repeats
    peaks_c: list[int] = []
    peaks_b: list[int] = []
    for _ in range(repeats):
        peaks_c.append(_peak(candidate))
        peaks_b.append(_peak(baseline))
    med_c = statistics.median(peaks_c)
    med_b = statistics.median(peaks_b)
    return Measurement(
        ratio=med_c / med_b if med_b else None,
        detail={
            "candidate_peak_bytes": int(med_c),
            "baseline_peak_bytes": int(med_b),
            "repeats": repeats,
            "method": "tracemalloc peak above the traced size at the start of the run",
            "order": "interleaved: candidate, baseline, candidate, baseline, ...",
        },
    )


def on_loop(loop: asyncio.AbstractEventLoop, body: Callable[[int], Awaitable[int]]) -> Timed:
    """Adapt an async timed body (it reads the clock itself, inside the loop) to `Timed`."""
    return lambda n: loop.run_until_complete(body(n))


def require(module: str, name: str) -> Any:
    """Return ``module.name``, or raise `Unavailable` saying which dependency is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{module} cannot be imported yet ({exc})") from None
    try:
        return getattr(mod, name)
    except AttributeError:
        raise Unavailable(f"{module}.{name} has not landed yet") from None
