"""Flawed V2 executor: durations are recorded in milliseconds.

The mistake: ``(time.perf_counter() - t) * 1000`` "to make the numbers readable", while the
seed's report (and every consumer of it) reads seconds. ``metrics.times`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import Any

from conformance.targets.correct_tool_executor import failed, resolve_operation

CONTRACT = "tool-executor-v2"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"metrics.times"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class MillisecondExecutor:
    def __init__(self) -> None:
        self._samples: dict[str, list[float]] = {}
        self._guard = threading.Lock()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        try:
            out = method(**params)
            return asyncio.run(out) if inspect.iscoroutine(out) else out
        except Exception as exc:
            raise failed(operation_name, exc) from exc

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        key = operation_name
        t = time.perf_counter()
        try:
            if inspect.iscoroutinefunction(method):
                return await method(**params)
            return await asyncio.to_thread(method, **params)
        except Exception:
            key = f"{operation_name}_error"
            raise
        finally:
            elapsed_ms = (time.perf_counter() - t) * 1000  # BUG: the report is in seconds
            with self._guard:
                self._samples.setdefault(key, []).append(elapsed_ms)

    def get_performance_metrics(self) -> dict[str, dict[str, float]]:
        with self._guard:
            out: dict[str, dict[str, float]] = {}
            for key, xs in self._samples.items():
                out[key] = {"avg_time": sum(xs) / len(xs), "min_time": min(xs),
                            "max_time": max(xs), "count": len(xs)}  # fmt: skip
            return out


def factory() -> MillisecondExecutor:
    return MillisecondExecutor()
