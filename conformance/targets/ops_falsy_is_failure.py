"""Flawed operation executor: an op that returns nothing (``None``, ``0``, ``""``, ``[]``…)
is reported as a failed step.

The mistake: ``if not result: fail("operation returned no result")`` — written to catch
tools that silently return ``None`` on error, it turns every legitimate falsy result into a
failure (a count of 0, an empty search, ``False`` from a check). Batch slots are untouched.
``operations.results.any_value`` catches it, and so do the checks that read the same wrong
steps: ``operations.sequence.order``, ``operations.sequence.continue``,
``operations.sequence.stop`` and ``operations.parallel.shape``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import TaskStepResult
from aiecs_models import split_operation

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "operations.results.any_value",
        "operations.sequence.order",
        "operations.sequence.continue",
        "operations.sequence.stop",
        "operations.parallel.shape",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class NoEmptyResults:
    def __init__(self, tools: Mapping[str, object]) -> None:
        self.tools = dict(tools)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        try:
            tool_name, op_name = split_operation(operation_spec)
        except ValueError as e:
            raise ValueError(str(e)) from None
        tool = self.tools[tool_name]  # KeyError for an unknown tool
        method = getattr(tool, op_name)  # AttributeError for an unknown op
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        result = await asyncio.get_running_loop().run_in_executor(None, lambda: method(**params))
        if inspect.isawaitable(result):  # an async def behind a plain decorator
            result = await result
        return result

    async def _as_step(self, op: dict[str, Any]) -> TaskStepResult:
        name = op.get("operation")
        try:
            result = await self.execute_operation(name, op.get("params", {}))  # type: ignore[arg-type]
        except Exception as e:
            return TaskStepResult.failure(str(name), e)
        if not result:  # BUG: a falsy result is a result
            return TaskStepResult.failure(str(name), "operation returned no result")
        return TaskStepResult.success(str(name), result)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return await asyncio.gather(
            *(self.execute_operation(o["operation"], o.get("params", {})) for o in operations),
            return_exceptions=True,
        )

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[TaskStepResult]:  # fmt: skip
        out: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            step = await self._as_step(op)
            out.append(step)
            if save_callback:
                await save_callback(user_id, task_id, i, step)
            if stop_on_failure and step.status == "failed":
                break
        return out

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return await asyncio.gather(*(self._as_step(op) for op in operations))


def factory(tools: Mapping[str, object]) -> NoEmptyResults:
    return NoEmptyResults(tools)
