"""A correct execution engine: operations through a swappable operation executor, named
tasks, and ``register_executor`` that refuses anything not shaped like an
``IOperationExecutor``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Dict, List

from aiecs_contracts import (
    ExecutorNotFoundError,
    IOperationExecutor,
    TaskNotFoundError,
    ensure_conforms,
)
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "execution-interface"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class ExecutionEngine:
    """Runs operations with the active executor and tasks from a name -> callable table."""

    def __init__(
        self, tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
    ) -> None:
        self._executors: dict[str, Any] = {"default": OperationExecutor(tools)}
        self._active = "default"
        self._tasks: dict[str, Callable[..., Any]] = dict(tasks)

    @property
    def executor(self) -> Any:
        """The operation executor currently in use."""
        return self._executors[self._active]

    def register_executor(self, executor_type: str, executor_instance: Any) -> None:
        """Add an executor after checking it structurally fits ``IOperationExecutor``."""
        # ensure_conforms raises TypeError naming every missing or mis-shaped member.
        self._executors[executor_type] = ensure_conforms(executor_instance, IOperationExecutor)

    def use_executor(self, executor_type: str) -> None:
        """Switch the executor used for operations from now on."""
        if executor_type not in self._executors:
            raise ExecutorNotFoundError(executor_type, available=self._executors)
        self._active = executor_type

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation with the active executor."""
        return await self.executor.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""
        results: List[Any] = await self.executor.batch_execute_operations(operations)
        return results

    async def execute_task(
        self, task_name: str, input_data: Dict[str, Any], context: Dict[str, Any]
    ) -> Any:
        """Call the task as ``task(input_data, context)``, awaiting it when it is async."""
        task = self._tasks.get(task_name)
        if task is None:
            raise TaskNotFoundError(task_name, available=self._tasks)
        result = task(input_data, context)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def _run_task_item(self, item: Dict[str, Any]) -> Any:
        return await self.execute_task(
            item["task_name"], item.get("input_data") or {}, item.get("context") or {}
        )

    async def batch_execute_tasks(self, tasks: List[Dict[str, Any]]) -> List[Any]:
        """Run every task concurrently; results in input order, a failure's slot its error."""
        results = await asyncio.gather(
            *(self._run_task_item(item) for item in tasks), return_exceptions=True
        )
        for value in results:
            if isinstance(value, asyncio.CancelledError):
                raise value
        return list(results)


def factory(
    tools: Mapping[str, object], tasks: Mapping[str, Callable[..., Any]]
) -> ExecutionEngine:
    """Return an engine serving ``tools`` and ``tasks``."""
    return ExecutionEngine(tools, tasks)
