"""Flawed tool executor: ``execute`` returns whatever the op returns, coroutines included.

The mistake: for an ``async def`` op, ``method(**params)`` is a coroutine object; the
caller gets it instead of the result (and Python warns "coroutine was never awaited"
later, far away). ``executor.sync.no_coroutine_leak`` catches it; a failing async op then
"succeeds" with a coroutine and the coroutine's op never runs, so
``executor.errors.propagate``, ``executor.errors.typed`` (should), ``executor.op_shapes``
and ``executor.params.passthrough`` fail too.
"""

from __future__ import annotations

from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor, failed

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.propagate",
        "executor.op_shapes",
        "executor.params.passthrough",
        "executor.sync.no_coroutine_leak",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.typed",
    }
)


class NaiveSyncToolExecutor(ToolExecutor):
    """An executor whose sync path forgets async ops exist."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Call the operation and return its result."""
        method = self._resolve(tool, operation_name)
        try:
            return method(**params)  # BUG: an async op's coroutine is returned, never awaited
        except Exception as exc:
            raise failed(operation_name, exc) from exc


def factory() -> NaiveSyncToolExecutor:
    """Return a fresh executor."""
    return NaiveSyncToolExecutor()
