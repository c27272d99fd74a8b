"""Operation executors both checkers must accept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from aiecs_contracts import SaveCallback, TaskStepResult


class Ops:
    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        return []

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Optional[SaveCallback] = None,
    ) -> List[TaskStepResult]:
        return []

    async def execute_parallel_operations(self, operations: List[Dict[str, Any]]) -> List[TaskStepResult]:
        return []


class SpelledOutCallback(Ops):
    """The callback type written out instead of the SaveCallback alias."""

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Callable[[str, str, int, TaskStepResult], Awaitable[None]] | None = None,
    ) -> list[TaskStepResult]:
        return []


class CallbackReturningAnything(Ops):
    """A callback whose awaited value may be anything: wider than Awaitable[None] is fine."""

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Callable[[str, str, int, TaskStepResult], Awaitable[object]] | None = None,
    ) -> list[TaskStepResult]:
        return []


if TYPE_CHECKING:
    from aiecs_contracts import IOperationExecutor

    _a: type[IOperationExecutor] = Ops
    _b: type[IOperationExecutor] = SpelledOutCallback
    _c: type[IOperationExecutor] = CallbackReturningAnything
