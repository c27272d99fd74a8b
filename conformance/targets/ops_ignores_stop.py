"""Flawed operation executor: ``stop_on_failure`` is accepted and ignored.

The mistake: the parameter exists (so signatures match) but the loop never reads it, so
after a failed step the sequence goes on running later ops, which may act on missing
data. Only ``operations.sequence.stop`` catches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor, SaveCallback

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.sequence.stop"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class NeverStopExecutor(OperationExecutor):
    """An executor whose sequences always run to the end."""

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,  # BUG: never read
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another, saving each step."""
        results: list[TaskStepResult] = []
        for index, item in enumerate(operations):
            step = await self._run_step(item)
            results.append(step)
            if save_callback is not None:
                await save_callback(user_id, task_id, index, step)
        return results


def factory(tools: Mapping[str, object]) -> NeverStopExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return NeverStopExecutor(tools)
