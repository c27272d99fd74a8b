"""Ratio benchmarks: every figure is our cost over a baseline measured in the same run.

``python -m benchmarks`` runs every row, prints one table and writes ``results.json``::

    {"python": str, "machine": str,
     "rows": [{"id": str, "ratio": float | null, "baseline": str,
               "goal": float | null, "met": bool, "detail": {...}}]}

``ratio`` is candidate time (or peak memory) per op over the baseline's; for ``kit.full``
it is seconds. ``goal`` is null for report-only rows (their ``met`` is true). ``ratio`` is
null, and ``met`` false, when a row could not run; ``detail.unavailable`` or
``detail.error`` says why.
"""

from ._harness import Bench, Measurement, Settings, Unavailable, compare_memory, compare_times
from ._report import RESULTS_PATH, render, run_bench, write_results
from .cache_key import BENCHES as _CACHE_KEY
from .contracts import BENCHES as _CONTRACTS
from .distributed import BENCHES as _DISTRIBUTED
from .executor import BENCHES as _EXECUTOR
from .kit import BENCHES as _KIT
from .memory_cache import BENCHES as _MEMORY_CACHE
from .observers import BENCHES as _OBSERVERS
from .operations import BENCHES as _OPERATIONS

__all__ = [
    "BENCHES",
    "RESULTS_PATH",
    "Bench",
    "Measurement",
    "Settings",
    "Unavailable",
    "compare_memory",
    "compare_times",
    "render",
    "run_bench",
    "select",
    "write_results",
]

BENCHES: tuple[Bench, ...] = (
    *_CONTRACTS,
    *_CACHE_KEY,
    *_MEMORY_CACHE,
    *_EXECUTOR,
    *_OBSERVERS,
    *_OPERATIONS,
    *_KIT,
    *_DISTRIBUTED,
)
"""Every row, in the order of the issue's table (distributed rows last)."""


def select(patterns: list[str] | None) -> list[Bench]:
    """Return the rows whose id starts with one of ``patterns`` (all rows if none)."""
    if not patterns:
        return list(BENCHES)
    chosen = [b for b in BENCHES if any(b.id.startswith(p) for p in patterns)]
    if not chosen:
        known = ", ".join(b.id for b in BENCHES)
        raise ValueError(f"no row matches {patterns!r}; known rows: {known}")
    return chosen
