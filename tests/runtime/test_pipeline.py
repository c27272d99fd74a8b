"""The ToolExecutor pipeline against this round's kit rows, and its fast path's twin.

Rows: executor.op_shapes, executor.sync/async.result (identity, falsy values, exceptions
returned as values), executor.errors.propagate, executor.cancel, executor.contextvars,
retry.*, metrics.*; operations.results.*, operations.sequence.continue; engine.task.result.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any

import pytest

from aiecs_contracts import (
    ExecutionError,
    OperationFailedError,
    OperationNotFoundError,
    RetryExhaustedError,
)
from aiecs_runtime import ExecutionEngine, OperationExecutor, RetryPolicy, ToolExecutor

from ._support import run_async

# -- executor.op_shapes -------------------------------------------------------------------


def _plain_decorator(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


class _Ready:
    """An awaitable that is not a coroutine."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        yield from asyncio.sleep(0).__await__()
        return self.value


class Mixin:
    def inherited(self, x: int) -> int:
        return x + 1


class Other:
    def bound(self, x: int) -> int:
        return x + 2

    async def abound(self, x: int) -> int:
        return x + 3


class CallSync:
    def __call__(self, x: int) -> int:
        return x + 4


class CallAsync:
    async def __call__(self, x: int) -> int:
        return x + 5


async def _add6(x: int, y: int) -> int:
    return x + y


class Shapes(Mixin):
    def __init__(self) -> None:
        self.attr_func = lambda x: x + 7
        self.attr_async = _add6
        self.bound_other = Other().bound
        self.abound_other = Other().abound
        self.partial_sync = functools.partial(lambda x, y: x + y, y=8)
        self.partial_async = functools.partial(_add6, y=9)
        self.callable_sync = CallSync()
        self.callable_async = CallAsync()
        self.returns_awaitable = lambda x: _Ready(x + 10)

    @staticmethod
    def static(x: int) -> int:
        return x + 11

    @classmethod
    def klass(cls, x: int) -> int:
        return x + 12

    @_plain_decorator
    async def wrapped_async(self, x: int) -> int:
        return x + 13


SHAPES = {
    "inherited": 1,
    "attr_func": 7,
    "attr_async": None,  # takes y: passed below
    "bound_other": 2,
    "abound_other": 3,
    "partial_sync": 8,
    "partial_async": 9,
    "callable_sync": 4,
    "callable_async": 5,
    "returns_awaitable": 10,
    "static": 11,
    "klass": 12,
    "wrapped_async": 13,
}


def _params(name: str) -> dict[str, Any]:
    return {"x": 1, "y": 6} if name == "attr_async" else {"x": 1}


def _expected(name: str) -> int:
    return 1 + (SHAPES[name] or 6)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_op_shape_runs_through_both_methods(name: str) -> None:
    executor = ToolExecutor()
    tool = Shapes()
    assert executor.execute(tool, name, **_params(name)) == _expected(name)
    assert asyncio.run(executor.execute_async(tool, name, **_params(name))) == _expected(name)


@pytest.mark.parametrize("name", ["wrapped_async", "returns_awaitable", "attr_async"])
@run_async
async def test_awaitables_are_refused_by_execute_inside_a_loop(name: str) -> None:
    with pytest.raises(ExecutionError, match="execute_async"):
        ToolExecutor().execute(Shapes(), name, **_params(name))


# -- results are the op's own objects ------------------------------------------------------

RETURNED: list[Any] = [None, 0, "", False, [], {}, ValueError("returned, not raised"), KeyError()]


class Returns:
    def __init__(self, value: Any) -> None:
        self.value = value

    def sync(self) -> Any:
        return self.value

    async def coro(self) -> Any:
        return self.value


@pytest.mark.parametrize("value", RETURNED, ids=repr)
@pytest.mark.parametrize("timeout", [None, 5.0])
def test_results_are_the_same_object(value: Any, timeout: float | None) -> None:
    executor = ToolExecutor(timeout=timeout)
    tool = Returns(value)
    assert executor.execute(tool, "sync") is value
    assert executor.execute(tool, "coro") is value
    assert asyncio.run(executor.execute_async(tool, "sync")) is value
    assert asyncio.run(executor.execute_async(tool, "coro")) is value


# -- executor.errors.propagate ---------------------------------------------------------


class UserError(Exception):
    pass


FAILURES: list[BaseException] = [
    TimeoutError(),
    KeyError(),
    ValueError("with a message"),
    UserError(),
    UserError("custom"),
    RuntimeError(""),
    ConnectionError(),
]


class Raises:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def sync(self) -> None:
        raise self.error

    async def coro(self) -> None:
        raise self.error


