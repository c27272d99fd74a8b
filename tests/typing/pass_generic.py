"""The generic Protocols: contravariant in what they take, covariant in what they return."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict


class Tool:
    def run(self) -> int:
        return 1


class SpecialTool(Tool):
    pass


class IntExecutor:
    def execute(self, tool: Tool, operation_name: str, **params: Any) -> int:
        return tool.run()


class AnyToolBoolExecutor:
    """Takes any object and returns bool (a subtype of int)."""

    def execute(self, tool: object, operation_name: str, **params: Any) -> bool:
        return True


class IntOperations:
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> int:
        return 1


if TYPE_CHECKING:
    from aiecs_contracts import ITypedOperationExecutor, ITypedToolExecutor

    _a: ITypedToolExecutor[Tool, int] = IntExecutor()
    # contravariant input: an executor for Tool serves SpecialTool callers
    _b: ITypedToolExecutor[SpecialTool, int] = IntExecutor()
    # covariant output: an executor returning int serves callers expecting object
    _c: ITypedToolExecutor[Tool, object] = IntExecutor()
    _d: ITypedToolExecutor[Tool, int] = AnyToolBoolExecutor()
    _e: ITypedOperationExecutor[int] = IntOperations()
    _f: ITypedOperationExecutor[object] = IntOperations()
