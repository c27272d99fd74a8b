"""Flawed tool executor: the current call's params live on ``self`` across an ``await``.

The mistake: ``execute_async`` stores the call on the instance (for logging and a
rate-limit hook), awaits the hook, then reads the params back from ``self``; concurrent
calls overwrite each other's params, so one caller gets another's result. Sequential use
is correct, so only ``executor.concurrency`` catches it. (A ``contextvars.ContextVar`` or a
local variable is the fix.)
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor, failed

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.concurrency"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class StatefulToolExecutor(ToolExecutor):
    """An executor that keeps "the current call" as instance state."""

    def __init__(self) -> None:
        self._current_params: dict[str, Any] = {}

    async def _throttle(self) -> None:
        await asyncio.sleep(0)  # stands in for a rate limiter: any await lets others run

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Record the call, wait for the rate limiter, then run it."""
        method = self._resolve(tool, operation_name)
        self._current_params = params
        await self._throttle()
        call_params = self._current_params  # BUG: another call may have replaced them
        try:
            if inspect.iscoroutinefunction(method):
                return await method(**call_params)
            result = await asyncio.to_thread(method, **call_params)
            return await result if inspect.isawaitable(result) else result
        except Exception as exc:
            raise failed(operation_name, exc) from exc


def factory() -> StatefulToolExecutor:
    """Return a fresh executor."""
    return StatefulToolExecutor()
