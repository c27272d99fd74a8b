"""Tool providers and executors both checkers must reject (one defect each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class HasToolReturnsStr:
    def get_tool(self, tool_name: str) -> Any:
        return None

    def has_tool(self, tool_name: str) -> str:  # a truthy string is not a bool
        return "yes"


class ProviderWithoutGetTool:
    def has_tool(self, tool_name: str) -> bool:
        return False


class RegistryWithoutUnregister:
    def get_tool(self, tool_name: str) -> Any:
        return None

    def has_tool(self, tool_name: str) -> bool:
        return False

    def register_tool(self, tool_name: str, tool: Any) -> None:
        return None


class NoKwargsExecutor:
    def execute(self, tool: Any, operation_name: str) -> Any:  # lacks **params
        return None

    async def execute_async(self, tool: Any, operation_name: str) -> Any:
        return None


class SyncExecuteAsync:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None

    def execute_async(self, tool: Any, operation_name: str, **params: Any) -> dict[str, Any]:
        return {}  # sync where the Protocol says async


class PositionalOnlyExecutor:
    def execute(self, tool: Any, operation_name: str, /, **params: Any) -> Any:
        return None

    async def execute_async(self, tool: Any, operation_name: str, /, **params: Any) -> Any:
        return None


class ExtraRequiredParam:
    def execute(self, tool: Any, operation_name: str, user: str, **params: Any) -> Any:
        return None

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None


class RenamedParameter:
    def execute(self, obj: Any, operation_name: str, **params: Any) -> Any:
        return None

    async def execute_async(self, obj: Any, operation_name: str, **params: Any) -> Any:
        return None


class V2WithoutMetrics:
    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return None


if TYPE_CHECKING:
    from aiecs_contracts import IToolExecutor, IToolExecutorV2, IToolProvider, IToolRegistry

    _a: type[IToolProvider] = HasToolReturnsStr  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _b: type[IToolProvider] = ProviderWithoutGetTool  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _c: type[IToolRegistry] = RegistryWithoutUnregister  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _d: type[IToolExecutor] = NoKwargsExecutor  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _e: type[IToolExecutor] = SyncExecuteAsync  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _f: type[IToolExecutor] = PositionalOnlyExecutor  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    # mypy only: pyright lets **params supply the extra required `user`; explain() flags it
    _g: type[IToolExecutor] = ExtraRequiredParam  # type: ignore[assignment]
    _h: type[IToolExecutor] = RenamedParameter  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _i: type[IToolExecutorV2] = V2WithoutMetrics  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
