"""Flawed operation executor: a failed step's ``error_message`` is ``str(exc)``.

The mistake: the author builds ``TaskStepResult`` by hand with
``error_message=str(exc)``. For ``TimeoutError()``, ``KeyError()`` or any exception raised
without a message that is ``""``: the step says it failed but not why, and nothing names the
exception. ``operations.sequence.continue`` catches it (an exception without a message must
give a message naming at least its type), and ``operations.results.consistent`` (a failed
step with an empty ``error_message``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ErrorCode, TaskStatus, TaskStepResult
from aiecs_models import split_operation

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"operations.sequence.continue", "operations.results.consistent"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def _failed(step: str, exc: BaseException) -> TaskStepResult:
    return TaskStepResult(
        step=step,
        result=None,
        completed=False,
        message="operation failed",
        status=TaskStatus.FAILED,
        error_code=ErrorCode.EXECUTION_ERROR,
        error_message=str(exc),  # BUG: "" for an exception raised without a message
    )


class HandRolled:
    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools = tools

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        tool_name, op_name = split_operation(operation_spec)
        if tool_name not in self._tools:
            raise LookupError(f"no tool {tool_name!r}")
        fn = getattr(self._tools[tool_name], op_name, None)
        if not callable(fn):
            raise LookupError(f"tool {tool_name!r} has no op {op_name!r}")
        if inspect.iscoroutinefunction(fn):
            return await fn(**params)
        r = await asyncio.to_thread(fn, **params)
        return await r if inspect.isawaitable(r) else r

    async def _one(self, op: dict[str, Any]) -> TaskStepResult:
        step = str(op.get("operation"))
        try:
            value = await self.execute_operation(op["operation"], dict(op.get("params") or {}))
        except Exception as exc:
            return _failed(step, exc)
        return TaskStepResult(step=step, result=value, completed=True, status=TaskStatus.COMPLETED)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return list(
            await asyncio.gather(
                *(
                    self.execute_operation(o["operation"], dict(o.get("params") or {}))
                    for o in operations
                ),
                return_exceptions=True,
            )
        )

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[TaskStepResult]:  # fmt: skip
        steps: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            s = await self._one(op)
            steps.append(s)
            if save_callback is not None:
                await save_callback(user_id, task_id, i, s)
            if stop_on_failure and not s.completed:
                break
        return steps

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*(self._one(o) for o in operations)))


def factory(tools: Mapping[str, object]) -> HandRolled:
    return HandRolled(tools)
