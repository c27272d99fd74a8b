"""Flawed tool executor: ``execute_async`` is a plain ``def`` returning an awaitable future.

The mistake: ``return loop.run_in_executor(...)`` from a ``def`` works when awaited, but
the method is not a coroutine function: ``inspect.iscoroutinefunction`` (and so framework
dispatch, ``asyncio.iscoroutinefunction`` checks, and type checkers) see a sync method.
``signature.async`` catches it. ``run_in_executor`` also neither copies the caller's
context (``executor.contextvars``, should) nor can it stop the op when the future is
cancelled (``executor.cancel``).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.cancel",
        "signature.async",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset(
    {
        "executor.contextvars",
    }
)


class FutureToolExecutor:
    """An executor whose async method hands back a thread-pool future."""

    def __init__(self) -> None:
        self._sync = ToolExecutor()

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation synchronously."""
        return self._sync.execute(tool, operation_name, **params)

    def execute_async(  # BUG: not `async def`
        self, tool: Any, operation_name: str, **params: Any
    ) -> asyncio.Future[Any]:
        """Run the operation in the default thread pool; await the returned future."""
        call = functools.partial(self._sync.execute, tool, operation_name, **params)
        return asyncio.get_running_loop().run_in_executor(None, call)


def factory() -> FutureToolExecutor:
    """Return a fresh executor."""
    return FutureToolExecutor()
