"""A correct async context executor: its own pool for sync ops, opened and shut by the context."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, Self

CONTRACT = "async-context-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class PooledContextExecutor:
    """Runs ``"tool.op"`` only between ``__aenter__`` and ``__aexit__``."""

    def __init__(self, tools: Mapping[str, Any]) -> None:
        self._tools = dict(tools)
        self._pool: ThreadPoolExecutor | None = None

    async def __aenter__(self) -> Self:
        if self._pool is not None:
            raise RuntimeError("this executor is already open")
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ctx-exec")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, True)

    def _resolve(self, operation: object) -> Any:
        if not isinstance(operation, str) or "." not in operation:
            raise ValueError(f"operation {operation!r} is not 'tool.op'")
        tool_name, _, op_name = operation.partition(".")
        if not tool_name or not op_name.isidentifier() or op_name.startswith("_"):
            raise ValueError(f"operation {operation!r} is not 'tool.op' with a public op")
        if tool_name not in self._tools:
            raise LookupError(f"no tool {tool_name!r}")
        method = getattr(self._tools[tool_name], op_name, None)
        if not callable(method):
            raise LookupError(f"tool {tool_name!r} has no operation {op_name!r}")
        return method

    async def execute_in_context(self, operation: str, **params: Any) -> Any:
        """Run the op; sync ops go to this executor's own pool."""
        pool = self._pool
        if pool is None:
            raise RuntimeError(f"execute_in_context({operation!r}) outside `async with`")
        method = self._resolve(operation)
        if inspect.iscoroutinefunction(method):
            return await method(**params)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, functools.partial(method, **params))


def factory(tools: Mapping[str, Any]) -> PooledContextExecutor:
    """Return a closed executor over ``tools``."""
    return PooledContextExecutor(tools)
