"""Common IOperationExecutor mistakes, as `explain` reports them."""

from typing import Any

from aiecs_contracts import IOperationExecutor, TaskStepResult, explain


class SyncSequence:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    def execute_operations_sequence(  # should be async def
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool,  # the protocol's default is False
    ) -> list[TaskStepResult]:
        return []

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return []


for problem in explain(SyncSequence, IOperationExecutor):
    print(problem)
