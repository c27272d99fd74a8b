"""A duck-typed `ExecutionInterface`: operations plus named tasks, with executor plug-ins."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from operation_executor import Calculator, SimpleOperationExecutor

from aiecs_contracts import (
    ExecutionInterface,
    IOperationExecutor,
    TaskNotFoundError,
    conforms,
    ensure_conforms,
)

Task = Callable[[dict[str, Any], dict[str, Any]], Any]


class SimpleEngine:
    """Runs operations through the current executor and tasks from a name → callable map."""

    def __init__(self, tools: Mapping[str, Any], tasks: Mapping[str, Task]) -> None:
        self._executors: dict[str, IOperationExecutor] = {"local": SimpleOperationExecutor(tools)}
        self._current = "local"
        self._tasks = dict(tasks)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return await self._executors[self._current].execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await self._executors[self._current].batch_execute_operations(operations)

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        task = self._tasks.get(task_name)
        if task is None:
            raise TaskNotFoundError(task_name, available=self._tasks)
        if inspect.iscoroutinefunction(task):
            return await task(input_data, context)
        return await asyncio.to_thread(task, input_data, context)

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        runs = [
            self.execute_task(t["task_name"], t.get("input_data", {}), t.get("context", {}))
            for t in tasks
        ]
        return list(await asyncio.gather(*runs, return_exceptions=True))

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        # Refuse anything that does not fit, with every mismatch named (a TypeError).
        self._executors[executor_type] = ensure_conforms(executor_instance, IOperationExecutor)

    def use(self, executor_type: str) -> None:
        self._current = executor_type


def summarise(input_data: dict[str, Any], context: dict[str, Any]) -> str:
    return f"{context['user']}: {len(input_data['text'].split())} words"


async def demo() -> None:
    engine = SimpleEngine({"calc": Calculator()}, {"summarise": summarise})
    print(conforms(engine, ExecutionInterface))
    print(await engine.execute_operation("calc.add", {"a": 40, "b": 2}))
    print(await engine.execute_task("summarise", {"text": "to be or not"}, {"user": "ada"}))
    print(await engine.batch_execute_tasks([{"task_name": "sumarise"}]))
    try:
        engine.register_executor("broken", object())
    except TypeError as exc:
        print(str(exc).splitlines()[0])


if __name__ == "__main__":
    asyncio.run(demo())
