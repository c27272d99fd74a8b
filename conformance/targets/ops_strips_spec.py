"""Flawed operation executor: specs are ``.strip()``-ed before they are parsed.

The mistake: "be liberal in what you accept" — ``" search.run\n"`` from a template is
trimmed and runs ``search.run``. The contract refuses surrounding whitespace: the spec is
not the op's name, and a caller's typo becomes a call. ``operations.spec.invalid`` catches
it (the whitespace specs run an op).
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import (
    InvalidOperationSpecError,
    OperationNotFoundError,
    TaskStepResult,
    ToolNotFoundError,
)

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.spec.invalid"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_SPEC = re.compile(r"(?P<tool>[^.]+)\.(?P<op>[A-Za-z][A-Za-z0-9_]*)")


class Executor:
    def __init__(self, tools: Mapping[str, object]) -> None:
        self.tools = tools

    def resolve(self, spec: Any) -> Any:
        if not isinstance(spec, str):
            raise InvalidOperationSpecError(f"spec must be a string, got {spec!r}", spec=spec)
        m = _SPEC.fullmatch(spec.strip())  # BUG: whitespace around the spec is dropped
        if m is None:
            raise InvalidOperationSpecError(f"malformed spec {spec!r}", spec=spec)
        tool = self.tools.get(m["tool"])
        if tool is None:
            raise ToolNotFoundError(m["tool"], available=self.tools)
        fn = getattr(tool, m["op"], None)
        if not callable(fn):
            raise OperationNotFoundError(m["op"], tool=m["tool"])
        return fn

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        fn = self.resolve(operation_spec)
        result = (
            fn(**params)
            if inspect.iscoroutinefunction(fn)
            else await asyncio.to_thread(fn, **params)
        )
        while inspect.isawaitable(result):
            result = await result
        return result

    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        try:
            value = await self.execute_operation(op["operation"], dict(op.get("params") or {}))
            return TaskStepResult.success(op["operation"], value)
        except Exception as exc:
            return TaskStepResult.failure(str(op.get("operation")), exc)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        coros = [
            self.execute_operation(o["operation"], dict(o.get("params") or {})) for o in operations
        ]
        return list(await asyncio.gather(*coros, return_exceptions=True))

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[TaskStepResult]:  # fmt: skip
        results: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            r = await self._step(op)
            results.append(r)
            if save_callback is not None:
                await save_callback(user_id, task_id, i, r)
            if stop_on_failure and not r.completed:
                break
        return results

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*map(self._step, operations)))


def factory(tools: Mapping[str, object]) -> Executor:
    return Executor(tools)
