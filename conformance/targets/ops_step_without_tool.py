"""Flawed operation executor: step results are named after the op alone (``step="search"``).

The mistake: the author logs steps by method name, so ``TaskStepResult.step`` is the part
after the dot; two tools with an op of the same name give indistinguishable steps, and
callers that match a step back to its spec (as the original AIECS did) find nothing.
``operations.results.step`` catches it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiecs_contracts import (
    ErrorCode,
    InvalidOperationSpecError,
    OperationNotFoundError,
    TaskStepResult,
    ToolNotFoundError,
)

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.results.step"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


@dataclass
class StepExecutor:
    """Runs ``tool.op`` specs; every step is labelled with its method name."""

    tools: Mapping[str, Any]
    _lock: asyncio.Lock | None = field(default=None, repr=False)

    def _lookup(self, spec: Any) -> tuple[str, Any]:
        if not isinstance(spec, str) or spec.count(".") < 1:
            raise InvalidOperationSpecError(f"bad operation spec {spec!r}", spec=spec)
        tool_name, op_name = spec.split(".", 1)
        if not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise InvalidOperationSpecError(f"bad operation spec {spec!r}", spec=spec)
        if tool_name not in self.tools:
            raise ToolNotFoundError(tool_name, available=self.tools)
        fn = getattr(self.tools[tool_name], op_name, None)
        if not callable(fn):
            raise OperationNotFoundError(op_name, tool=tool_name)
        return op_name, fn

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        _, fn = self._lookup(operation_spec)
        if inspect.iscoroutinefunction(fn):
            return await fn(**params)
        out = await asyncio.to_thread(fn, **params)
        return await out if inspect.isawaitable(out) else out

    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        label = str(op.get("operation"))
        try:
            label, _ = self._lookup(op.get("operation"))  # BUG: the method name, not the spec
            value = await self.execute_operation(op["operation"], dict(op.get("params") or {}))
        except Exception as exc:
            return TaskStepResult.failure(label, exc, code=ErrorCode.EXECUTION_ERROR)
        return TaskStepResult.success(label, value)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        async def one(op: dict[str, Any]) -> Any:
            try:
                return await self.execute_operation(op["operation"], dict(op.get("params") or {}))
            except Exception as exc:
                return exc

        return list(await asyncio.gather(*map(one, operations)))

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Any = None,
    ) -> list[TaskStepResult]:
        done: list[TaskStepResult] = []
        for n, op in enumerate(operations):
            res = await self._step(op)
            done.append(res)
            if save_callback is not None:
                await save_callback(user_id, task_id, n, res)
            if stop_on_failure and not res.completed:
                break
        return done

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*(self._step(op) for op in operations)))


def factory(tools: Mapping[str, object]) -> StepExecutor:
    """Return an executor over ``tools``."""
    return StepExecutor(tools)
