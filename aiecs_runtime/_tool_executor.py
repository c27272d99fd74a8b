"""`ToolExecutor`: runs one operation of a tool, safely, fast on the success path.

What the success path does, and no more: a name check (memoised per op name), one
``getattr``, a dict lookup of what was learnt about that function the first time (sync or
async, its param validator), the validator when the op annotates something, then the
call. Retries, timeouts, caching and observers cost nothing unless configured: the retry
loop (tenacity) is entered only after a first failure that the policy calls transient,
``asyncio.timeout`` only when a timeout is set.

Errors are translated at one boundary, `_translate`: an op's own exception becomes
`OperationFailedError` with ``__cause__`` set; our own `ExecutionError`s pass unchanged.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import itertools
import logging
import threading
import time
import weakref
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, cast

from aiecs_contracts import (
    ExecutionError,
    ICacheProvider,
    OperationFailedError,
    OperationNotFoundError,
    OperationTimeoutError,
)

from ._monitoring import (
    ExecutionEvent,
    ExecutionObserver,
    notify_failure,
    notify_start,
    notify_success,
)
from ._params import ParamValidator, build_validator
from ._retry import RetryPolicy

__all__ = ["ToolExecutor", "call_scope", "current_scope"]

_log = logging.getLogger("aiecs_runtime.executor")

_serial = itertools.count(1)

_scope: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "aiecs_call_scope", default=("", "")
)


def current_scope() -> tuple[str, str]:
    """Return the ``(user_id, task_id)`` the current calls run for (``("", "")`` if none)."""
    return _scope.get()


@contextmanager
def call_scope(user_id: str, task_id: str) -> Generator[None]:
    """Run the calls inside the block for ``user_id``/``task_id`` (part of every cache key)."""
    token = _scope.set((user_id, task_id))
    try:
        yield
    finally:
        _scope.reset(token)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True, slots=True)
class _Op:
    """What was learnt about one operation function, once."""

    is_async: bool
    validator: ParamValidator | None


def _check_name(tool: Any, name: object) -> None:
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        why = (
            "names starting with '_' are private and never callable"
            if isinstance(name, str) and name.startswith("_")
            else "an operation name must be a public Python identifier"
        )
        raise OperationNotFoundError(
            f"{name!r} ({why})", tool=type(tool).__name__, available=_public_ops(tool)
        )


def _public_ops(tool: Any) -> list[str]:
    names: list[str] = []
    for name in dir(tool):
        if name.startswith("_"):
            continue
        try:
            if callable(getattr(tool, name)):
                names.append(name)
        except Exception:
            continue
    return names


def _translate(error: Exception, what: str) -> ExecutionError:
    """The one place an op's exception becomes ours."""
    if isinstance(error, ExecutionError):
        return error
    wrapped = OperationFailedError(f"{what} raised {type(error).__name__}: {error}")
    wrapped.__cause__ = error
    return wrapped


