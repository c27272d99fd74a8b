"""Operation executors and engines both checkers must reject (one defect each)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

from aiecs_contracts import SaveCallback, TaskStepResult


class _Parts:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    async def execute_parallel_operations(self, operations: list[dict[str, Any]]) -> list[TaskStepResult]:
        return []


class SyncCallback(_Parts):
    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Optional[Callable[[str, str, int, TaskStepResult], None]] = None,
    ) -> list[TaskStepResult]:
        return []


class SwappedSequenceIds(_Parts):
    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        task_id: str,
        user_id: str,
        stop_on_failure: bool = False,
        save_callback: Optional[SaveCallback] = None,
    ) -> list[TaskStepResult]:
        return []


class NoDefaultStop(_Parts):
    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool,
        save_callback: Optional[SaveCallback] = None,
    ) -> list[TaskStepResult]:
        return []


class ReturnsDicts(_Parts):
    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Optional[SaveCallback] = None,
    ) -> list[dict[str, Any]]:
        return []


class SpecRenamed:
    async def execute_operation(self, spec: str, params: dict[str, Any]) -> Any:
        return None

    async def execute_task(self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        return []


class EngineWithoutBatchTasks:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def execute_task(self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []


class RegisterWithoutType:
    def register_executor(self, executor_instance: Any) -> None:
        return None


if TYPE_CHECKING:
    from aiecs_contracts import ExecutionInterface, IOperationExecutor, SupportsExecutorRegistration

    _a: type[IOperationExecutor] = SyncCallback  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _b: type[IOperationExecutor] = SwappedSequenceIds  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _c: type[IOperationExecutor] = NoDefaultStop  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _d: type[IOperationExecutor] = ReturnsDicts  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    # pyright only: mypy accepts the renamed first parameter; explain() flags it
    _e: type[ExecutionInterface] = SpecRenamed  # pyright: ignore[reportAssignmentType]
    _f: type[ExecutionInterface] = EngineWithoutBatchTasks  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _g: type[SupportsExecutorRegistration] = RegisterWithoutType  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
