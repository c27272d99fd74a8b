"""Flawed engine: ``execute_operation`` has its own fast path that skips spec validation.

The mistake: single operations are "hot", so the engine resolves them itself —
``tool, op = spec.split(".", 1); getattr(tools[tool], op)`` — instead of going through its
operation executor, and forgets the executor's refusals: ``"t._secret"``,
``"t.__class__"`` and ``"t.op "`` all reach ``getattr``. Batches still go through the
executor and refuse correctly. ``engine.operation.refusals`` catches it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from aiecs_contracts import TaskNotFoundError, ToolNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"engine.operation.refusals"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class FastEngine:
    def __init__(self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]):
        self.tools = dict(tools)
        self.tasks = dict(tasks)
        self.executor = OperationExecutor(tools)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        spec: object = operation_spec
        if not isinstance(spec, str) or "." not in spec:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"bad operation spec {operation_spec!r}")
        tool_name, op = spec.split(".", 1)  # BUG: op is never validated
        if tool_name not in self.tools:
            raise ToolNotFoundError(tool_name)
        method = getattr(self.tools[tool_name], op)
        value = method(**params)
        return await value if inspect.isawaitable(value) else value

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await self.executor.batch_execute_operations(operations)

    async def execute_task(
        self, task_name: str, input_data: dict[str, Any], context: dict[str, Any]
    ) -> Any:
        fn = self.tasks.get(task_name)
        if fn is None:
            raise TaskNotFoundError(task_name, available=self.tasks)
        out = fn(input_data, context)
        return await out if inspect.isawaitable(out) else out

    async def batch_execute_tasks(self, tasks: list[dict[str, Any]]) -> list[Any]:
        results: list[Any] = []
        for item in tasks:  # one at a time: tasks may share state
            try:
                results.append(
                    await self.execute_task(item["task_name"], item["input_data"], item["context"])
                )
            except Exception as exc:
                results.append(exc)
        return results


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> FastEngine:
    return FastEngine(tools, tasks)
