"""Flawed operation executor: ``execute_operations_sequence(operations, task_id, user_id, ...)``.

The mistake: the two id parameters are swapped in the signature; positional callers (the
seed's ``OperationExecutor`` calls it positionally) then save every step under the wrong
user and task. ``signature.parameters`` catches the swap statically, and
``operations.sequence.callback`` sees the swapped ids reach ``save_callback``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List

from aiecs_contracts import TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor, SaveCallback

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"signature.parameters", "operations.sequence.callback"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class SwappedIdsExecutor:
    """An executor whose sequence method takes ``task_id`` before ``user_id``."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._inner = OperationExecutor(tools)

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation."""
        return await self._inner.execute_operation(operation_spec, params)

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation; a failing one's slot holds its exception."""
        return await self._inner.batch_execute_operations(operations)

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        task_id: str,  # BUG: the contract's order is user_id, task_id
        user_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another, saving each step."""
        return await self._inner.execute_operations_sequence(
            operations, user_id, task_id, stop_on_failure, save_callback
        )

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently."""
        return await self._inner.execute_parallel_operations(operations)


def factory(tools: Mapping[str, object]) -> SwappedIdsExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return SwappedIdsExecutor(tools)
