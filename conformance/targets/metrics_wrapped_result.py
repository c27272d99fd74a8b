"""Flawed V2 executor: ``execute_with_metrics`` returns ``{"result": ..., "duration": ...}``.

The mistake: the caller "might want the timing too", so the op's result comes back wrapped
in a dict with its duration instead of as itself. The report is right.
``metrics.result`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections import defaultdict
from typing import Any

from conformance.targets.correct_tool_executor import failed, resolve_operation

CONTRACT = "tool-executor-v2"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"metrics.result"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TimedExecutor:
    def __init__(self) -> None:
        self.times: defaultdict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        try:
            out = method(**params)
            return asyncio.run(out) if inspect.iscoroutine(out) else out
        except Exception as exc:
            raise failed(operation_name, exc) from exc

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        method = resolve_operation(tool, operation_name)
        t0 = time.perf_counter()
        try:
            out = method(**params)
            if inspect.isawaitable(out):
                out = await out
        except Exception:
            with self.lock:
                self.times[operation_name + "_error"].append(time.perf_counter() - t0)
            raise
        took = time.perf_counter() - t0
        with self.lock:
            self.times[operation_name].append(took)
        return {"result": out, "duration": took}  # BUG: not the op's result

    def get_performance_metrics(self) -> dict[str, dict[str, float]]:
        with self.lock:
            return {
                op: {"avg_time": sum(ts) / len(ts), "min_time": min(ts), "max_time": max(ts),
                     "count": len(ts)}
                for op, ts in self.times.items() if ts
            }  # fmt: skip


def factory() -> TimedExecutor:
    return TimedExecutor()
