"""Flawed engine: tasks are called by keyword, ``task(input_data=..., context=...)``.

The mistake: "explicit is better than implicit" — the engine passes both arguments by
name. Every task written with other parameter names (``def summarise(data, ctx)``), or
positional-only ones, fails with ``TypeError``; one written ``def t(context, input_data)``
silently gets the two swapped. The contract: a task is called positionally.
``engine.task.result`` catches it, and ``engine.task.batch`` (the same call path).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from aiecs_contracts import IOperationExecutor, TaskNotFoundError, ensure_conforms
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.task.result", "engine.task.batch"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class KeywordEngine:
    def __init__(self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]):
        self.ops: Any = OperationExecutor(tools)
        self.tasks = dict(tasks)
        self.executors: dict[str, Any] = {}

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        self.executors[executor_type] = ensure_conforms(executor_instance, IOperationExecutor)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return await self.ops.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        results: list[Any] = await self.ops.batch_execute_operations(operations)
        return results

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        if task_name not in self.tasks:
            raise TaskNotFoundError(task_name, available=self.tasks)
        fn = self.tasks[task_name]
        out = fn(input_data=input_data, context=context)  # BUG: tasks are called positionally
        if inspect.isawaitable(out):
            out = await out
        return out

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        return list(
            await asyncio.gather(
                *(self.execute_task(t["task_name"], t.get("input_data", {}), t.get("context", {}))
                  for t in tasks),
                return_exceptions=True,
            )
        )  # fmt: skip


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> KeywordEngine:
    return KeywordEngine(tools, tasks)
