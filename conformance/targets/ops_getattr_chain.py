"""Flawed operation executor: ``"tool.a.b"`` walks the tool's attributes with ``getattr``.

The mistake: to reach ops on sub-objects (``"db.users.find"``) the resolver folds
``getattr`` over every dotted part, refusing only parts that start with ``_``. So
``"t.log.snapshot"`` runs a method of an internal attribute object, and
``"t.echo.__self__"`` is refused only by luck. The contract: ``<op>`` is one identifier;
``operations.spec.invalid`` catches it (the dotted specs call something).
"""

from __future__ import annotations

import asyncio
import functools
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
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"operations.spec.invalid"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class PathExecutor:
    """Resolves ``tool.path.to.op`` through nested attributes."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self.tools = dict(tools)

    def _target(self, spec: object) -> Any:
        if not isinstance(spec, str):
            raise InvalidOperationSpecError(f"not a spec: {spec!r}", spec=spec)
        head, *path = spec.split(".")
        if not head or not path or not all(p.isidentifier() for p in path):
            raise InvalidOperationSpecError(f"not a spec: {spec!r}", spec=spec)
        if any(p.startswith("_") for p in path):
            raise InvalidOperationSpecError(f"private member in {spec!r}", spec=spec)
        if head not in self.tools:
            raise ToolNotFoundError(head, available=self.tools)
        try:
            # BUG: any public attribute path, not one op name
            found = functools.reduce(getattr, path, self.tools[head])
        except AttributeError:
            raise OperationNotFoundError(".".join(path), tool=head) from None
        if not callable(found):
            raise OperationNotFoundError(".".join(path), tool=head)
        return found

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        fn = self._target(operation_spec)
        if inspect.iscoroutinefunction(fn):
            return await fn(**params)
        res = await asyncio.to_thread(functools.partial(fn, **params))
        if inspect.isawaitable(res):
            res = await res
        return res

    async def _step(self, op: dict[str, Any]) -> TaskStepResult:
        spec = op.get("operation")
        try:
            out = await self.execute_operation(spec, dict(op.get("params") or {}))  # type: ignore[arg-type]
        except Exception as err:
            return TaskStepResult.failure(str(spec), err, code=ErrorCode.EXECUTION_ERROR)
        return TaskStepResult.success(str(spec), out)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        async def safe(op: dict[str, Any]) -> Any:
            try:
                return await self.execute_operation(op["operation"], dict(op.get("params") or {}))
            except Exception as err:
                return err

        return await asyncio.gather(*(safe(op) for op in operations))

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[TaskStepResult]:  # fmt: skip
        out: list[TaskStepResult] = []
        for i, op in enumerate(operations):
            out.append(await self._step(op))
            if save_callback is not None:
                await save_callback(user_id, task_id, i, out[-1])
            if stop_on_failure and out[-1].status == "failed":
                break
        return out

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        return list(await asyncio.gather(*(self._step(op) for op in operations)))


def factory(tools: Mapping[str, object]) -> PathExecutor:
    return PathExecutor(tools)
