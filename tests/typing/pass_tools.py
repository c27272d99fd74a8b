"""Tool providers, registries and tool executors both checkers must accept."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Dict


class DictProvider:
    def __init__(self, tools: Dict[str, Any]) -> None:
        self._tools = tools

    def get_tool(self, tool_name: str) -> Any:
        return self._tools[tool_name]

    def has_tool(self, tool_name: str) -> bool:
        return tool_name in self._tools


class Registry(DictProvider):
    def register_tool(self, tool_name: str, tool: Any) -> None:
        self._tools[tool_name] = tool

    def unregister_tool(self, tool_name: str) -> None:
        self._tools.pop(tool_name, None)


class Executor:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return getattr(tool, operation_name)(**params)

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return await asyncio.to_thread(self.execute, tool, operation_name, **params)


class ExecutorWithExtras:
    """Extra optional parameters and a narrower return type are fine."""

    def execute(self, tool: Any, operation_name: str, *, timeout: float = 1.0, **params: Any) -> int:
        return 0

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> int:
        return 0


class V1:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None


class V2(V1):
    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None


if TYPE_CHECKING:
    from aiecs_contracts import IToolExecutor, IToolExecutorV1, IToolExecutorV2, IToolProvider, IToolRegistry

    _p: type[IToolProvider] = DictProvider
    _r: type[IToolRegistry] = Registry
    _r_as_p: type[IToolProvider] = Registry
    _e: type[IToolExecutor] = Executor
    _e2: type[IToolExecutor] = ExecutorWithExtras
    _v1: type[IToolExecutorV1] = V1
    _v2: type[IToolExecutorV2] = V2
    _v2_as_v1: type[IToolExecutorV1] = V2
