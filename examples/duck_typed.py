"""Duck-typed implementations of every contract: no base class, no import needed to write them.

Run: ``python examples/duck_typed.py``. Each class below passes ``isinstance`` against its
Protocol and the strict ``ensure_conforms`` check; the last one is written the way people
often get it wrong, and ``explain`` lists every mistake at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiecs_contracts import (
    ExecutionInterface,
    ICacheProvider,
    IOperationExecutor,
    IToolExecutor,
    IToolProvider,
    TaskStepResult,
    ensure_conforms,
    explain,
)

Callback = Callable[[str, str, int, TaskStepResult], Awaitable[None]]


class DictToolProvider:
    """Serves tools from a mapping."""

    def __init__(self, tools: Mapping[str, object]) -> None:
        self._tools = dict(tools)

    def get_tool(self, tool_name: str) -> Any:
        """Return the tool or raise ``LookupError``."""
        try:
            return self._tools[tool_name]
        except KeyError:
            raise LookupError(f"no tool named {tool_name!r}") from None

    def has_tool(self, tool_name: str) -> bool:
        """Return whether the tool is served."""
        return tool_name in self._tools


class PlainToolExecutor:
    """Calls public operations only, sync or async."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run a sync operation."""
        result = self._resolve(tool, operation_name)(**params)
        if inspect.isawaitable(result):
            return asyncio.run(_awaited(result))
        return result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run an operation without blocking the loop."""
        op = self._resolve(tool, operation_name)
        if inspect.iscoroutinefunction(op):
            return await op(**params)
        return await asyncio.to_thread(op, **params)

    @staticmethod
    def _resolve(tool: Any, operation_name: str) -> Callable[..., Any]:
        if not operation_name.isidentifier() or operation_name.startswith("_"):
            raise LookupError(f"{operation_name!r} is not a public operation")
        op: object = getattr(tool, operation_name, None)
        if not callable(op):
            raise LookupError(f"{type(tool).__name__} has no operation {operation_name!r}")
        return op


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class JsonKeyCache:
    """A dict cache with JSON-derived keys (fine for JSON-able params)."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        """Derive a key from the whole call context."""
        payload = json.dumps([operation_type, user_id, task_id, args, kwargs], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get_from_cache(self, cache_key: str) -> Any | None:
        """Return the cached value or ``None``."""
        return self._data.get(cache_key)

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        """Store a value."""
        self._data[cache_key] = value


class SimpleOperations:
    """Runs ``"tool.op"`` specs against a provider."""

    def __init__(self, tools: DictToolProvider) -> None:
        self._tools, self._executor = tools, PlainToolExecutor()

    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        """Run one operation."""
        tool_name, _, op = operation_spec.partition(".")
        return await self._executor.execute_async(self._tools.get_tool(tool_name), op, **params)

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        """Run all; failures stay in their slots."""
        coros = [self.execute_operation(o["operation"], o.get("params", {})) for o in operations]
        return list(await asyncio.gather(*coros, return_exceptions=True))

    async def execute_operations_sequence(
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Callback | None = None,
    ) -> list[TaskStepResult]:
        """Run one after another."""
        results: list[TaskStepResult] = []
        for index, o in enumerate(operations):
            try:
                value = await self.execute_operation(o["operation"], o.get("params", {}))
                step = TaskStepResult.success(o["operation"], value)
            except Exception as exc:
                step = TaskStepResult.failure(o["operation"], exc)
            results.append(step)
            if save_callback is not None:
                await save_callback(user_id, task_id, index, step)
            if stop_on_failure and not step.completed:
                break
        return results

    async def execute_parallel_operations(
        self, operations: list[dict[str, Any]]
    ) -> list[TaskStepResult]:
        """Run concurrently; failures captured."""
        outcomes = await self.batch_execute_operations(operations)
        return [
            TaskStepResult.failure(o["operation"], r)
            if isinstance(r, Exception)
            else TaskStepResult.success(o["operation"], r)
            for o, r in zip(operations, outcomes, strict=True)
        ]


class MistakenCache:
    """Written the way people often get it wrong."""

    async def generate_cache_key(self, operation_type: str, task_id: str, user_id: str) -> str:
        """Async for no reason, ids swapped, args/kwargs forgotten."""
        return f"{operation_type}:{user_id}:{task_id}"

    def add_to_cache(self, cache_key: str, value: Any, ttl: int) -> None:
        """An extra required parameter no caller passes."""


class Greeter:
    """A tool: any object with public methods."""

    def greet(self, name: str) -> str:
        """Say hello."""
        return f"hello, {name}"


def main() -> None:
    """Check each implementation three ways and print what the checks say."""
    provider = DictToolProvider({"greeter": Greeter()})
    cases: list[tuple[object, type]] = [
        (provider, IToolProvider),
        (PlainToolExecutor(), IToolExecutor),
        (JsonKeyCache(), ICacheProvider),
        (SimpleOperations(provider), IOperationExecutor),
    ]
    print("Duck-typed implementations (no inheritance):")
    for impl, protocol in cases:
        ensure_conforms(impl, protocol)  # raises TypeError listing every mismatch
        print(
            f"  {type(impl).__name__:<18} isinstance {protocol.__name__}: "
            f"{isinstance(impl, protocol)}; strict check: conforms"
        )
    ops = SimpleOperations(provider)
    print("  run:", asyncio.run(ops.execute_operation("greeter.greet", {"name": "world"})))
    print(f"  an ExecutionInterface? {isinstance(ops, ExecutionInterface)} (no execute_task)")

    print("\nA mistaken cache:")
    print(f"  isinstance(..., ICacheProvider) -> {isinstance(MistakenCache(), ICacheProvider)}")
    print("  explain() says:")
    for problem in explain(MistakenCache, ICacheProvider):
        print(f"    - [{problem.kind.value}] {problem}")
    try:
        ensure_conforms(MistakenCache(), ICacheProvider)
    except TypeError as err:
        print(f"  ensure_conforms raised TypeError ({str(err).count(chr(10) + '  - ')} problems)")


if __name__ == "__main__":
    main()
