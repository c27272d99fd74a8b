"""Flawed tool executor: ``execute_async`` runs plain ``def`` ops on the event loop.

The mistake: the async path calls the sync path directly, so a blocking op (a ``requests``
call, a ``time.sleep``) freezes every other coroutine on the loop for its whole duration.
Results are right, so only ``executor.async.nonblocking`` (a should) catches it: the target
is "conforming", not "full".
"""

from __future__ import annotations

import inspect
from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor, failed

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"executor.async.nonblocking"})


class LoopBlockingToolExecutor(ToolExecutor):
    """An executor whose async path blocks the loop on sync ops."""

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await an async op; call a sync op directly."""
        method = self._resolve(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(method):
                return await method(**params)
            result = method(**params)  # BUG: blocks the event loop; use asyncio.to_thread
            if inspect.isawaitable(result):
                result = await result
            return result
        except Exception as exc:
            raise failed(operation_name, exc) from exc


def factory() -> LoopBlockingToolExecutor:
    """Return a fresh executor."""
    return LoopBlockingToolExecutor()
