"""What the runtime itself publishes under its entry-point groups.

``aiecs.tools``: ``echo`` = `EchoTool`, a dependency-free tool for smoke tests (does the
whole path, discovery to result, work on this machine?). ``aiecs.executors``: ``local`` =
`local_executor`, the in-process `OperationExecutor`; `ExecutionEngine` already holds its own
``local`` and keeps it, so the entry point serves hosts that build engines from the group
alone, and shows plugin authors the shape to publish.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import IToolExecutor, IToolProvider

from ._operation_executor import OperationExecutor

__all__ = ["EchoTool", "local_executor"]


class EchoTool:
    """Returns what it is given: the smallest real tool, for smoke tests and examples."""

    name = "echo"

    def __repr__(self) -> str:
        return "EchoTool()"

    def echo(self, **params: Any) -> dict[str, Any]:
        """Return the params exactly as received."""
        return params

    async def ping(self) -> str:
        """Return ``"pong"`` (an ``async def`` op, awaited on the loop)."""
        return "pong"

    async def sleep(self, seconds: float) -> float:
        """Wait ``seconds`` and return them: exercises timeouts and cancellation."""
        await asyncio.sleep(seconds)
        return seconds


def local_executor(
    tools: IToolProvider | Mapping[str, Any], tool_executor: IToolExecutor | None = None
) -> OperationExecutor:
    """Return the in-process `OperationExecutor` over ``tools`` (the ``local`` plugin)."""
    return OperationExecutor(tools, tool_executor)
