"""Flawed operation executor: parallel results come back in completion order.

The mistake: ``for fut in asyncio.as_completed(...): results.append(await fut)`` is the
idiomatic way to *consume* results early, but it loses which result belongs to which op;
callers index results by input position. ``operations.parallel.shape`` catches it (its
ops have different durations). ``as_completed`` also leaves its tasks running when the
caller is cancelled, which ``operations.cancel`` (should) catches. The shuffled steps also
carry another op's ``step`` and result: ``operations.results.step`` and
``operations.results.any_value`` see that too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"operations.parallel.shape", "operations.results.step", "operations.results.any_value"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"operations.cancel"})


class AsCompletedExecutor(OperationExecutor):
    """An executor that returns parallel results as they finish."""

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently and collect their step results."""
        results: list[TaskStepResult] = []
        for next_done in asyncio.as_completed([self._run_step(item) for item in operations]):
            results.append(await next_done)  # BUG: completion order, not input order
        return results


def factory(tools: Mapping[str, object]) -> AsCompletedExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return AsCompletedExecutor(tools)
