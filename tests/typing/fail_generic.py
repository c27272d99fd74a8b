"""Generic Protocols, async contexts and versions both checkers must reject."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


class Tool:
    pass


class SpecialTool(Tool):
    pass


class SpecialOnlyExecutor:
    def execute(self, tool: SpecialTool, operation_name: str, **params: Any) -> int:
        return 0


class ObjectResultExecutor:
    def execute(self, tool: Tool, operation_name: str, **params: Any) -> object:
        return 0


class StrOperations:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> str:
        return ""


class NoAexit:
    async def __aenter__(self) -> NoAexit:
        return self

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        return None


class Unversioned:
    def get_version(self) -> str:
        return "1.0"


if TYPE_CHECKING:
    from aiecs_contracts import IAsyncContextExecutor, ITypedOperationExecutor, ITypedToolExecutor, VersionedInterface

    # contravariance: an executor for SpecialTool cannot serve callers passing any Tool
    _a: ITypedToolExecutor[Tool, int] = SpecialOnlyExecutor()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    # covariance: an executor returning object cannot promise int
    _b: ITypedToolExecutor[Tool, int] = ObjectResultExecutor()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _c: ITypedOperationExecutor[int] = StrOperations()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _d: type[IAsyncContextExecutor] = NoAexit  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _e: type[VersionedInterface] = Unversioned  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
