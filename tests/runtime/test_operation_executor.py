"""OperationExecutor and ToolExecutor: the original flaws are gone; adversarial inputs."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
import tracemalloc
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiecs_contracts import (
    ErrorCode,
    ExecutionError,
    OperationFailedError,
    OperationNotFoundError,
    OperationTimeoutError,
    RetryExhaustedError,
    TaskStepResult,
)
from aiecs_runtime import MemoryCache, OperationExecutor, RetryPolicy, ToolExecutor


def run_async(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test on a fresh event loop (no async pytest plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper


class Search:
    def __init__(self, name: str) -> None:
        self.name = name
        self.secret_calls = 0

    def run(self, **params: Any) -> dict[str, Any]:
        return {"by": self.name, "params": params}

    async def arun(self, **params: Any) -> dict[str, Any]:
        return {"by": self.name, "params": params}

    def boom(self) -> None:
        raise RuntimeError("boom")

    async def hang(self) -> None:
        await asyncio.sleep(60)

    def unpicklable(self) -> Any:
        return threading.Lock()

    def _secret(self) -> str:
        self.secret_calls += 1
        return "leaked"


@run_async
async def test_tools_sharing_an_op_name_are_not_confused_by_the_cache() -> None:
    """Original flaw: the cache key left out the tool, so tool B got tool A's result."""
    executor = ToolExecutor(cache=MemoryCache())
    a, b = Search("a"), Search("b")
    assert (await executor.execute_async(a, "run", q=1))["by"] == "a"
    assert (await executor.execute_async(b, "run", q=1))["by"] == "b"
    assert (await executor.execute_async(a, "run", q=1))["by"] == "a"


@run_async
async def test_callback_receives_the_stopping_step() -> None:
    """Original flaw: with stop_on_failure the failed step was never saved."""
    seen: list[tuple[int, TaskStepResult]] = []

    async def save(user_id: str, task_id: str, index: int, result: TaskStepResult) -> None:
        seen.append((index, result))

    ops = OperationExecutor({"s": Search("s")})
    results = await ops.execute_operations_sequence(
        [{"operation": "s.run"}, {"operation": "s.boom"}, {"operation": "s.run"}],
        "u",
        "t",
        stop_on_failure=True,
        save_callback=save,
    )
    assert [i for i, _ in seen] == [0, 1]
    assert seen[-1][1] is results[-1]
    assert results[-1].error_code == ErrorCode.EXECUTION_ERROR


@pytest.mark.parametrize("name", ["_secret", "__class__", "__init__", "__reduce__", "a.b", ""])
def test_private_names_are_refused_and_nothing_is_called(name: str) -> None:
    """Original flaw: getattr(tool, any_name) reached private and dunder members."""
    tool = Search("s")
    with pytest.raises(OperationNotFoundError):
        ToolExecutor().execute(tool, name)
    assert tool.secret_calls == 0


@pytest.mark.parametrize(
    "text", ["a; DROP TABLE users; --", "SELECT * FROM t WHERE x = 'y'", '"quoted" -- ; \'']
)
@run_async
async def test_text_passes_untouched(text: str) -> None:
    """Original flaw: a "security" regex refused legitimate text."""
    out = await OperationExecutor({"s": Search("s")}).execute_operation("s.run", {"q": text})
    assert out["params"] == {"q": text}


@run_async
async def test_references_to_earlier_results() -> None:
    ops = OperationExecutor({"s": Search("s")})
    results = await ops.execute_operations_sequence(
        [
            {"operation": "s.run", "params": {"items": [10, 20]}},
            {"operation": "s.run", "params": {"x": "$result[0].params.items.1"}},
            {"operation": "s.run", "params": {"x": "$result[9]"}},
            {"operation": "s.run", "params": {"x": "$$result[0]"}},
        ],
        "u",
        "t",
    )
    assert results[1].result["params"] == {"x": 20}
    assert results[2].error_code == ErrorCode.VALIDATION_ERROR
    assert "$result[9]" in (results[2].error_message or "")
    assert results[3].result["params"] == {"x": "$result[0]"}


@run_async
async def test_error_codes_per_failure_kind() -> None:
    tool = Search("s")
    ops = OperationExecutor(
        {"s": tool},
        ToolExecutor(timeout=0.05, retry=RetryPolicy(attempts=2, on=RuntimeError)),
    )
    out = await ops.execute_parallel_operations(
        [{"operation": "s.hang"}, {"operation": "s.boom"}, {"operation": "s.nope"}, {"x": 1}]
    )
    assert [r.error_code for r in out] == [
        ErrorCode.TIMEOUT_ERROR,
        ErrorCode.RETRY_EXHAUSTED,
        ErrorCode.VALIDATION_ERROR,
        ErrorCode.VALIDATION_ERROR,
    ]
    with pytest.raises(RetryExhaustedError) as info:
        await ops.execute_operation("s.boom", {})
    assert isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(OperationTimeoutError):
        await ops.execute_operation("s.hang", {})


@run_async
async def test_cancelling_parallel_cancels_in_flight_ops() -> None:
    ops = OperationExecutor({"s": Search("s")}, concurrency=4)
    task = asyncio.ensure_future(ops.execute_parallel_operations([{"operation": "s.hang"}] * 10))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []


