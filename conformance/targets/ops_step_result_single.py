"""Flawed operation executor: ``execute_operation`` returns a ``TaskStepResult``, not the value.

The mistake: "uniform results": the single-op path wraps its value in a step result, so
``await ex.execute_operation("t.op", p)`` hands callers ``TaskStepResult(result=...)``
instead of what the op returned, and a failing op returns a failed step instead of
raising. ``operations.single.result`` catches it, and ``operations.batch.shape`` too (the
batch reuses the single-op path, so its slots hold step results, not values or
exceptions; ``operations.results.any_value`` sees the same slots). Sequences and parallel
runs are unaffected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict

from aiecs_contracts import InvalidOperationSpecError, TaskStepResult
from conformance.targets.correct_operation_executor import (
    OperationExecutor,
    failed_step,
    step_name,
)

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"operations.single.result", "operations.batch.shape", "operations.results.any_value"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class WrappingExecutor(OperationExecutor):
    """An executor whose single-op results are step results."""

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation and return its step result."""
        try:
            value = await super().execute_operation(operation_spec, params)
        except (InvalidOperationSpecError, LookupError):
            raise  # bad and unknown specs still raise
        except Exception as exc:
            return failed_step(operation_spec, exc)  # BUG: a value instead of raising
        return TaskStepResult.success(operation_spec, value)  # BUG: wrapped

    async def _run_step(self, item: Dict[str, Any]) -> TaskStepResult:
        # Sequences and parallel runs use the step result as it comes.
        try:
            outcome = await self._run_item(item)
        except Exception as exc:
            return failed_step(step_name(item), exc)
        return TaskStepResult.model_validate(outcome)


def factory(tools: Mapping[str, object]) -> WrappingExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return WrappingExecutor(tools)
