"""Flawed engine: ``batch_execute_tasks`` was never written.

The mistake: the engine grew from an operation executor and only gained ``execute_task``;
callers that batch tasks fail with ``AttributeError``. ``signature.members`` catches it;
``engine.task.batch`` cannot run and is reported as skipped.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"signature.members"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class PartialEngine:
    """An engine with operations and single tasks, but no task batches."""

    def __init__(
        self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
    ) -> None:
        self._executor = OperationExecutor(tools)
        self._tasks = dict(tasks)

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation."""
        return await self._executor.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""
        return await self._executor.batch_execute_operations(operations)

    async def execute_task(
        self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]
    ) -> Any:
        """Call the task as ``task(input_data, context)``."""
        task = self._tasks.get(task_name)
        if task is None:
            raise TaskNotFoundError(task_name, available=self._tasks)
        result = task(input_data, context)
        if inspect.isawaitable(result):
            result = await result
        return result

    # BUG: no `async def batch_execute_tasks(self, tasks)`


def factory(tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]) -> PartialEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return PartialEngine(tools, tasks)
