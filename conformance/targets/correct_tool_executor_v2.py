"""A correct V2 executor: ``execute`` plus ``execute_with_metrics`` and the seed's report."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import Any

from conformance.targets.correct_tool_executor import failed, resolve_operation

CONTRACT = "tool-executor-v2"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class Stats:
    """Running count, total, min and max of one op's durations."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.low = float("inf")
        self.high = 0.0


class MeteredExecutor:
    """Times every ``execute_with_metrics`` call under its op name (``<op>_error`` on failure)."""

    def __init__(self) -> None:
        self._stats: dict[str, Stats] = {}
        self._lock = threading.Lock()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op from synchronous code (an async op is run to completion)."""
        method = resolve_operation(tool, operation_name)
        try:
            result = method(**params)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
        except Exception as exc:
            raise failed(operation_name, exc) from exc
        return result

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op, return its result, and record how long it took."""
        method = resolve_operation(tool, operation_name)
        started = time.perf_counter()
        try:
            if inspect.iscoroutinefunction(method):
                result = await method(**params)
            else:
                result = await asyncio.to_thread(method, **params)
        except Exception:
            self._note(f"{operation_name}_error", time.perf_counter() - started)
            raise
        self._note(operation_name, time.perf_counter() - started)
        return result

    def _note(self, key: str, seconds: float) -> None:
        with self._lock:
            stats = self._stats.setdefault(key, Stats())
            stats.count += 1
            stats.total += seconds
            stats.low = min(stats.low, seconds)
            stats.high = max(stats.high, seconds)

    def get_performance_metrics(self) -> dict[str, dict[str, float]]:
        """The seed's report: avg/min/max seconds and the count, per op."""
        with self._lock:
            return {
                key: {
                    "avg_time": min(max(s.total / s.count, s.low), s.high),
                    "min_time": s.low,
                    "max_time": s.high,
                    "count": s.count,
                }
                for key, s in self._stats.items()
            }


def factory() -> MeteredExecutor:
    """Return a fresh executor with empty metrics."""
    return MeteredExecutor()
