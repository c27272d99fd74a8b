"""`ToolExecutor`: runs one operation of a tool as one pipeline of steps.

Every call goes through the same steps, in this order, written once:

    refuse -> resolve -> validate -> cache -> observe -> retry -> timeout -> invoke

``execute`` and ``execute_async`` differ only in the last step, how the op is invoked
(directly or in a thread with ``Future.result(timeout)``, or awaited on the loop / in a
thread with ``asyncio`` timeouts). The pipeline is an ``async def``; for ``execute`` its
invoke step never suspends, so `_complete` runs it to the end without an event loop.

One fast path, for ``executor.overhead``: with no cache, observer or timeout, an ``async
def`` op is awaited straight after validation; only if it fails does the call enter the
pipeline's retry step (with that first failure). `tests/runtime/test_pipeline.py` holds
the differential test that the fast path and the pipeline give the same outcomes.

Errors are translated in one place, `map_exceptions` (see `_failures`).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import itertools
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Final, cast

from aiecs_contracts import ExecutionError, ICacheProvider

from ._failures import describe, map_exceptions, timeout_error
from ._monitoring import (
    ExecutionEvent,
    ExecutionObserver,
    notify_failure,
    notify_start,
    notify_success,
)
from ._op_stats import OpStats
from ._ops import Op, OpTable
from ._retry import RetryPolicy
from ._scope import call_scope, current, current_scope
from ._threads import Threads

__all__ = ["ToolExecutor", "call_scope", "current_scope"]

_log = logging.getLogger("aiecs_runtime.executor")

_serial = itertools.count(1)

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
        self.identities: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self.threads = Threads(max_workers)


class ToolExecutor:
    """Executes tool operations: validation, sync ops off the loop, retry, timeout, cache.

    All options are keyword-only and fixed at construction; derive a differently configured
    executor (sharing the learnt operations and the thread pool) with `with_options`.
    """

    __slots__ = (
        "__weakref__",
        "_cache",
        "_fast",
        "_observers",
        "_owns_threads",
        "_shared",
        "_stats",
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
        self._stats = OpStats()
        self._owns_threads = False
        self._fast = cache is None and not observers and timeout is None

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

    def _admit(
        self, tool: Any, operation_name: object, params: dict[str, Any]
    ) -> tuple[str, Callable[..., Any], Op, dict[str, Any]]:
        try:
            name, method, op = self._shared.table.resolve(tool, operation_name)
            validator = op.validator
            if validator is not None and self.validate and not validator.passes(params):
                params = validator(params)
        except ExecutionError as error:
            if self._observers:
                self._refused(tool, operation_name, params, error)
            raise
        return name, method, op, params

    # -- the entry points ---------------------------------------------------------------

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.operation_name(**params)`` and return its result (blocking)."""
        return self.run_sync(tool, operation_name, params)

    def run_sync(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute`, with params as a dict (no clash with the names ``tool`` etc.)."""
        name, method, op, params = self._admit(tool, operation_name, params)
        if op.is_async:
            _refuse_inside_loop(tool, name)
            return asyncio.run(
                self._pipeline(
                    tool,
                    name,
                    params,
                    self._async_invoke(method, op, params, tool, name),
                    asyncio.sleep,
                )
            )
        invoke = functools.partial(self._invoke_sync, method, params, describe(tool, name))
        return _complete(self._pipeline(tool, name, params, invoke, _blocking_sleep))

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op and return its result: ``async def`` ops awaited, others in a thread."""
        return await self.run(tool, operation_name, params)

    async def run(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute_async`, with params as a dict (no clash with ``tool`` etc.)."""
        name, method, op, params = self._admit(tool, operation_name, params)
        if self._fast and op.is_async:
            # The fast path (module doc): no cache, observer or timeout to go through.
            try:
                return await method(**params)
            except BaseException as error:  # re-raised by the caller, unchanged
                first = error
            invoke = self._async_invoke(method, op, params, tool, name)
            return await self._attempts(describe(tool, name), invoke, asyncio.sleep, first)
        invoke = self._async_invoke(method, op, params, tool, name)
        return await self._pipeline(tool, name, params, invoke, asyncio.sleep)

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
        name, _, _, _ = self._admit(tool, operation_name, params)  # refused calls are not timed
        start = time.perf_counter()
        try:
            result = await self.run(tool, name, params)
        except BaseException:
            self._stats.record(name, time.perf_counter() - start, failed=True)
            raise
        self._stats.record(name, time.perf_counter() - start, failed=False)
        return result

    def get_performance_metrics(self) -> dict[str, dict[str, float | int]]:
        """``{op: {"avg_time", "min_time", "max_time", "count"}}`` of `execute_with_metrics`.

        Times are in seconds; failed calls are counted under ``"<op>_error"``.
        """
        return self._stats.report()

    # -- cache -> observe -> retry -> timeout -> invoke ---------------------------------

    async def _pipeline(
        self, tool: Any, name: str, params: dict[str, Any], invoke: _Invoke, sleep: _Sleep
    ) -> Any:
        key = None if self._cache is None else self._cache_key(tool, name, params)
        if key is not None:
            hit = self._cache_get(key)
            if hit is not None:
                return hit
        what = describe(tool, name)
        observers = self._observers
        if observers:
            event = self._event(tool, name, params)
            notify_start(observers, event)
            start = time.perf_counter()
            try:
                result = await self._attempts(what, invoke, sleep, None)
            except BaseException as error:  # cancelled calls end too (E004)
                notify_failure(observers, event, time.perf_counter() - start, error)
                raise
            notify_success(observers, event, time.perf_counter() - start, result)
        else:
            result = await self._attempts(what, invoke, sleep, None)
        if key is not None:
            self._cache_put(key, result)
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
        self, method: Callable[..., Any], op: Op, params: dict[str, Any], tool: Any, name: str
    ) -> _Invoke:
        call = self._await_op if op.is_async else self._in_thread
        return functools.partial(call, method, params, tool, name)

    async def _await_op(
        self, method: Callable[..., Any], params: dict[str, Any], tool: Any, name: str
    ) -> Any:
        timeout = self.timeout
        if timeout is None:
            return await method(**params)
        deadline = asyncio.timeout(timeout)
        try:
            async with deadline:
                return await method(**params)
        except TimeoutError:
            if deadline.expired():
                raise timeout_error(describe(tool, name), timeout, in_thread=False) from None
            raise  # the op's own TimeoutError

    async def _in_thread(
        self, method: Callable[..., Any], params: dict[str, Any], tool: Any, name: str
    ) -> Any:
        threads = self._shared.threads
        pool = threads.pool()
        call = functools.partial(_boxed, method, params)
        future = asyncio.get_running_loop().run_in_executor(
            pool, contextvars.copy_context().run, call
        )
        timeout = self.timeout
        if timeout is None:
            result, error = await future
        else:
            try:
                result, error = await asyncio.wait_for(future, timeout)
            except TimeoutError:  # only the wait's: the op's own exceptions come boxed
                threads.retire(pool)
                raise timeout_error(describe(tool, name), timeout, in_thread=True) from None
        if error is not None:
            raise error
        if inspect.isawaitable(result):  # a plain callable that returned an awaitable
            return await result
        return result

    async def _invoke_sync(
        self, method: Callable[..., Any], params: dict[str, Any], what: str
    ) -> Any:
        # Never suspends (see _complete): blocking waits only.
        timeout = self.timeout
        if timeout is None:
            result = method(**params)
        else:
            threads = self._shared.threads
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
            return _await_blocking(result, what)
        return result

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

    # -- cache and observers ------------------------------------------------------------

    def _identity(self, tool: Any) -> str:
        explicit = getattr(tool, "cache_identity", None)
        if isinstance(explicit, str) and explicit:
            return explicit
        identities = self._shared.identities
        try:
            found = identities.get(tool)
        except TypeError:  # not weak-referenceable or unhashable: never cache it
            return ""
        if found is None:
            # A token per live object: two tools never share entries, even if one dies
            # and another gets its id().
            cls: type[Any] = type(tool)  # pyright: ignore[reportUnknownVariableType]
            found = f"{cls.__module__}.{cls.__qualname__}#{next(_serial)}"
            try:
                identities[tool] = found
            except TypeError:
                return ""
        return found

    def _cache_key(self, tool: Any, name: str, params: dict[str, Any]) -> str | None:
        cache = self._cache
        if cache is None:
            return None
        identity = self._identity(tool)
        if not identity:
            return None
        user_id, task_id = current()
        try:
            return cache.generate_cache_key(f"{identity}.{name}", user_id, task_id, (), params)
        except Exception:
            _log.debug("params of %s are not cacheable; running uncached", name, exc_info=True)
            return None

    def _cache_get(self, key: str) -> Any:
        assert self._cache is not None
        try:
            return self._cache.get_from_cache(key)
        except Exception:
            _log.warning("cache read failed; treating it as a miss", exc_info=True)
            return None

    def _cache_put(self, key: str, value: Any) -> None:
        assert self._cache is not None
        try:
            self._cache.add_to_cache(key, value)
        except Exception:
            _log.warning("cache write failed; the result is returned uncached", exc_info=True)

    def _event(
        self, tool: Any, name: object, params: dict[str, Any], *, refused: bool = False
    ) -> ExecutionEvent:
        user_id, task_id = current()
        tool_name = getattr(tool, "name", None)
        if type(tool_name) is not str:
            tool_name = type(tool).__name__
        # A refused call may carry any object as its op name; never run its methods.
        op = name if type(name) is str else f"<{type(name).__name__}>"
        return ExecutionEvent(tool_name, op, params, user_id, task_id, refused=refused)

    def _refused(self, tool: Any, name: object, params: Any, error: ExecutionError) -> None:
        # A call refused before its op ran (bad name, bad params) is still a call that
        # failed: observers count it, so error rates stay honest.
        given: dict[str, Any] = cast("dict[str, Any]", params) if isinstance(params, dict) else {}
        event = self._event(tool, name, given, refused=True)
        notify_start(self._observers, event)
        notify_failure(self._observers, event, 0.0, error)


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


async def _blocking_sleep(seconds: float) -> None:
    time.sleep(seconds)  # the sync pipeline's wait between attempts: never suspends


def _complete(pipeline: Coroutine[Any, Any, Any]) -> Any:
    """Run a pipeline whose steps never suspend to its end, without an event loop."""
    try:
        pipeline.send(None)
    except StopIteration as done:
        return done.value
    pipeline.close()
    raise RuntimeError("the synchronous pipeline suspended; this is a bug in aiecs_runtime")


def _await_blocking(awaitable: Any, what: str) -> Any:
    # A plain def that returned an awaitable: never hand the caller a coroutine.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        if inspect.iscoroutine(awaitable):
            awaitable.close()
        _refuse_inside_loop_what(what)

    async def finish() -> Any:
        return await awaitable

    with map_exceptions(what):
        return asyncio.run(finish())


def _refuse_inside_loop(tool: Any, name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    _refuse_inside_loop_what(describe(tool, name))


def _refuse_inside_loop_what(what: str) -> None:
    raise ExecutionError(
        f"{what} is async and execute() was called inside a running event loop, where it "
        "cannot wait for it; use `await executor.execute_async(...)` instead"
    )
