"""A correct operation executor: ``"tool.op"`` specs run singly, batched, in sequence or
concurrently, with failures captured as consistent ``TaskStepResult``s.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Dict, List, cast

from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    InvalidOperationSpecError,
    OperationNotFoundError,
    TaskStepResult,
    ToolNotFoundError,
)

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

SaveCallback = Callable[[str, str, int, TaskStepResult], Awaitable[None]]


def parse_spec(operation_spec: str) -> tuple[str, str]:
    """Split ``"tool.op"`` on its first dot, refusing private or malformed op names."""
    spec = cast("object", operation_spec)
    if not isinstance(spec, str):
        raise InvalidOperationSpecError(
            f"operation spec must be a str like 'tool.op', got {type(spec).__name__} {spec!r}",
            spec=spec,
        )
    tool, dot, op = spec.partition(".")
    if not dot or not tool or not op.isidentifier() or op.startswith("_"):
        raise InvalidOperationSpecError(
            f"operation spec {spec!r} is not '<tool>.<public_op>' (a non-empty tool name, "
            f"a dot, then a Python identifier not starting with '_')",
            spec=spec,
        )
    return tool, op


def step_name(item: object) -> str:
    """Name a step after its operation spec, whatever shape the item has."""
    if isinstance(item, Mapping):
        spec = cast("Mapping[str, object]", item).get("operation")
        return spec if isinstance(spec, str) else repr(spec)
    return repr(item)


def failed_step(step: str, exc: Exception) -> TaskStepResult:
    """Build the failed step result for ``exc``, keeping our errors' specific codes."""
    code = exc.code if isinstance(exc, ExecutionError) else ErrorCode.EXECUTION_ERROR
    return TaskStepResult.failure(step, exc, code=code)


class OperationExecutor:
    """Resolves ``"tool.op"`` against a mapping of tools and runs the operations."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools: dict[str, Any] = dict(tools)

    def _resolve(self, operation_spec: str) -> Any:
        tool_name, op_name = parse_spec(operation_spec)
        if tool_name not in self._tools:
            raise ToolNotFoundError(tool_name, available=self._tools)
        tool = self._tools[tool_name]
        method = getattr(tool, op_name, None)
        if method is None or not callable(method):
            public = [n for n in dir(tool) if not n.startswith("_")]
            raise OperationNotFoundError(op_name, tool=tool_name, available=public)
        return method

    async def execute_operation(self, operation_spec: str, params: Dict[str, Any]) -> Any:
        """Run one operation; an ``async def`` op is awaited, a plain one runs in a thread."""
        method = self._resolve(operation_spec)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        result = await asyncio.to_thread(method, **params)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def _run_item(self, item: Dict[str, Any]) -> Any:
        return await self.execute_operation(item["operation"], dict(item.get("params") or {}))

    async def _run_step(self, item: Dict[str, Any]) -> TaskStepResult:
        step = step_name(item)
        try:
            result = await self._run_item(item)
        except Exception as exc:
            return failed_step(step, exc)
        return TaskStepResult.success(step, result)

    async def batch_execute_operations(self, operations: List[Dict[str, Any]]) -> List[Any]:
        """Run every operation concurrently; a failing one's slot holds its exception."""
        results = await asyncio.gather(
            *(self._run_item(item) for item in operations), return_exceptions=True
        )
        for value in results:
            # A cancelled child is not a "failed op": propagate the cancellation.
            if isinstance(value, asyncio.CancelledError):
                raise value
        return list(results)

    async def execute_operations_sequence(
        self,
        operations: List[Dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: SaveCallback | None = None,
    ) -> List[TaskStepResult]:
        """Run the operations one after another, saving each step as it ends."""
        results: list[TaskStepResult] = []
        for index, item in enumerate(operations):
            step = await self._run_step(item)
            results.append(step)
            if save_callback is not None:
                await save_callback(user_id, task_id, index, step)
            if stop_on_failure and not step.completed:
                break
        return results

    async def execute_parallel_operations(
        self, operations: List[Dict[str, Any]]
    ) -> List[TaskStepResult]:
        """Run the operations concurrently; results in input order, failures captured."""
        # gather cancels every child when it is itself cancelled, so no op outlives us.
        return list(await asyncio.gather(*(self._run_step(item) for item in operations)))


def factory(tools: Mapping[str, object]) -> OperationExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return OperationExecutor(tools)
