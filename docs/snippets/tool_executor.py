"""A duck-typed tool executor: runs public ops only, never blocks the event loop."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from aiecs_contracts import (
    IToolExecutor,
    OperationFailedError,
    OperationNotFoundError,
    conforms,
)


def _resolve(tool: Any, operation_name: str) -> Any:
    """Return the bound op, refusing private names, non-identifiers and missing ops."""
    if not operation_name.isidentifier() or operation_name.startswith("_"):
        raise OperationNotFoundError(operation_name, tool=type(tool).__name__)
    op = getattr(tool, operation_name, None)
    if not callable(op):
        raise OperationNotFoundError(operation_name, tool=type(tool).__name__)
    return op


class SimpleToolExecutor:
    """Runs ``tool.<op>(**params)``; the op's own exceptions become `OperationFailedError`."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        op = _resolve(tool, operation_name)
        try:
            result = op(**params)
            if inspect.isawaitable(result):  # an async op called from sync code
                result = asyncio.run(_await(result))
        except Exception as exc:
            raise OperationFailedError(f"{operation_name} failed: {exc!r}") from exc
        return result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        op = _resolve(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(op):
                return await op(**params)
            # A plain def may block: run it in a worker thread, off the event loop. What it
            # returns may still be awaitable (an async def behind a plain decorator).
            result = await asyncio.to_thread(op, **params)
            return await result if inspect.isawaitable(result) else result
        except Exception as exc:
            raise OperationFailedError(f"{operation_name} failed: {exc!r}") from exc


async def _await(awaitable: Any) -> Any:
    return await awaitable


class Greeter:
    def hello(self, name: str) -> str:
        return f"hello {name}"

    async def shout(self, name: str) -> str:
        return f"HELLO {name.upper()}"


if __name__ == "__main__":
    executor = SimpleToolExecutor()
    print(conforms(executor, IToolExecutor))
    print(executor.execute(Greeter(), "hello", name="ada"))
    print(executor.execute(Greeter(), "shout", name="ada"))
    print(asyncio.run(executor.execute_async(Greeter(), "hello", name="bob")))
    try:
        executor.execute(Greeter(), "__class__")
    except LookupError as exc:
        print(f"{type(exc).__name__}: {exc}")
