"""A common ExecutionInterface mistake, as `explain` reports it."""

from typing import Any

from aiecs_contracts import ExecutionInterface, explain


class OperationsOnly:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    async def execute_task(self, task_name: str, input_data: dict[str, Any]) -> Any:
        return None  # context forgotten


for problem in explain(OperationsOnly, ExecutionInterface):
    print(problem)
