"""Flawed operation executor: the sequence marks each plan item done, in the caller's dict.

The mistake: to let a crashed run resume, ``execute_operations_sequence`` writes
``op["done"] = True`` into every item it finished — into the caller's own list. A caller
that retries the plan, logs it, or runs it again in parallel now holds a different plan.
``operations.inputs.unchanged`` catches it; every check that runs a sequence sees the change
too, and reports it under that one id (rule (1) of every contract), saying it could not
judge its own row.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import (
    ErrorCode,
    InvalidOperationSpecError,
    OperationNotFoundError,
    TaskStepResult,
    ToolNotFoundError,
)

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.inputs.unchanged"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _split(spec: object) -> tuple[str, str]:
    if isinstance(spec, str) and "." in spec:
        tool, op = spec.split(".", 1)
        if tool and op.isidentifier() and not op.startswith("_"):
            return tool, op
    raise InvalidOperationSpecError(f"expected 'tool.op', got {spec!r}", spec=spec)


class ResumableExecutor:
    """Sequences remember which items finished, so a rerun skips them."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools = dict(tools)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        tool_name, op = _split(operation_spec)
        try:
            tool = self._tools[tool_name]
        except KeyError:
            raise ToolNotFoundError(tool_name) from None
        fn = getattr(tool, op, None)
        if fn is None or not callable(fn):
            raise OperationNotFoundError(op, tool=tool_name)
        if inspect.iscoroutinefunction(fn):
            return await fn(**params)
        value = await asyncio.to_thread(fn, **params)
        return (await value) if inspect.isawaitable(value) else value

    async def _run(self, item: dict[str, Any]) -> TaskStepResult:
        spec = item.get("operation")
        try:
            value = await self.execute_operation(spec, dict(item.get("params") or {}))  # type: ignore[arg-type]
        except Exception as exc:
            return TaskStepResult.failure(str(spec), exc, code=ErrorCode.EXECUTION_ERROR)
        return TaskStepResult.success(str(spec), value)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        async def slot(item: dict[str, Any]) -> Any:
            try:
                return await self.execute_operation(
                    item["operation"], dict(item.get("params") or {})
                )
            except Exception as exc:
                return exc

        return [await s for s in [asyncio.ensure_future(slot(i)) for i in operations]]

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Any = None,
    ) -> list[TaskStepResult]:
        steps: list[TaskStepResult] = []
        for index, item in enumerate(operations):
            if item.get("done"):
                continue
            step = await self._run(item)
            item["done"] = step.completed  # BUG: writes into the caller's plan
            steps.append(step)
            if save_callback is not None:
                await save_callback(user_id, task_id, index, step)
            if stop_on_failure and not step.completed:
                break
        return steps

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*(self._run(item) for item in operations)))


def factory(tools: Mapping[str, object]) -> ResumableExecutor:
    return ResumableExecutor(tools)