@pytest.mark.parametrize("error", FAILURES, ids=repr)
@pytest.mark.parametrize("op", ["sync", "coro"])
@pytest.mark.parametrize("options", [{}, {"timeout": 5.0}, {"retry": "once"}])
def test_every_exception_propagates_as_the_cause(
    error: BaseException, op: str, options: dict[str, Any]
) -> None:
    if options.get("retry"):
        options = {"retry": RetryPolicy(attempts=2, on=OSError, initial=0.0, jitter=0.0)}
    executor = ToolExecutor(**options)
    for run in (
        lambda: executor.execute(Raises(error), op),
        lambda: asyncio.run(executor.execute_async(Raises(error), op)),
    ):
        with pytest.raises(OperationFailedError) as info:
            run()
        cause = info.value.__cause__
        if isinstance(info.value, RetryExhaustedError):  # ConnectionError is an OSError
            assert type(cause) is type(error)
        else:
            assert cause is error
        assert type(error).__name__ in str(info.value)


# -- executor.cancel and executor.contextvars ----------------------------------------------


@pytest.mark.parametrize("options", [{}, {"timeout": 5.0}, {"observers": ("o",)}])
@run_async
async def test_cancelling_execute_async_cancels_the_ops_coroutine(options: dict[str, Any]) -> None:
    if options.get("observers"):
        from aiecs_runtime import MetricsObserver

        options = {"observers": (MetricsObserver(),)}
    finished: list[str] = []
    started = asyncio.Event()

    class Slow:
        async def wait(self) -> None:
            started.set()
            try:
                await asyncio.sleep(10)
            finally:
                finished.append("finally")

    task = asyncio.ensure_future(ToolExecutor(**options).execute_async(Slow(), "wait"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished == ["finally"]


VAR: contextvars.ContextVar[str] = contextvars.ContextVar("VAR", default="unset")


class Reads:
    def sync(self) -> str:
        return VAR.get()

    async def coro(self) -> str:
        return VAR.get()


@pytest.mark.parametrize("timeout", [None, 5.0])
@run_async
async def test_the_callers_context_reaches_every_op(timeout: float | None) -> None:
    executor = ToolExecutor(timeout=timeout)
    VAR.set("caller")
    assert await executor.execute_async(Reads(), "sync") == "caller"
    assert await executor.execute_async(Reads(), "coro") == "caller"
    assert executor.execute(Reads(), "sync") == "caller"


# -- retry.* ---------------------------------------------------------------------------


class Counts:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[float] = []
        self.seen: list[dict[str, Any]] = []

    async def op(self, **params: Any) -> str:
        self.calls.append(time.perf_counter())
        self.seen.append(params)
        if len(self.calls) <= self.failures:
            raise UserError(f"failure {len(self.calls)}")
        return "done"


@pytest.mark.parametrize("max_retries", [1, 2, 3, 4])
@run_async
async def test_execute_with_retry_calls_exactly_max_retries_times(max_retries: int) -> None:
    tool = Counts(failures=99)
    with pytest.raises(OperationFailedError) as info:
        await ToolExecutor().execute_with_retry(tool, "op", max_retries=max_retries, a=[1])
    assert len(tool.calls) == max_retries
    cause = info.value.__cause__
    assert isinstance(cause, UserError) and str(cause) == f"failure {max_retries}"
    assert tool.seen == [{"a": [1]}] * max_retries  # max_retries is not passed on
    gaps = [b - a for a, b in zip(tool.calls, tool.calls[1:], strict=False)]
    assert all(gap >= 0.001 for gap in gaps), gaps
    succeeded = Counts(failures=max_retries - 1)
    assert await ToolExecutor().execute_with_retry(succeeded, "op", max_retries=max_retries) == (
        "done"
    )
    assert len(succeeded.calls) == max_retries


@pytest.mark.parametrize("name", ["_secret", "__class__", "a.b", "missing"])
@run_async
async def test_execute_with_retry_never_retries_a_refusal(name: str) -> None:
    tool = Counts(failures=0)
    with pytest.raises(OperationNotFoundError):
        await ToolExecutor().execute_with_retry(tool, name, max_retries=4)
    assert tool.calls == []


def test_the_style_guides_example_retries() -> None:
    tool = Counts(failures=2)
    policy = RetryPolicy(attempts=3, on=UserError, initial=0.0, jitter=0.0)
    assert ToolExecutor(retry=policy, timeout=5.0).execute(tool, "op") == "done"
    assert len(tool.calls) == 3


# -- metrics.* -------------------------------------------------------------------------


class Timed:
    async def ok(self, seconds: float = 0.0) -> float:
        await asyncio.sleep(seconds)
        return seconds

    def fails(self) -> None:
        raise UserError


def test_metrics_counts_are_exact_under_threads_and_coroutines() -> None:
    executor = ToolExecutor()
    tool = Timed()

    async def calls(n: int) -> None:
        async def one(i: int) -> None:
            if i % 3:
                await executor.execute_with_metrics(tool, "ok")
            else:
                with pytest.raises(OperationFailedError):
                    await executor.execute_with_metrics(tool, "fails")

        await asyncio.gather(*(one(i) for i in range(n)))

    threads = [threading.Thread(target=asyncio.run, args=(calls(50),)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = executor.get_performance_metrics()
    fails = sum(1 for i in range(50) if i % 3 == 0) * 8
    assert report["ok"]["count"] == 400 - fails
    assert report["fails_error"]["count"] == fails
    assert set(report) == {"ok", "fails_error"}


@run_async
async def test_metrics_times_are_seconds() -> None:
    executor = ToolExecutor()
    for seconds in (0.05, 0.01, 0.03):
        assert await executor.execute_with_metrics(Timed(), "ok", seconds=seconds) == seconds
    row = executor.get_performance_metrics()["ok"]
    assert 0.05 <= row["max_time"] < 5
    assert 0 <= row["min_time"] <= row["avg_time"] <= row["max_time"]
    assert abs(row["avg_time"] - 0.03) < 0.03 * 0.5  # loaded machines oversleep
    with pytest.raises(OperationNotFoundError):
        await executor.execute_with_metrics(Timed(), "_secret")
    assert "_secret" not in executor.get_performance_metrics()


# -- operations.results.*, operations.sequence.continue, engine.task.result ------------------


@run_async
async def test_any_returned_value_is_a_completed_step_named_by_its_operation() -> None:
    tools = {f"t{i}": Returns(value) for i, value in enumerate(RETURNED)}
    ops = OperationExecutor(tools)
    items = [{"operation": f"t{i}.sync", "params": {}} for i in range(len(RETURNED))]
    for results in (
        await ops.execute_operations_sequence(items, "u", "t"),
        await ops.execute_parallel_operations(items),
    ):
        assert [r.completed for r in results] == [True] * len(RETURNED)
        assert [r.result for r in results] == RETURNED
        assert [r.step for r in results] == [item["operation"] for item in items]
    batch = await ops.batch_execute_operations(items)
    assert all(got is value for got, value in zip(batch, RETURNED, strict=True))


@run_async
async def test_a_messageless_failure_names_its_type() -> None:
    ops = OperationExecutor({"t": Raises(UserError())})
    results = await ops.execute_operations_sequence(
        [{"operation": "t.sync", "params": {}}], "u", "t", stop_on_failure=False
    )
    assert results[0].error_code is not None and "UserError" in (results[0].error_message or "")


@run_async
async def test_tasks_are_called_positionally() -> None:
    seen: list[Any] = []

    def odd_names(payload: Any, ctx: Any) -> str:
        seen.append((payload, ctx))
        return "sync"

    async def also_odd(a: Any, b: Any, /) -> str:
        seen.append((a, b))
        return "async"

    engine = ExecutionEngine({}, {"s": odd_names, "a": also_odd})
    assert await engine.execute_task("s", {"i": 1}, {"c": 2}) == "sync"
    assert await engine.execute_task("a", {"i": 3}, {"c": 4}) == "async"
    assert seen == [({"i": 1}, {"c": 2}), ({"i": 3}, {"c": 4})]


# -- the fast path's differential test -----------------------------------------------------


class Mixed:
    def __init__(self) -> None:
        self.calls = 0

    async def value(self, x: Any = None) -> Any:
        self.calls += 1
        return x

    async def flaky(self) -> str:
        self.calls += 1
        if self.calls < 3:
            raise ConnectionError(f"try {self.calls}")
        return "third time"

    async def always(self) -> None:
        self.calls += 1
        raise ConnectionError("always")

    async def other(self) -> None:
        self.calls += 1
        raise UserError()

    async def exits(self) -> None:
        self.calls += 1
        raise SystemExit(2)

    async def typed(self, n: int) -> int:
        self.calls += 1
        return n


def _outcome(run: Callable[[], Awaitable[Any]]) -> tuple[Any, ...]:
    try:
        value = asyncio.run(run())  # type: ignore[arg-type]
    except BaseException as error:
        cause = error.__cause__
        return ("raised", type(error), str(error), type(cause), str(cause))
    return ("returned", type(value), value)


CASES: list[tuple[str, dict[str, Any]]] = [
    ("value", {"x": [1, {"a": 2}]}),
    ("value", {}),
    ("flaky", {}),
    ("always", {}),
    ("other", {}),
    ("exits", {}),
    ("typed", {"n": "3"}),  # coerced by validation
    ("typed", {"n": "x"}),  # refused by validation
    ("typed", {}),
    ("missing", {}),
    ("_secret", {}),
]


@pytest.mark.parametrize(("op", "params"), CASES)
def test_the_fast_path_and_the_pipeline_agree(op: str, params: dict[str, Any]) -> None:
    policy = RetryPolicy(attempts=3, on=ConnectionError, initial=0.0, jitter=0.0)
    fast = ToolExecutor(retry=policy)
    slow = ToolExecutor(retry=policy)
    slow.awaits_directly = False  # the same options through the general pipeline
    outcomes, calls = [], []
    for executor in (fast, slow):
        tool = Mixed()
        outcomes.append(_outcome(functools.partial(executor.execute_async, tool, op, **params)))
        calls.append(tool.calls)
    assert outcomes[0] == outcomes[1]
    assert calls[0] == calls[1]
