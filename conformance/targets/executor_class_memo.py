"""Flawed tool executor: the resolved operation is memoised per (tool class, op name).

The mistake: resolving an op (``getattr`` plus the async test) is cached by
``(type(tool), operation_name)`` "because all instances of a class have the same
methods" -- but the cache stores the *bound* method, so a second instance of the class
runs the first instance's op (and an instance attribute of another instance is never
seen). ``executor.isolation.tools`` catches it: it calls two instances of one class.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"executor.isolation.tools"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class MemoExecutor:
    """Looks each (class, op) up once."""

    def __init__(self) -> None:
        self._memo: dict[tuple[type[Any], str], tuple[Any, bool]] = {}

    def _lookup(self, tool: object, name: object) -> tuple[Any, bool]:
        key: tuple[type[Any], str] = (type(tool), str(name))
        hit = self._memo.get(key)
        if hit is None:
            if not isinstance(name, str) or not name.isidentifier() or name[0] == "_":
                raise OperationNotFoundError(repr(name), tool=type(tool).__name__)
            fn = getattr(tool, str(name), None)
            if not callable(fn):
                raise OperationNotFoundError(str(name), tool=type(tool).__name__)
            hit = (fn, inspect.iscoroutinefunction(fn))  # BUG: bound to *this* instance
            self._memo[key] = hit
        return hit

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op, blocking."""
        fn, _ = self._lookup(tool, operation_name)
        try:
            out = fn(**params)
        except Exception as e:
            raise OperationFailedError(f"{operation_name} failed: {e!r}") from e
        if not inspect.iscoroutine(out):
            return out
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            out.close()
            raise RuntimeError(f"{operation_name}: use execute_async inside a loop")
        try:
            return asyncio.run(out)
        except Exception as e:
            raise OperationFailedError(f"{operation_name} failed: {e!r}") from e

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op without blocking the loop."""
        fn, is_async = self._lookup(tool, operation_name)
        try:
            out = await fn(**params) if is_async else await asyncio.to_thread(fn, **params)
            if inspect.isawaitable(out):
                out = await out
            return out
        except Exception as e:
            raise OperationFailedError(f"{operation_name} failed: {e!r}") from e


def factory() -> MemoExecutor:
    """A fresh executor."""
    return MemoExecutor()
