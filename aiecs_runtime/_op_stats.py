"""Per-op timings of ``execute_with_metrics`` (`ToolExecutor`, `MeteredToolExecutor`): the
seed's performance report, one table for both."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable
from typing import Final, TypeVar

__all__ = ["OpStats"]

_MAX_NAMES: Final = 4096

_T = TypeVar("_T")


class _Row:
    __slots__ = ("count", "max", "min", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.min = float("inf")
        self.max = 0.0


class OpStats:
    """Counts and times per op name (failures under ``"<op>_error"``); exact under threads."""

    __slots__ = ("_lock", "_rows")

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}
        self._lock = threading.Lock()

    def record(self, name: str, seconds: float, *, failed: bool) -> None:
        """Count one call of ``name`` that took ``seconds``."""
        key = f"{name}_error" if failed else name
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                if len(self._rows) >= _MAX_NAMES:
                    key = "(other)"  # bounded: op names come from callers
                row = self._rows.setdefault(key, _Row())
            row.count += 1
            row.total += seconds
            row.min = min(row.min, seconds)
            row.max = max(row.max, seconds)

    async def timed(self, name: str, call: Awaitable[_T]) -> _T:
        """Await ``call`` and record how long it took under ``name`` (failures too)."""
        start = time.perf_counter()
        try:
            result = await call
        except BaseException:  # cancelled and failed calls are counted as failures
            self.record(name, time.perf_counter() - start, failed=True)
            raise
        self.record(name, time.perf_counter() - start, failed=False)
        return result

    def report(self) -> dict[str, dict[str, float | int]]:
        """``{op: {"avg_time", "min_time", "max_time", "count"}}``, times in seconds."""
        with self._lock:
            return {
                key: {
                    # avg clamped into [min, max]: float sums can stray by an ulp
                    "avg_time": min(row.max, max(row.min, row.total / row.count)),
                    "min_time": row.min,
                    "max_time": row.max,
                    "count": row.count,
                }
                for key, row in sorted(self._rows.items())
            }

    def reset(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._rows.clear()
