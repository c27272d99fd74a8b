"""Flawed operation executor: the step that stops a sequence is never saved.

The mistake: the ``stop_on_failure`` check runs *before* ``save_callback``, so the
failed step is returned but never persisted; a resumed task re-runs it blindly and the
audit trail ends one step early. Only ``operations.sequence.callback`` catches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor, SaveCallback

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.sequence.callback"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class EarlyStopExecutor(OperationExecutor):
    """An executor that stops before saving the failed step."""

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another, saving each step."""
        results: list[TaskStepResult] = []
        for index, item in enumerate(operations):
            step = await self._run_step(item)
            results.append(step)
            if stop_on_failure and not step.completed:
                break  # BUG: leaves before the callback below saves this step
            if save_callback is not None:
                await save_callback(user_id, task_id, index, step)
        return results


def factory(tools: Mapping[str, object]) -> EarlyStopExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return EarlyStopExecutor(tools)
