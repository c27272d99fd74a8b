"""A duck-typed operation executor: single, batch, sequence and parallel runs of "tool.op"."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from tool_executor import SimpleToolExecutor

from aiecs_contracts import (
    InvalidOperationSpecError,
    IOperationExecutor,
    IToolExecutor,
    SaveCallback,
    TaskStepResult,
    ToolNotFoundError,
    conforms,
)
from aiecs_models import split_operation


class SimpleOperationExecutor:
    """Resolves ``"tool.op"`` against a dict of tools and runs it with an `IToolExecutor`."""

    def __init__(self, tools: Mapping[str, Any], executor: IToolExecutor | None = None) -> None:
        self._tools = dict(tools)
        self._executor: IToolExecutor = executor or SimpleToolExecutor()

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        try:
            tool_name, op = split_operation(operation_spec)
        except ValueError as exc:  # refuse before anything runs
            raise InvalidOperationSpecError(str(exc), spec=operation_spec) from None
        if tool_name not in self._tools:
            raise ToolNotFoundError(tool_name, available=self._tools)
        return await self._executor.execute_async(self._tools[tool_name], op, **params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        runs = [self.execute_operation(o["operation"], o.get("params", {})) for o in operations]
        return list(await asyncio.gather(*runs, return_exceptions=True))

    async def _step(self, operation: dict[str, Any]) -> TaskStepResult:
        step = str(operation.get("operation"))
        try:
            result = await self.execute_operation(
                operation["operation"], operation.get("params", {})
            )
        except Exception as exc:  # a failed step is data, not an exception
            return TaskStepResult.failure(step, exc)
        return TaskStepResult.success(step, result)

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> list[TaskStepResult]:
        results: list[TaskStepResult] = []
        for index, operation in enumerate(operations):
            outcome = await self._step(operation)
            results.append(outcome)
            if save_callback is not None:
                await save_callback(user_id, task_id, index, outcome)
            if stop_on_failure and not outcome.completed:
                break
        return results

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        # gather keeps input order and cancels every child if this call is cancelled.
        return list(await asyncio.gather(*(self._step(o) for o in operations)))


class Calculator:
    def add(self, a: int, b: int) -> int:
        return a + b

    async def div(self, a: int, b: int) -> float:
        return a / b


async def demo() -> None:
    ops = SimpleOperationExecutor({"calc": Calculator()})
    print(conforms(ops, IOperationExecutor))
    print(await ops.execute_operation("calc.add", {"a": 1, "b": 2}))
    plan = [
        {"operation": "calc.div", "params": {"a": 1, "b": 0}},
        {"operation": "calc.add", "params": {"a": 2, "b": 2}},
    ]
    print(await ops.batch_execute_operations(plan))
    for step in await ops.execute_operations_sequence(plan, "alice", "t1", stop_on_failure=True):
        print(step.dict())


if __name__ == "__main__":
    asyncio.run(demo())
