"""Flawed tool executor: sync ops run via ``loop.run_in_executor`` on its own pool.

The mistake: unlike ``asyncio.to_thread``, ``run_in_executor`` does not copy the caller's
``contextvars`` context, so a request id, tenant or tracing span the caller set is not
visible inside a sync op. ``executor.contextvars`` (should) catches it: the target is
"conforming", not "full".
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset({"executor.contextvars"})


class PooledExecutor:
    """Runs sync ops on a private thread pool."""

    def __init__(self, workers: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tool")

    def _op(self, tool: Any, name: object) -> Any:
        if not (isinstance(name, str) and name.isidentifier() and name[:1] != "_"):
            raise OperationNotFoundError(repr(name))
        try:
            op = getattr(tool, str(name))
        except AttributeError as exc:
            raise OperationNotFoundError(str(name)) from exc
        if not callable(op):
            raise OperationNotFoundError(str(name))
        return op

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op in the calling thread."""
        op = self._op(tool, operation_name)
        try:
            value = op(**params)
            if inspect.iscoroutine(value):
                value = asyncio.run(value)
        except Exception as exc:
            raise OperationFailedError(f"{operation_name} raised {exc!r}") from exc
        return value

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await async ops; sync ones go to the pool."""
        op = self._op(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(op):
                return await op(**params)
            loop = asyncio.get_running_loop()
            value = await loop.run_in_executor(self._pool, functools.partial(op, **params))
            if inspect.isawaitable(value):
                value = await value
            return value
        except Exception as exc:
            raise OperationFailedError(f"{operation_name} raised {exc!r}") from exc


def factory() -> PooledExecutor:
    """A fresh executor."""
    return PooledExecutor()
