"""`ToolExecutor`: runs one operation of a tool as one pipeline of steps.

Every call goes through the same steps, in this order, written once:

    refuse -> resolve -> validate -> cache -> observe -> retry -> timeout -> invoke

``execute`` and ``execute_async`` differ only in the last step, how the op is invoked
(directly or in a thread with ``Future.result(timeout)``, or awaited on the loop / in a
thread with ``asyncio`` timeouts). The pipeline is an ``async def``; for ``execute`` its
invoke step never suspends, so `complete` runs it to the end without an event loop.

One fast path, for ``executor.overhead``: with no cache, observer or timeout, an ``async
def`` op is awaited straight after validation; only if it fails does the call enter the
pipeline's retry step (with that first failure). `tests/runtime/test_pipeline.py` holds
the differential test that the fast path and the pipeline give the same outcomes.

Errors are translated in one place, `map_exceptions` (see `_failures`).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiecs_contracts import ExecutionError, ICacheProvider

from ._failures import describe, map_exceptions
from ._invoke import await_op, blocking_sleep, call_blocking, complete, in_thread, refuse_in_loop
from ._monitoring import ExecutionObserver, notify_failure, notify_start, notify_success
from ._op_stats import OpStats
from ._ops import Op, OpTable
from ._retry import RetryPolicy
from ._scope import call_scope, current_scope
from ._threads import Threads
from ._wiring import Identities, cache_get, cache_hit, cache_key, cache_put, event, refused

__all__ = ["ToolExecutor", "call_scope", "current_scope"]

_Invoke = Callable[[], Awaitable[Any]]
_Sleep = Callable[[float], Awaitable[Any]]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

# execute_with_retry(max_retries=n): the seed retries every failure of the op itself;
# waits of 10 ms, 20 ms, 40 ms... keep attempts apart without making callers wait long.
_SEED_RETRY: Final = {"on": Exception, "initial": 0.01, "maximum": 1.0, "jitter": 0.01}


class _Shared:
    """What executors derived with `with_options` share: learnt ops, identities, threads."""

    __slots__ = ("identities", "table", "threads")

    def __init__(self, max_workers: int | None) -> None:
        self.table = OpTable()
        self.identities: Identities = Identities()
        self.threads = Threads(max_workers)


class ToolExecutor:
    """Executes tool operations: validation, sync ops off the loop, retry, timeout, cache.

    All options are keyword-only and fixed at construction; derive a differently configured
    executor (sharing the learnt operations and the thread pool) with `with_options`.
    """

    __slots__ = (
        "__weakref__",
        "_cache",
        "_observers",
        "_owns_threads",
        "_shared",
        "_stats",
        "admit_unobserved",
        "awaits_directly",
        "retry",
        "timeout",
        "validate",
    )

    def __init__(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        cache: ICacheProvider | None = None,
        validate: bool = True,
        max_workers: int | None = None,
        observers: tuple[ExecutionObserver, ...] = (),
    ) -> None:
        self._setup(retry, timeout, cache, validate, tuple(observers), _Shared(max_workers))
        self._owns_threads = True

    def _setup(
        self,
        retry: RetryPolicy | None,
        timeout: float | None,
        cache: ICacheProvider | None,
        validate: bool,
        observers: tuple[ExecutionObserver, ...],
        shared: _Shared,
    ) -> None:
        if timeout is not None and not timeout > 0:
            raise ValueError(f"ToolExecutor(timeout={timeout!r}): expected seconds > 0 or None")
        if retry is not None and not isinstance(retry, RetryPolicy):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"ToolExecutor(retry={retry!r}): expected a RetryPolicy or None")
        self.retry = retry
        self.timeout = timeout
        self._cache = cache
        self.validate = validate
        self._observers = observers
        self._shared = shared
        self.admit_unobserved = shared.table.admit
        """The admit step as one call, ``admit_unobserved(tool, name, params, validate)``,
        without telling observers of a refusal: what `admit` runs, for a caller that has
        checked `awaits_directly` (then there are no observers)."""
        self._stats = OpStats()
        self._owns_threads = False
        self.awaits_directly = cache is None and not observers and timeout is None
        """Whether a caller may await an admitted ``async def`` op in its own frame: true
        with no cache, observer or timeout, where `execute_async` is `admit`, ``await
        method(**params)`` and `recover` on a failure (`OperationExecutor` does exactly
        that; its benchmark rows need it); otherwise `finish` runs the pipeline."""

    def __repr__(self) -> str:
        return (
            f"ToolExecutor(retry={self.retry!r}, timeout={self.timeout!r}, "
            f"cache={self._cache!r}, validate={self.validate!r})"
        )

    @property
    def cache(self) -> ICacheProvider | None:
        """The cache results go through, if any."""
        return self._cache

    @property
    def observers(self) -> tuple[ExecutionObserver, ...]:
        """The observers told about every execution."""
        return self._observers

    @property
    def max_workers(self) -> int | None:
        """The size of the thread pool sync ops run in (None: the stdlib default)."""
        return self._shared.threads.max_workers

    def with_options(
        self,
        *,
        retry: RetryPolicy | _Unset | None = UNSET,
        timeout: float | _Unset | None = UNSET,
        cache: ICacheProvider | _Unset | None = UNSET,
        validate: bool | _Unset = UNSET,
        observers: tuple[ExecutionObserver, ...] | _Unset = UNSET,
    ) -> ToolExecutor:
        """Return an executor with some options changed, sharing pools and learnt ops.

        The derived executor's `close` leaves the shared thread pool alone: the executor
        that created the pool closes it.
        """
        other = ToolExecutor.__new__(ToolExecutor)
        other._setup(
            self.retry if isinstance(retry, _Unset) else retry,
            self.timeout if isinstance(timeout, _Unset) else timeout,
            self._cache if isinstance(cache, _Unset) else cache,
            self.validate if isinstance(validate, _Unset) else validate,
            self._observers if isinstance(observers, _Unset) else tuple(observers),
            self._shared,
        )
        return other

    # -- refuse, resolve, validate ------------------------------------------------------

    def admit(
        self, tool: Any, operation_name: object, params: dict[str, Any]
    ) -> tuple[str, Callable[..., Any], Op, dict[str, Any]]:
        """Refuse, resolve, validate: ``(name, op callable, what it needs, params)``."""
        try:
            return self.admit_unobserved(tool, operation_name, params, self.validate)
        except ExecutionError as error:
            if self._observers:
                refused(self._observers, tool, operation_name, params, error)
            raise

    # -- the entry points ---------------------------------------------------------------

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.operation_name(**params)`` and return its result (blocking)."""
        return self.run_sync(tool, operation_name, params)

    def run_sync(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute`, with params as a dict (no clash with the names ``tool`` etc.)."""
        name, method, op, params = self.admit(tool, operation_name, params)
        what = describe(tool, name)
        if op.is_async:
            refuse_in_loop(what)
            invoke = self._async_invoke(method, op, params, what)
            return asyncio.run(self._pipeline(tool, name, params, what, invoke, asyncio.sleep))
        threads = self._shared.threads
        invoke = functools.partial(call_blocking, threads, method, params, self.timeout, what)
        return complete(self._pipeline(tool, name, params, what, invoke, blocking_sleep))

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op and return its result: ``async def`` ops awaited, others in a thread."""
        # The fast path (module doc), inlined: the refuse/resolve/validate steps as in
        # `admit`, then the op awaited in this very frame when nothing else is configured.
        try:
            name, method, op, params = self.admit_unobserved(
                tool, operation_name, params, self.validate
            )
        except ExecutionError as error:
            if self._observers:
                refused(self._observers, tool, operation_name, params, error)
            raise
        if self.awaits_directly and op.is_async:
            call = op.positional if self.validate else None  # validated params only
            try:
                return await (method(**params) if call is None else call(method, params))
            except BaseException as error:  # into the retry step, as its first attempt
                first = error
            return await self.recover(tool, name, method, op, params, first)
        return await self.finish(tool, name, method, op, params)

    async def run(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute_async`, with params as a dict (no clash with ``tool`` etc.).

        Always the general pipeline, which is what `execute_async`'s fast path must match.
        """
        name, method, op, params = self.admit(tool, operation_name, params)
        return await self.finish(tool, name, method, op, params)

    def recover(
        self,
        tool: Any,
        name: str,
        method: Callable[..., Any],
        op: Op,
        params: dict[str, Any],
        first: BaseException,
    ) -> Awaitable[Any]:
        """The rest of the pipeline after an admitted op's first attempt failed with ``first``."""
        what = describe(tool, name)
        return self._attempts(
            what, self._async_invoke(method, op, params, what), asyncio.sleep, first
        )

    def finish(
        self, tool: Any, name: str, method: Callable[..., Any], op: Op, params: dict[str, Any]
    ) -> Awaitable[Any]:
        """The pipeline's steps after `admit`: cache, observe, retry, timeout, invoke."""
        what = describe(tool, name)
        invoke = self._async_invoke(method, op, params, what)
        return self._pipeline(tool, name, params, what, invoke, asyncio.sleep)

    async def execute_with_retry(
        self, tool: Any, operation_name: str, max_retries: int = 3, **params: Any
    ) -> Any:
        """Call the op up to ``max_retries`` times in all, until it does not raise (the seed's).

        Every failure of the op itself is retried, waits growing from 10 ms; refused names
        and params are not. When every attempt failed, `RetryExhaustedError` is raised
        with ``__cause__`` set to the last failure.
        """
        policy = RetryPolicy(attempts=max_retries, **_SEED_RETRY)  # type: ignore[arg-type]
        return await self.with_options(retry=policy).run(tool, operation_name, params)

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op and return its result, timing it for `get_performance_metrics`."""
        name, _, _, _ = self.admit(tool, operation_name, params)  # refused calls are not timed
        return await self._stats.timed(name, self.run(tool, name, params))

    def get_performance_metrics(self) -> dict[str, dict[str, float | int]]:
        """``{op: {"avg_time", "min_time", "max_time", "count"}}`` of `execute_with_metrics`.

        Times are in seconds; failed calls are counted under ``"<op>_error"``.
        """
        return self._stats.report()

    # -- cache -> observe -> retry -> timeout -> invoke ---------------------------------

    async def _pipeline(
        self,
        tool: Any,
        name: str,
        params: dict[str, Any],
        what: str,
        invoke: _Invoke,
        sleep: _Sleep,
    ) -> Any:
        cache = self._cache
        key = None
        if cache is not None:
            key = cache_key(cache, self._shared.identities, tool, name, params)
            if key is not None:
                hit = cache_get(cache, key)
                if hit is not None:
                    if self._observers:
                        cache_hit(self._observers, tool, name, params)
                    return hit
        observers = self._observers
        if observers:
            call = event(tool, name, params, cache_hit=False if key is not None else None)
            notify_start(observers, call)
            start = time.perf_counter()
            try:
                result = await self._attempts(what, invoke, sleep, None)
            except BaseException as error:  # cancelled calls end too (E004)
                notify_failure(observers, call, time.perf_counter() - start, error)
                raise
            notify_success(observers, call, time.perf_counter() - start, result)
        else:
            result = await self._attempts(what, invoke, sleep, None)
        if cache is not None and key is not None:
            cache_put(cache, key, result)
        return result

    async def _attempts(
        self, what: str, invoke: _Invoke, sleep: _Sleep, first: BaseException | None
    ) -> Any:
        """The retry step: ``first`` is a failure the caller already had (the fast path)."""
        retry = self.retry
        attempt = 0
        while True:
            attempt += 1
            try:
                with map_exceptions(what):
                    if first is not None:
                        error, first = first, None
                        raise error
                    return await invoke()
            except ExecutionError as error:
                if retry is None:
                    raise
                delay = retry.after_failure(error, attempt, what)
            if delay:
                await sleep(delay)

    def _async_invoke(
        self, method: Callable[..., Any], op: Op, params: dict[str, Any], what: str
    ) -> _Invoke:
        if op.is_async:
            return functools.partial(await_op, method, params, self.timeout, what)
        threads = self._shared.threads
        return functools.partial(in_thread, threads, method, params, self.timeout, what)

    # -- thread pool --------------------------------------------------------------------

    def close(self) -> None:
        """Shut the thread pool down (waiting for running sync ops); safe to call twice.

        Only the executor that created the pool closes it; on one made by `with_options`
        this does nothing.
        """
        if self._owns_threads:
            self._shared.threads.close()

    async def aclose(self) -> None:
        """Shut the thread pool down without blocking the event loop."""
        await asyncio.get_running_loop().run_in_executor(None, self.close)

    def __enter__(self) -> ToolExecutor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> ToolExecutor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
