"""The trivial tool every executor row runs, and how the runtime's executors are built."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

from ._harness import require

__all__ = ["TOOLS", "Tool", "event_loop", "operation_executor", "tool_executor"]


class Tool:
    """A tool with one trivial async op: the overhead around it is what rows measure."""

    async def op(self, x: int, y: str) -> str:
        """Return ``y``; awaits nothing, so a call costs only the call."""
        return y


TOOLS: dict[str, Any] = {"t": Tool()}
"""What a separate Celery worker serves: ``aiecs-worker --tools benchmarks._tools:TOOLS``."""


def tool_executor() -> Any:
    """A ``ToolExecutor``: defaults (validation on, no cache), plus a retry never triggered."""
    retry_policy = require("aiecs_runtime", "RetryPolicy")
    executor = require("aiecs_runtime", "ToolExecutor")
    # The setting: retry configured (for a transient error the op never raises).
    return executor(retry=retry_policy(attempts=3, on=ConnectionError))


def operation_executor(tools: dict[str, Any]) -> Any:
    """An ``OperationExecutor`` with default settings over ``tools`` and `tool_executor`."""
    executor_cls = require("aiecs_runtime", "OperationExecutor")
    return executor_cls(tools, tool_executor())


@contextmanager
def event_loop() -> Generator[asyncio.AbstractEventLoop, None, None]:
    """A fresh event loop for one row, shut down at the end as ``asyncio.run`` does."""
    loop = asyncio.new_event_loop()
    try:
        yield loop
    finally:
        # Background tasks a back end keeps (a result collector idling until its next
        # poll) are cancelled and awaited, not destroyed pending with the loop.
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
