"""Flawed operation executor: a sequence that need not stop is run concurrently "for speed".

The mistake: with ``stop_on_failure=False`` nothing seems to depend on order, so the ops
are gathered; but steps of a sequence may depend on each other's side effects (write,
then read). Results and callbacks stay in input order, so only
``operations.sequence.order`` (no overlap in time) catches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor, SaveCallback

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.sequence.order"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class EagerSequenceExecutor(OperationExecutor):
    """An executor that overlaps the steps of a sequence when it may not stop early."""

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations, concurrently unless the run may stop early."""
        if stop_on_failure:
            return await super().execute_operations_sequence(
                operations, user_id, task_id, stop_on_failure, save_callback
            )
        # BUG: a sequence's steps must not overlap
        results = list(await asyncio.gather(*(self._run_step(item) for item in operations)))
        if save_callback is not None:
            for index, step in enumerate(results):
                await save_callback(user_id, task_id, index, step)
        return results


def factory(tools: Mapping[str, object]) -> EagerSequenceExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return EagerSequenceExecutor(tools)
