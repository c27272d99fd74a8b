"""Flawed engine: ``batch_execute_tasks`` pops ``task_name`` out of the caller's items.

The mistake: ``name = item.pop("task_name")`` and then ``**item`` for the rest — tidy,
and it works, but the caller's list of task items has lost every ``task_name`` afterwards,
so retrying the batch or logging it fails. ``engine.inputs.unchanged`` catches it
(``engine.task.batch`` sees the change too and reports it under that id: rule (1)).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from aiecs_contracts import TaskNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.inputs.unchanged"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TidyEngine:
    def __init__(self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]):
        self.executor = OperationExecutor(tools)
        self.registry = dict(tasks)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return await self.executor.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await self.executor.batch_execute_operations(operations)

    async def _call(self, task_name: str, input_data: Any, context: Any) -> Any:
        if task_name not in self.registry:
            raise TaskNotFoundError(task_name, available=self.registry)
        out = self.registry[task_name](input_data, context)
        if inspect.isawaitable(out):
            out = await out
        return out

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        return await self._call(task_name, input_data, context)

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        calls: list[Coroutine[Any, Any, Any]] = []
        for item in tasks:
            name = item.pop("task_name")  # BUG: changes the caller's item
            calls.append(self._call(name, **item))
        return list(await asyncio.gather(*calls, return_exceptions=True))


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> TidyEngine:
    return TidyEngine(tools, tasks)
