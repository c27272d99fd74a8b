"""Flawed operation executor: batches and parallel runs built on ``asyncio.wait``.

The mistakes, both classic:

- ``asyncio.wait`` raises ``ValueError("Set of Tasks/Futures is empty.")`` for ``[]``, so an
  empty plan crashes instead of returning ``[]`` -> ``operations.empty``;
- cancelling a coroutine blocked in ``asyncio.wait`` does *not* cancel the tasks it waits
  on, so cancelled parallel runs leave their ops running -> ``operations.cancel`` (should).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.empty"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"operations.cancel"})


class WaitBasedExecutor(OperationExecutor):
    """An executor that schedules tasks and waits for them with ``asyncio.wait``."""

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation concurrently; a failing one's slot holds its exception."""
        tasks = [asyncio.ensure_future(self._run_item(item)) for item in operations]
        await asyncio.wait(tasks)  # BUG: ValueError on [], and no cancellation of tasks
        return [t.exception() or t.result() for t in tasks]

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently; results in input order, failures captured."""
        tasks = [asyncio.ensure_future(self._run_step(item)) for item in operations]
        await asyncio.wait(tasks)  # BUG: ValueError on [], and no cancellation of tasks
        return [t.result() for t in tasks]


def factory(tools: Mapping[str, object]) -> WaitBasedExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return WaitBasedExecutor(tools)
