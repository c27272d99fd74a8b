"""Flawed operation executor: a failed step carries its text in ``message`` only.

The mistake: failed steps are built by hand as ``status="failed", error_code=E003,
message=str(exc)`` and ``error_message`` is left ``None``, so consumers that read
``error_message`` (the original AIECS UI and storage) show an empty error.
``operations.sequence.continue`` and ``operations.results.consistent`` catch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict

from aiecs_contracts import ErrorCode, TaskStatus, TaskStepResult
from conformance.targets.correct_operation_executor import OperationExecutor, step_name

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"operations.sequence.continue", "operations.results.consistent"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class TerseFailureExecutor(OperationExecutor):
    """An executor whose failed steps have no ``error_message``."""

    async def _run_step(self, item: Dict[str, Any]) -> TaskStepResult:
        step = step_name(item)
        try:
            result = await self._run_item(item)
        except Exception as exc:
            return TaskStepResult(
                step=step,
                result=None,
                completed=False,
                message=str(exc),
                status=TaskStatus.FAILED,
                error_code=ErrorCode.EXECUTION_ERROR,
                error_message=None,  # BUG: the error text belongs here
            )
        return TaskStepResult.success(step, result)


def factory(tools: Mapping[str, object]) -> TerseFailureExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return TerseFailureExecutor(tools)
