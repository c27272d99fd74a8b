"""`ToolExecutor`: cache failures degrade to misses, timeouts, sync ops off the loop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

import pytest

from aiecs_contracts import (
    ExecutionError,
    OperationFailedError,
    OperationNotFoundError,
    OperationTimeoutError,
)
from aiecs_runtime import MemoryCache, ToolExecutor, call_scope

from ._support import run_async


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def get(self, key: str) -> str:
        self.calls += 1
        return f"{key}#{self.calls}"

    async def aget(self, key: str) -> str:
        return self.get(key)

    def slow(self, seconds: float) -> float:
        time.sleep(seconds)
        return seconds

    async def aslow(self, seconds: float) -> float:
        await asyncio.sleep(seconds)
        return seconds

    @property
    def broken(self) -> Any:
        raise RuntimeError("property exploded")

    limit = 3  # a public non-callable attribute


class FailingCache(MemoryCache):
    """A real cache whose back end is down: every read and write raises."""

    def get_from_cache(self, cache_key: str) -> Any:
        raise ConnectionError("cache down (read)")

    def add_to_cache(self, cache_key: str, value: Any) -> None:
        raise ConnectionError("cache down (write)")


@pytest.mark.parametrize("op", ["get", "aget"])
def test_a_cache_failure_degrades_to_a_miss_and_is_logged(
    op: str, caplog: pytest.LogCaptureFixture
) -> None:
    tool = Counter()
    executor = ToolExecutor(cache=FailingCache())
    with caplog.at_level(logging.WARNING, logger="aiecs_runtime.executor"):
        assert executor.execute(tool, op, key="k") == "k#1"
        assert executor.execute(tool, op, key="k") == "k#2"  # nothing cached, op ran again
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("cache read failed; treating it as a miss") == 2
    assert messages.count("cache write failed; the result is returned uncached") == 2
    assert all(isinstance(r.exc_info and r.exc_info[1], ConnectionError) for r in caplog.records)


def test_a_working_cache_serves_hits_per_user() -> None:
    tool = Counter()
    executor = ToolExecutor(cache=MemoryCache())
    with call_scope("ann", "t"):
        assert executor.execute(tool, "get", key="k") == "k#1"
        assert executor.execute(tool, "get", key="k") == "k#1"
    with call_scope("bob", "t"):
        assert executor.execute(tool, "get", key="k") == "k#2"


def test_a_property_that_raises_is_an_operation_failure() -> None:
    with pytest.raises(OperationFailedError, match="property exploded") as info:
        ToolExecutor().execute(Counter(), "broken")
    assert isinstance(info.value.__cause__, RuntimeError)


def test_a_non_callable_attribute_is_not_an_operation() -> None:
    with pytest.raises(OperationNotFoundError, match="not a callable") as info:
        ToolExecutor().execute(Counter(), "limit")
    assert "get" in info.value.available


@pytest.mark.parametrize("op", ["slow", "aslow"])
def test_timeouts_per_executor_and_per_call(op: str) -> None:
    executor = ToolExecutor(timeout=0.05)
    with pytest.raises(OperationTimeoutError, match=r"did not finish within 0\.05s") as info:
        executor.execute(Counter(), op, seconds=1.0)
    assert info.value.timeout == 0.05 and isinstance(info.value, TimeoutError)
    assert executor.with_options(timeout=2.0).execute(Counter(), op, seconds=0.1) == 0.1
    executor.close()


@run_async
async def test_sync_ops_run_off_the_loop_on_a_bounded_pool() -> None:
    executor = ToolExecutor(max_workers=2)
    tool = Counter()
    names: set[str] = set()

    class Probe:
        def where(self) -> str:
            time.sleep(0.05)
            names.add(threading.current_thread().name)
            return "ok"

    start = time.perf_counter()
    ticker_ticks = 0

    async def ticker() -> None:
        nonlocal ticker_ticks
        while True:
            await asyncio.sleep(0.005)
            ticker_ticks += 1

    ticking = asyncio.ensure_future(ticker())
    out = await asyncio.gather(*(executor.execute_async(Probe(), "where") for _ in range(6)))
    ticking.cancel()
    assert out == ["ok"] * 6
    assert len(names) <= 2 and all(n.startswith("aiecs-tool") for n in names)
    assert time.perf_counter() - start >= 0.15  # 6 x 50 ms on 2 threads
    assert ticker_ticks >= 5  # the loop kept running meanwhile
    assert await executor.execute_async(tool, "aget", key="x") == "x#1"
    await executor.aclose()


def test_async_op_from_sync_code_runs_to_completion_and_inside_a_loop_is_refused() -> None:
    assert ToolExecutor().execute(Counter(), "aget", key="k") == "k#1"

    async def inside() -> None:
        with pytest.raises(ExecutionError, match="execute_async"):
            ToolExecutor().execute(Counter(), "aget", key="k")

    asyncio.run(inside())


def test_cache_entries_are_per_task_and_per_params() -> None:
    tool = Counter()
    executor = ToolExecutor(cache=MemoryCache())
    with call_scope("ann", "t1"):
        assert executor.execute(tool, "get", key="k") == "k#1"
        assert executor.execute(tool, "get", key="other") == "other#2"
    with call_scope("ann", "t2"):
        assert executor.execute(tool, "get", key="k") == "k#3"
    with call_scope("ann", "t1"):
        assert executor.execute(tool, "get", key="k") == "k#1"
