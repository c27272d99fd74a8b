"""The pipeline's last step, the only one where ``execute`` and ``execute_async`` differ.

Async: an ``async def`` op is awaited on the loop (under ``asyncio.timeout``); anything
else runs in a pool thread and an awaitable it returns is awaited. Sync: the op is called
directly, or in a pool thread with ``Future.result(timeout)``; an awaitable it returns
is run to its end with ``asyncio.run`` (refused inside a running loop). Either way an op
that outlives its timeout retires its pool (see `Threads`).

The sync invoke is an ``async def`` that never suspends, so the one pipeline (an
``async def``) serves both: `complete` runs it to its end without an event loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiecs_contracts import ExecutionError

from ._failures import map_exceptions, timeout_error
from ._threads import Threads

__all__ = ["await_op", "blocking_sleep", "call_blocking", "complete", "in_thread", "refuse_in_loop"]


async def await_op(
    method: Callable[..., Any], params: dict[str, Any], timeout: float | None, what: str
) -> Any:
    """Await an ``async def`` op on the running loop."""
    if timeout is None:
        return await method(**params)
    deadline = asyncio.timeout(timeout)
    try:
        async with deadline:
            return await method(**params)
    except TimeoutError:
        if deadline.expired():
            raise timeout_error(what, timeout, in_thread=False) from None
        raise  # the op's own TimeoutError


async def in_thread(
    threads: Threads,
    method: Callable[..., Any],
    params: dict[str, Any],
    timeout: float | None,
    what: str,
) -> Any:
    """Run a sync op in a pool thread without blocking the loop."""
    pool = threads.pool()
    call = functools.partial(_boxed, method, params)
    future = asyncio.get_running_loop().run_in_executor(pool, contextvars.copy_context().run, call)
    if timeout is None:
        result, error = await future
    else:
        try:
            result, error = await asyncio.wait_for(future, timeout)
        except TimeoutError:  # only the wait's: the op's own exceptions come boxed
            threads.retire(pool)
            raise timeout_error(what, timeout, in_thread=True) from None
    if error is not None:
        raise error
    if inspect.isawaitable(result):  # a plain callable that returned an awaitable
        return await result
    return result


async def call_blocking(
    threads: Threads,
    method: Callable[..., Any],
    params: dict[str, Any],
    timeout: float | None,
    what: str,
) -> Any:
    """Call a sync op and wait for it, blocking; never suspends (see `complete`)."""
    if timeout is None:
        result = method(**params)
    else:
        pool = threads.pool()
        future = pool.submit(contextvars.copy_context().run, _boxed, method, params)
        try:
            result, error = future.result(timeout)
        except TimeoutError:  # only the wait's: the op's own exceptions come boxed
            future.cancel()
            threads.retire(pool)
            raise timeout_error(what, timeout, in_thread=True) from None
        if error is not None:
            raise error
    if inspect.isawaitable(result):
        return _run_awaitable(result, what)
    return result


def _boxed(method: Callable[..., Any], params: dict[str, Any]) -> tuple[Any, BaseException | None]:
    """Run ``method`` in a pool thread, returning its exception instead of raising it.

    Futures rebuild some exceptions on the way out (asyncio turns a ``TimeoutError`` into
    a new instance) and a ``TimeoutError`` of the op's would look like the wait's own; a
    boxed exception reaches the caller as the very object the op raised.
    """
    try:
        return method(**params), None
    except BaseException as error:  # re-raised by the caller, unchanged
        return None, error


async def blocking_sleep(seconds: float) -> None:
    """The sync pipeline's wait between attempts: blocks, never suspends."""
    time.sleep(seconds)


def complete(pipeline: Coroutine[Any, Any, Any]) -> Any:
    """Run a pipeline whose steps never suspend to its end, without an event loop."""
    try:
        pipeline.send(None)
    except StopIteration as done:
        return done.value
    pipeline.close()
    raise RuntimeError("the synchronous pipeline suspended; this is a bug in aiecs_runtime")


def _run_awaitable(awaitable: Any, what: str) -> Any:
    # A plain def that returned an awaitable: never hand the caller a coroutine.
    if _loop_running():
        if inspect.iscoroutine(awaitable):
            awaitable.close()
        refuse_in_loop(what)

    async def finish() -> Any:
        return await awaitable

    with map_exceptions(what):
        return asyncio.run(finish())


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def refuse_in_loop(what: str) -> None:
    """Raise if a loop runs in this thread: ``execute`` cannot wait for an async op there."""
    if _loop_running():
        raise ExecutionError(
            f"{what} is async and execute() was called inside a running event loop, where "
            "it cannot wait for it; use `await executor.execute_async(...)` instead"
        )
