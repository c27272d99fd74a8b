"""Flawed tool executor: results are memoised by operation name and params, not by tool.

The mistake: the memo key forgets *which tool* ran, so ``search`` on the web tool and
``search`` on the docs tool with the same query share one answer.
``executor.isolation.tools`` catches it; since every example's fresh probe tool reuses op
names, the memo also hands one example's result to the next, so ``executor.sync.result``,
``executor.async.result``, ``executor.op_shapes``, ``executor.params.passthrough`` (the op
is not called), ``executor.sync.no_coroutine_leak`` and ``executor.contextvars`` (should)
fail too.
"""

from __future__ import annotations

import threading
from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.async.result",
        "executor.isolation.tools",
        "executor.op_shapes",
        "executor.params.passthrough",
        "executor.sync.no_coroutine_leak",
        "executor.sync.result",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset(
    {
        "executor.contextvars",
    }
)


def memo_key(operation_name: str, params: dict[str, Any]) -> str:
    """Key a call by op name and params."""
    return f"{operation_name}({sorted(params.items())!r})"  # BUG: the tool is not in it


class MemoisingToolExecutor(ToolExecutor):
    """An executor that remembers every result."""

    def __init__(self) -> None:
        self._memo: dict[str, Any] = {}
        self._lock = threading.Lock()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Return the remembered result, or run the operation and remember it."""
        key = memo_key(operation_name, params)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        result = super().execute(tool, operation_name, **params)
        with self._lock:
            self._memo[key] = result
        return result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Return the remembered result, or run the operation and remember it."""
        key = memo_key(operation_name, params)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        result = await super().execute_async(tool, operation_name, **params)
        with self._lock:
            self._memo[key] = result
        return result


def factory() -> MemoisingToolExecutor:
    """Return a fresh executor with an empty memo."""
    return MemoisingToolExecutor()
