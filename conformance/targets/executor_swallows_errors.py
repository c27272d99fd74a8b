"""Flawed tool executor: op exceptions are logged and swallowed; the caller gets ``None``.

The mistake: "never let a tool crash the agent" turns every failure into a ``None`` result
that looks like success, so retries, error reporting and step status all go wrong.
``executor.errors.propagate`` catches it, and ``executor.errors.typed`` (should) too;
``execute`` inside a running loop swallows its own "cannot run here" error the same way,
returning ``None`` for an async op (``executor.sync.no_coroutine_leak``).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.propagate",
        "executor.sync.no_coroutine_leak",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset(
    {
        "executor.errors.typed",
    }
)

logger = logging.getLogger(__name__)


class ForgivingToolExecutor(ToolExecutor):
    """An executor that never raises once the operation has started."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation; on failure log it and return ``None``."""
        method = self._resolve(tool, operation_name)
        try:
            result = method(**params)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
            return result
        except Exception:
            logger.debug("operation %s failed", operation_name, exc_info=True)
            return None  # BUG: the failure becomes a value

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation; on failure log it and return ``None``."""
        method = self._resolve(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(method):
                return await method(**params)
            result = await asyncio.to_thread(method, **params)
            return await result if inspect.isawaitable(result) else result
        except Exception:
            logger.debug("operation %s failed", operation_name, exc_info=True)
            return None  # BUG: the failure becomes a value


def factory() -> ForgivingToolExecutor:
    """Return a fresh executor."""
    return ForgivingToolExecutor()