class ToolExecutor:
    """Executes tool operations: validation, sync ops off the loop, retry, timeout, cache.

    All options are keyword-only and fixed at construction; derive a differently configured
    executor (sharing the learnt operations and the thread pool) with `with_options`.
    """

    __slots__ = (
        "__weakref__",
        "_cache",
        "_identities",
        "_names",
        "_observers",
        "_ops",
        "_plain",
        "_pool",
        "_pool_lock",
        "_shared",
        "max_workers",
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
        if timeout is not None and not timeout > 0:
            raise ValueError(f"ToolExecutor(timeout={timeout!r}): expected seconds > 0 or None")
        self.retry = retry
        self.timeout = timeout
        self._cache = cache
        self.validate = validate
        self.max_workers = max_workers
        self._observers = tuple(observers)
        self._ops: dict[Any, _Op] = {}
        self._names: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._identities: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._shared: ToolExecutor = self
        self._plain = cache is None and not observers and timeout is None

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

    def with_options(
        self,
        *,
        retry: RetryPolicy | _Unset | None = UNSET,
        timeout: float | _Unset | None = UNSET,
        cache: ICacheProvider | _Unset | None = UNSET,
        validate: bool | _Unset = UNSET,
        observers: tuple[ExecutionObserver, ...] | _Unset = UNSET,
    ) -> ToolExecutor:
        """Return an executor with some options changed, sharing pools and learnt ops."""
        other = ToolExecutor(
            retry=self.retry if isinstance(retry, _Unset) else retry,
            timeout=self.timeout if isinstance(timeout, _Unset) else timeout,
            cache=self._cache if isinstance(cache, _Unset) else cache,
            validate=self.validate if isinstance(validate, _Unset) else validate,
            max_workers=self.max_workers,
            observers=self._observers if isinstance(observers, _Unset) else observers,
        )
        other._ops = self._ops
        other._names = self._names
        other._identities = self._identities
        other._shared = self._shared
        return other

    # -- resolution ---------------------------------------------------------------------

    def _resolve(self, tool: Any, name: str) -> tuple[Callable[..., Any], _Op]:
        if name not in self._names:
            _check_name(tool, name)
            if len(self._names) < 65536:
                self._names.add(name)
        try:
            method = getattr(tool, name)
        except AttributeError:
            raise OperationNotFoundError(
                name, tool=type(tool).__name__, available=_public_ops(tool)
            ) from None
        except Exception as error:  # a property that raises: the tool failed, say so
            raise _translate(error, _what(tool, name)) from error
        key = getattr(method, "__func__", method)
        try:
            op = self._ops.get(key)
        except TypeError:  # an unhashable callable: learn it every time
            return method, self._learn(tool, name, method)
        if op is None:
            op = self._learn(tool, name, method)
            if len(self._ops) >= 65536:
                self._ops.clear()
            self._ops[key] = op
        return method, op

    def _learn(self, tool: Any, name: str, method: Any) -> _Op:
        if not callable(method):
            raise OperationNotFoundError(
                f"{name!r} (it is a {type(method).__name__}, not a callable)",
                tool=type(tool).__name__,
                available=_public_ops(tool),
            )
        is_async = inspect.iscoroutinefunction(method) or inspect.iscoroutinefunction(
            getattr(method, "__call__", None)  # noqa: B004 - async __call__ objects
        )
        validator = build_validator(method, f"{type(tool).__name__}.{name}")
        if (
            validator is not None
            and validator.var_keyword
            and not validator.adapters
            and not validator.required
        ):
            validator = None  # accepts anything: nothing to check
        return _Op(is_async=is_async, validator=validator)

    def _prepare(
        self, tool: Any, name: str, params: dict[str, Any]
    ) -> tuple[Callable[..., Any], _Op, dict[str, Any]]:
        method, op = self._resolve(tool, name)
        if op.validator is not None and self.validate:
            params = op.validator(params)
        return method, op, params

    # -- sync ---------------------------------------------------------------------------

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run ``tool.operation_name(**params)`` and return its result (blocking)."""
        return self.run_sync(tool, operation_name, params)

    def run_sync(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute`, with params as a dict (no clash with the names ``tool`` etc.)."""
        try:
            method, op, params = self._prepare(tool, operation_name, params)
        except ExecutionError as error:
            if self._observers:
                self._refused(tool, operation_name, params, error)
            raise
        if op.is_async:
            _refuse_inside_loop(tool, operation_name)
            return asyncio.run(self._run_prepared(tool, operation_name, method, op, params))
        # the None test inline, as in _run_prepared: no call at all when nothing is cached
        key = None if self._cache is None else self._cache_key(tool, operation_name, params)
        if key is not None:
            hit = self._cache_get(key)
            if hit is not None:
                return hit
        observers = self._observers
        if observers:
            event = self._event(tool, operation_name, params)
            notify_start(observers, event)
            start = time.perf_counter()
            try:
                result = self._sync_with_retry(tool, operation_name, method, params)
            except BaseException as error:  # cancelled calls end too (E004)
                notify_failure(observers, event, time.perf_counter() - start, error)
                raise
            notify_success(observers, event, time.perf_counter() - start, result)
        else:
            result = self._sync_with_retry(tool, operation_name, method, params)
        if key is not None:
            self._cache_put(key, result)
        return result

    def _sync_with_retry(
        self, tool: Any, name: str, method: Callable[..., Any], params: dict[str, Any]
    ) -> Any:
        try:
            return self._sync_once(tool, name, method, params)
        except ExecutionError as error:
            retry = self.retry
            if retry is None or not retry.should_retry(error):
                raise
            return retry.retry_after_sync(
                error,
                functools.partial(self._sync_once, tool, name, method, params),
                _what(tool, name),
            )

    def _sync_once(
        self, tool: Any, name: str, method: Callable[..., Any], params: dict[str, Any]
    ) -> Any:
        timeout = self.timeout
        try:
            if timeout is None:
                result = method(**params)
            else:
                future = self._thread_pool().submit(
                    contextvars.copy_context().run, functools.partial(method, **params)
                )
                try:
                    result = future.result(timeout)
                except FutureTimeoutError:
                    future.cancel()
                    raise OperationTimeoutError(
                        f"{_what(tool, name)} did not finish within {timeout}s", timeout=timeout
                    ) from None
        except Exception as error:
            raise _translate(error, _what(tool, name))  # noqa: B904 - __cause__ set inside
        if inspect.isawaitable(result):
            # A plain def that returned a coroutine: never hand the caller a coroutine.
            return self._finish_awaitable_sync(tool, name, result)
        return result

    def _finish_awaitable_sync(self, tool: Any, name: str, awaitable: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            _refuse_inside_loop(tool, name)

        async def finish() -> Any:
            return await awaitable

        try:
            return asyncio.run(finish())
        except Exception as error:
            raise _translate(error, _what(tool, name))  # noqa: B904 - __cause__ set inside

    # -- async --------------------------------------------------------------------------

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op and return its result: ``async def`` ops awaited, others in a thread."""
        return await self.run(tool, operation_name, params)

    async def run(self, tool: Any, operation_name: str, params: dict[str, Any]) -> Any:
        """Like `execute_async`, with params as a dict (no clash with ``tool`` etc.)."""
        try:
            method, op = self._resolve(tool, operation_name)
            validator = op.validator
            if validator is not None and self.validate and not validator.passes(params):
                params = validator(params)
        except ExecutionError as error:
            if self._observers:
                self._refused(tool, operation_name, params, error)
            raise
        if self._plain and op.is_async:
            # The common case, kept to one await: no cache, no observers, no timeout.
            try:
                return await method(**params)
            except Exception as error:
                translated = _translate(error, _what(tool, operation_name))
                retry = self.retry
                if retry is None or not retry.should_retry(translated):
                    raise translated  # noqa: B904 - __cause__ set by _translate
                return await retry.retry_after(
                    translated,
                    functools.partial(self._async_once, tool, operation_name, method, op, params),
                    _what(tool, operation_name),
                )
        return await self._run_prepared(tool, operation_name, method, op, params)

    async def execute_with_retry(
        self, tool: Any, operation_name: str, *, retry_policy: RetryPolicy, **params: Any
    ) -> Any:
        """Run the op under ``retry_policy`` instead of this executor's own policy."""
        return await self.with_options(retry=retry_policy).run(tool, operation_name, params)

    async def execute_with_metrics(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Run the op; return ``{"result": ..., "duration": seconds}``."""
        start = time.perf_counter()
        result = await self.run(tool, operation_name, params)
        return {"result": result, "duration": time.perf_counter() - start}

    async def _run_prepared(
        self,
        tool: Any,
        name: str,
        method: Callable[..., Any],
        op: _Op,
        params: dict[str, Any],
    ) -> Any:
        key = None if self._cache is None else self._cache_key(tool, name, params)
        if key is not None:
            hit = self._cache_get(key)
            if hit is not None:
                return hit
        observers = self._observers
        if observers:
            event = self._event(tool, name, params)
            notify_start(observers, event)
            start = time.perf_counter()
            try:
                result = await self._async_with_retry(tool, name, method, op, params)
            except BaseException as error:  # cancelled calls end too (E004)
                notify_failure(observers, event, time.perf_counter() - start, error)
                raise
            notify_success(observers, event, time.perf_counter() - start, result)
        else:
            result = await self._async_with_retry(tool, name, method, op, params)
        if key is not None:
            self._cache_put(key, result)
        return result

    async def _async_with_retry(
        self,
        tool: Any,
        name: str,
        method: Callable[..., Any],
        op: _Op,
        params: dict[str, Any],
    ) -> Any:
        try:
            return await self._async_once(tool, name, method, op, params)
        except ExecutionError as error:
            retry = self.retry
            if retry is None or not retry.should_retry(error):
                raise
            return await retry.retry_after(
                error,
                functools.partial(self._async_once, tool, name, method, op, params),
                _what(tool, name),
            )

    async def _async_once(
        self,
        tool: Any,
        name: str,
        method: Callable[..., Any],
        op: _Op,
        params: dict[str, Any],
    ) -> Any:
        timeout = self.timeout
        try:
            if op.is_async:
                if timeout is None:
                    return await method(**params)
                deadline = asyncio.timeout(timeout)
                try:
                    async with deadline:
                        return await method(**params)
                except TimeoutError:
                    if deadline.expired():
                        raise OperationTimeoutError(
                            f"{_what(tool, name)} did not finish within {timeout}s",
                            timeout=timeout,
                        ) from None
                    raise
            loop = asyncio.get_running_loop()
            call = functools.partial(method, **params)
            future = loop.run_in_executor(self._thread_pool(), contextvars.copy_context().run, call)
            if timeout is None:
                result = await future
            else:
                try:
                    result = await asyncio.wait_for(future, timeout)
                except TimeoutError:
                    raise OperationTimeoutError(
                        f"{_what(tool, name)} did not finish within {timeout}s "
                        "(its thread runs on until the op returns)",
                        timeout=timeout,
                    ) from None
            if inspect.isawaitable(result):
                return await result
            return result
        except Exception as error:
            raise _translate(error, _what(tool, name))  # noqa: B904 - __cause__ set inside

    # -- thread pool --------------------------------------------------------------------

    def _thread_pool(self) -> ThreadPoolExecutor:
        shared = self._shared
        pool = shared._pool
        if pool is None:
            with shared._pool_lock:
                pool = shared._pool
                if pool is None:
                    pool = ThreadPoolExecutor(
                        max_workers=shared.max_workers, thread_name_prefix="aiecs-tool"
                    )
                    shared._pool = pool
        return pool

    def close(self) -> None:
        """Shut the thread pool down (waiting for running sync ops); safe to call twice."""
        shared = self._shared
        with shared._pool_lock:
            pool, shared._pool = shared._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

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
        try:
            found = self._identities.get(tool)
        except TypeError:  # not weak-referenceable or unhashable: never cache it
            return ""
        if found is None:
            # A token per live object: two tools never share entries, even if one dies
            # and another gets its id().
            cls: type[Any] = type(tool)  # pyright: ignore[reportUnknownVariableType]
            found = f"{cls.__module__}.{cls.__qualname__}#{next(_serial)}"
            try:
                self._identities[tool] = found
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
        user_id, task_id = _scope.get()
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
        user_id, task_id = _scope.get()
        tool_name = getattr(tool, "name", None)
        if not isinstance(tool_name, str):
            tool_name = type(tool).__name__
        # A refused call may carry any object as its op name.
        op = name if isinstance(name, str) else repr(name)
        return ExecutionEvent(tool_name, op, params, user_id, task_id, refused=refused)

    def _refused(self, tool: Any, name: str, params: Any, error: ExecutionError) -> None:
        # A call refused before its op ran (bad name, bad params) is still a call that
        # failed: observers count it, so error rates stay honest.
        given: dict[str, Any] = cast("dict[str, Any]", params) if isinstance(params, dict) else {}
        event = self._event(tool, name, given, refused=True)
        notify_start(self._observers, event)
        notify_failure(self._observers, event, 0.0, error)


def _what(tool: Any, name: str) -> str:
    return f"operation {type(tool).__name__}.{name}"


def _refuse_inside_loop(tool: Any, name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise ExecutionError(
        f"{_what(tool, name)} is async and execute() was called inside a running event "
        "loop, where it cannot wait for it; use `await executor.execute_async(...)` instead"
    )
