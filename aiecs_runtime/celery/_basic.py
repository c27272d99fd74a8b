"""The tool executor a worker uses when ``aiecs_runtime.ToolExecutor`` is not available.

Operation names reaching it were already checked by ``split_operation`` (a public Python
identifier); it still refuses anything that is not a public callable of the tool.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import IToolExecutor, OperationFailedError, OperationNotFoundError

__all__ = ["default_tool_executor"]


class BasicToolExecutor:
    """Calls public ops: async ones awaited, sync ones in a thread."""

    def _op(self, tool: Any, operation_name: str) -> Any:
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise OperationNotFoundError(operation_name, tool=type(tool).__name__)
        op = getattr(tool, operation_name, None)
        if op is None or not callable(op) or isinstance(op, type):
            raise OperationNotFoundError(operation_name, tool=type(tool).__name__)
        return op

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op to completion (async ops in a fresh loop)."""
        return asyncio.run(self.run(tool, operation_name, params))

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op without blocking the loop."""
        return await self.run(tool, operation_name, params)

    async def run(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute_async`, with params as a dict (params may be named ``tool``)."""
        op = self._op(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(op):
                return await op(**params)
            return await asyncio.to_thread(op, **params)
        except Exception as exc:
            raise OperationFailedError(
                f"{operation_name} raised {type(exc).__name__}: {exc}"
            ) from exc


def default_tool_executor() -> IToolExecutor:
    """``aiecs_runtime.ToolExecutor()`` when it exists, else ``BasicToolExecutor()``."""
    import aiecs_runtime

    cls: Any = getattr(aiecs_runtime, "ToolExecutor", None) if _has_tool_executor() else None
    return cls() if cls is not None else BasicToolExecutor()


def _has_tool_executor() -> bool:
    import importlib.util

    return importlib.util.find_spec("aiecs_runtime._tool_executor") is not None
