"""A correct tool executor: public operations only, errors wrapped, sync ops off the loop."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, cast

from aiecs_contracts import OperationFailedError, OperationNotFoundError

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


def resolve_operation(tool: Any, operation_name: str) -> Any:
    """Return the bound public operation ``operation_name`` of ``tool``, or raise."""
    # Refuse before touching the tool: a private or malformed name must never reach
    # getattr, which would happily hand out __class__, __reduce__ or _secret.
    name = cast("object", operation_name)
    if not isinstance(name, str) or not name.isidentifier() or operation_name.startswith("_"):
        raise OperationNotFoundError(
            repr(operation_name), tool=type(tool).__name__, available=_public_ops(tool)
        )
    method = getattr(tool, operation_name, None)
    if method is None or not callable(method):
        raise OperationNotFoundError(
            operation_name, tool=type(tool).__name__, available=_public_ops(tool)
        )
    return method


def _public_ops(tool: Any) -> list[str]:
    return [n for n in dir(tool) if not n.startswith("_")]


def failed(operation_name: str, exc: Exception) -> OperationFailedError:
    """Wrap the op's exception; the caller raises it ``from exc``."""
    return OperationFailedError(f"operation {operation_name!r} raised {type(exc).__name__}: {exc}")


class ToolExecutor:
    """Runs public operations of tool objects; the op's own exception is the ``__cause__``."""

    def _resolve(self, tool: Any, operation_name: str) -> Any:
        return resolve_operation(tool, operation_name)

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the operation from synchronous code; an ``async def`` op is run to completion."""
        method = self._resolve(tool, operation_name)
        if inspect.iscoroutinefunction(method):
            _refuse_inside_running_loop(operation_name)
        try:
            result = method(**params)
            if inspect.isawaitable(result):
                result = _run_coroutine(operation_name, result)
        except Exception as exc:
            raise failed(operation_name, exc) from exc
        return result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Await an ``async def`` op; run a plain op in a worker thread so the loop stays free."""
        method = self._resolve(tool, operation_name)
        try:
            if inspect.iscoroutinefunction(method):
                return await method(**params)
            result = await asyncio.to_thread(method, **params)
            if inspect.isawaitable(result):
                result = await result
            return result
        except Exception as exc:
            raise failed(operation_name, exc) from exc


def _run_coroutine(operation_name: str, awaitable: Any) -> Any:
    # A plain callable that returned an awaitable (a decorated ``async def``, a future-like
    # object): run it here, or, inside a running loop, close it and refuse.
    try:
        _refuse_inside_running_loop(operation_name)
    except RuntimeError:
        close = getattr(awaitable, "close", None)
        if callable(close):
            close()  # no "never awaited" warning
        raise

    async def finish() -> Any:
        return await awaitable

    return asyncio.run(finish())


def _refuse_inside_running_loop(operation_name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # no loop in this thread: execute() may run the coroutine itself
    raise RuntimeError(
        f"execute() cannot run the async operation {operation_name!r} inside a running "
        f"event loop; use `await executor.execute_async(...)` instead"
    )


def factory() -> ToolExecutor:
    """Return a fresh executor."""
    return ToolExecutor()