def test_execute_on_async_op_inside_a_loop_is_refused() -> None:
    async def inside() -> None:
        with pytest.raises(ExecutionError, match="execute_async"):
            ToolExecutor().execute(Search("s"), "arun")

    asyncio.run(inside())
    assert ToolExecutor().execute(Search("s"), "arun", q=1)["params"] == {"q": 1}


def test_ten_thousand_parallel_ops_against_a_bare_gather() -> None:
    class Fast:
        async def op(self, i: int) -> int:
            return i

    tool = Fast()
    n = 10_000
    ops = OperationExecutor({"f": tool})
    batch = [{"operation": "f.op", "params": {"i": i}} for i in range(n)]

    async def bare() -> list[int]:
        return list(await asyncio.gather(*(tool.op(i=i) for i in range(n))))

    def measure(make: Any) -> tuple[float, int]:
        tracemalloc.start()
        start = time.perf_counter()
        out = asyncio.run(make())
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert len(out) == n
        return elapsed, peak

    times, peaks = [], []
    for _ in range(3):
        t_bare, m_bare = measure(bare)
        t_ours, m_ours = measure(lambda: ops.execute_parallel_operations(batch))
        times.append(t_ours / t_bare)
        peaks.append(m_ours / m_bare)
    print(f"parallel.10k time ratio {sorted(times)[1]:.2f}, memory ratio {sorted(peaks)[1]:.2f}")
    results = asyncio.run(ops.execute_parallel_operations(batch))
    assert [r.result for r in results] == list(range(n))


param_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=10,
)
specs = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["s.run", "s.arun", "s.boom", "s.hang", "s.unpicklable", "s._secret"]),
    st.integers(),
    st.none(),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"operation": specs, "params": st.dictionaries(st.text(max_size=8), param_values)}
            ),
            param_values,
        ),
        max_size=6,
    ),
    big=st.integers(min_value=0, max_value=200_000),
)
def test_adversarial_inputs_never_crash_or_leak(items: list[Any], big: int) -> None:
    tool = Search("s")
    ops = OperationExecutor({"s": tool}, ToolExecutor(timeout=0.05, cache=MemoryCache()))
    items = [*items, {"operation": "s.run", "params": {"huge": "x" * big}}]

    async def run() -> None:
        for out in (
            await ops.execute_parallel_operations(items),
            await ops.execute_operations_sequence(items, "u", "t"),
        ):
            assert len(out) == len(items)
            for result in out:
                TaskStepResult.model_validate(result.model_dump())
        for slot in await ops.batch_execute_operations(items):
            if isinstance(slot, BaseException):
                assert isinstance(slot, ExecutionError)
        for item in items:
            # AttributeError: `item` itself is not a dict (the test's own .get).
            with contextlib.suppress(ExecutionError, AttributeError):
                await ops.execute_operation(item.get("operation"), item.get("params"))
        assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []

    asyncio.run(run())
    assert tool.secret_calls == 0


def test_sync_op_raising_is_wrapped_with_cause() -> None:
    with pytest.raises(OperationFailedError) as info:
        ToolExecutor().execute(Search("s"), "boom")
    assert isinstance(info.value.__cause__, RuntimeError)


class Waiter:
    """Async ops that record whether they were started and then cancelled."""

    def __init__(self) -> None:
        self.started = 0
        self.cancelled = 0

    async def wait(self) -> None:
        self.started += 1
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise

    async def quick(self) -> str:
        return "done"


@pytest.mark.parametrize("method", ["batch", "sequence", "parallel", "single"])
@run_async
async def test_cancelling_any_call_cancels_its_in_flight_ops(method: str) -> None:
    tool = Waiter()
    ops = OperationExecutor({"w": tool}, concurrency=3)
    batch = [{"operation": "w.quick"}] + [{"operation": "w.wait"}] * 5
    calls = {
        "batch": lambda: ops.batch_execute_operations(batch),
        "sequence": lambda: ops.execute_operations_sequence(batch, "u", "t"),
        "parallel": lambda: ops.execute_parallel_operations(batch),
        "single": lambda: ops.execute_operation("w.wait", {}),
    }
    task = asyncio.ensure_future(calls[method]())
    await asyncio.sleep(0.05)
    assert tool.started >= 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert tool.cancelled == tool.started  # every op that started was cancelled, none left
    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []


@pytest.mark.parametrize(("concurrency", "count", "expected"), [(3, 12, 3), (None, 100, 64)])
@run_async
async def test_parallel_runs_honour_the_concurrency_limit(
    concurrency: int | None, count: int, expected: int
) -> None:
    in_flight = peak = 0

    class Gauge:
        async def op(self, i: int) -> int:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01 * (i % 3))  # completion order differs from input order
            in_flight -= 1
            return i

    tools = {"g": Gauge()}
    ops = (
        OperationExecutor(tools)
        if concurrency is None
        else OperationExecutor(tools, concurrency=concurrency)
    )
    out = await ops.execute_parallel_operations(
        [{"operation": "g.op", "params": {"i": i}} for i in range(count)]
    )
    assert [s.result for s in out] == list(range(count))
    assert peak == expected
