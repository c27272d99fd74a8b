"""Flawed engine: ``batch_execute_tasks`` builds its calls with late-binding lambdas.

The mistake: ``jobs = [lambda: self.execute_task(item["task_name"], item["input_data"],
item["context"]) for item in tasks]`` — every lambda reads ``item`` when it runs, after
the loop ended, so every job runs the *last* item's task with the last item's values. A
batch of one looks right. ``engine.task.batch`` catches it (each task must receive its
own item's ``input_data`` and ``context``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from aiecs_contracts import TaskNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.task.batch"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class Engine:
    def __init__(self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]):
        self._ops = OperationExecutor(tools)
        self._tasks = tasks

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return await self._ops.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await self._ops.batch_execute_operations(operations)

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        try:
            task = self._tasks[task_name]
        except KeyError:
            raise TaskNotFoundError(task_name) from None
        result = task(input_data, context)
        return await result if inspect.isawaitable(result) else result

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        jobs: list[Callable[[], Any]] = []
        for item in tasks:
            # BUG: `item` is looked up when the lambda runs, not when it is made
            jobs.append(
                lambda: self.execute_task(item["task_name"], item["input_data"], item["context"])  # noqa: B023
            )
        return list(await asyncio.gather(*(job() for job in jobs), return_exceptions=True))


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> Engine:
    return Engine(tools, tasks)
