"""Flawed operation executor: cancelling a parallel run returns "cancelled" steps.

The mistake: ``execute_parallel_operations`` catches ``CancelledError`` around its
``asyncio.wait``, cancels the ops it started and *returns* a cancelled step for each one
still running — a tidy report, but the caller that cancelled (a timeout, a shutdown) is
told the run finished. The contract: the cancellation reaches the caller.
``operations.cancel`` (a should) catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import ErrorCode, TaskStatus, TaskStepResult
from aiecs_models import split_operation

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"operations.cancel"})


class PoliteExecutor:
    def __init__(self, tools: Mapping[str, object]) -> None:
        self.tools = dict(tools)

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        tool, op = split_operation(operation_spec)
        if tool not in self.tools:
            raise KeyError(f"unknown tool {tool!r}")
        method = getattr(self.tools[tool], op, None)
        if not callable(method):
            raise AttributeError(f"{tool!r} has no operation {op!r}")
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        value = await asyncio.to_thread(method, **params)
        return await value if inspect.isawaitable(value) else value

    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        spec = str(op.get("operation"))
        try:
            return TaskStepResult.success(
                spec, await self.execute_operation(op["operation"], dict(op.get("params") or {}))
            )
        except Exception as exc:
            return TaskStepResult.failure(spec, exc)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        async def run(op: dict[str, Any]) -> Any:
            try:
                return await self.execute_operation(op["operation"], dict(op.get("params") or {}))
            except Exception as exc:
                return exc

        return list(await asyncio.gather(*(run(op) for op in operations)))

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[TaskStepResult]:  # fmt: skip
        done: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            done.append(await self._step(op))
            if save_callback is not None:
                await save_callback(user_id, task_id, i, done[-1])
            if stop_on_failure and not done[-1].completed:
                break
        return done

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        if not operations:
            return []
        tasks = [asyncio.ensure_future(self._step(op)) for op in operations]
        try:
            await asyncio.wait(tasks)
        except asyncio.CancelledError:  # BUG: the caller's cancellation becomes a result
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        out: list[TaskStepResult] = []
        for op, t in zip(operations, tasks, strict=True):
            if t.cancelled():
                out.append(
                    TaskStepResult.failure(
                        str(op.get("operation")),
                        "cancelled",
                        code=ErrorCode.CANCELLED_ERROR,
                        status=TaskStatus.CANCELLED,
                    )
                )
            else:
                out.append(t.result())
        return out


def factory(tools: Mapping[str, object]) -> PoliteExecutor:
    return PoliteExecutor(tools)
