"""Flawed V2 executor: the op's count is read before the op runs and written after it.

The mistake: ``n = stats["count"]`` ... ``await op()`` ... ``stats["count"] = n + 1`` —
concurrent coroutines (or threads) read the same ``n`` and all but one update are lost.
``metrics.counts`` catches it when 50 coroutines call at once.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

from conformance.targets.correct_tool_executor import failed, resolve_operation

CONTRACT = "tool-executor-v2"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"metrics.counts"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class StatsExecutor:
    def __init__(self) -> None:
        self.stats: dict[str, dict[str, float]] = {}

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        try:
            out = method(**params)
            return asyncio.run(out) if inspect.iscoroutine(out) else out
        except Exception as exc:
            raise failed(operation_name, exc) from exc

    def _row(self, key: str) -> dict[str, float]:
        return self.stats.setdefault(
            key, {"count": 0, "total": 0.0, "min_time": float("inf"), "max_time": 0.0}
        )

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        ok_row, err_row = self._row(operation_name), self._row(operation_name + "_error")
        ok_n, err_n = ok_row["count"], err_row["count"]  # BUG: read before the await
        start = time.perf_counter()
        try:
            if inspect.iscoroutinefunction(method):
                result = await method(**params)
            else:
                result = await asyncio.to_thread(method, **params)
        except Exception:
            self._finish(err_row, err_n, time.perf_counter() - start)
            raise
        self._finish(ok_row, ok_n, time.perf_counter() - start)
        return result

    @staticmethod
    def _finish(row: dict[str, float], seen: float, took: float) -> None:
        row["count"] = seen + 1
        row["total"] += took
        row["min_time"] = min(row["min_time"], took)
        row["max_time"] = max(row["max_time"], took)

    def get_performance_metrics(self) -> dict[str, dict[str, float]]:
        return {
            key: {
                "avg_time": min(max(row["total"] / row["count"], row["min_time"]), row["max_time"]),
                "min_time": row["min_time"],
                "max_time": row["max_time"],
                "count": row["count"],
            }
            for key, row in self.stats.items()
            if row["count"]
        }


def factory() -> StatsExecutor:
    return StatsExecutor()
