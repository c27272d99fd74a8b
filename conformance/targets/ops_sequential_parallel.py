"""Flawed operation executor: "parallel" operations awaited one at a time.

The mistake: ``for op in ops: results.append(await run(op))`` inside
``execute_parallel_operations``: the results are right, but nothing overlaps, so n slow
calls take n times as long, and ops that wait on each other deadlock.
Only ``operations.parallel.concurrent`` catches it (by timeout on an n-party barrier).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.parallel.concurrent"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SequentialParallelExecutor(OperationExecutor):
    """An executor whose parallel method is sequential."""

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations (one after another, in truth)."""
        results: list[TaskStepResult] = []
        for item in operations:
            results.append(await self._run_step(item))  # BUG: no overlap at all
        return results


def factory(tools: Mapping[str, object]) -> SequentialParallelExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return SequentialParallelExecutor(tools)
