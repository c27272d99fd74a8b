"""The seed's extensions in the runtime: retry counts and errors, metrics, the context."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from aiecs_contracts import (
    IAsyncContextExecutor,
    IInterfaceMonitor,
    IPerformanceMetrics,
    IRetryingToolExecutor,
    IToolExecutorV2,
    OperationNotFoundError,
    RetryExhaustedError,
    VersionedInterface,
    check_interface_version,
    conforms,
)
from aiecs_runtime import OperationExecutor, factories
from aiecs_runtime._extensions import ContextExecutor, MeteredToolExecutor, RetryingToolExecutor

from ._support import run_async


class Flaky:
    """``op`` fails ``failures`` times with distinct messages, then returns ``"ok"``."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[dict[str, Any]] = []

    def op(self, **params: Any) -> str:
        self.calls.append(params)
        if len(self.calls) <= self.failures:
            raise ConnectionError(f"attempt {len(self.calls)}")
        return "ok"

    async def nap(self, seconds: float) -> float:
        await asyncio.sleep(seconds)
        return seconds


def test_the_factories_build_what_the_protocols_describe() -> None:
    assert conforms(factories.retrying_executor(), IRetryingToolExecutor)
    assert conforms(factories.tool_executor_v2(), IToolExecutorV2)
    assert conforms(factories.tool_executor_v2(), IPerformanceMetrics)
    assert conforms(factories.async_context_executor({}), IAsyncContextExecutor)
    assert conforms(factories.versioned(), VersionedInterface)
    assert conforms(factories.interface_monitor(), IInterfaceMonitor)
    assert check_interface_version(factories.versioned(), "1.2.10") == "1.3.0"


@run_async
async def test_max_retries_counts_every_attempt_and_the_last_failure_is_the_cause() -> None:
    executor = RetryingToolExecutor()
    tool = Flaky(failures=2)
    assert await executor.execute_with_retry(tool, "op", max_retries=3, x=1) == "ok"
    assert tool.calls == [{"x": 1}] * 3
    tool = Flaky(failures=10)
    with pytest.raises(RetryExhaustedError) as caught:
        await executor.execute_with_retry(tool, "op", max_retries=4)
    assert len(tool.calls) == 4
    assert isinstance(caught.value.__cause__, ConnectionError)
    assert str(caught.value.__cause__) == "attempt 4"
    assert caught.value.attempts == 4


@run_async
async def test_a_refused_name_is_never_retried() -> None:
    executor = RetryingToolExecutor(initial_wait=0.05, max_wait=0.05)
    tool = Flaky(failures=0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(OperationNotFoundError):
        await executor.execute_with_retry(tool, "_secret", max_retries=4)
    assert loop.time() - started < 0.05  # no backoff wait happened
    with pytest.raises(ValueError, match="max_retries=0"):
        await executor.execute_with_retry(tool, "op", max_retries=0)
    assert tool.calls == []


@run_async
async def test_metrics_count_successes_and_failures_in_seconds() -> None:
    executor = MeteredToolExecutor()
    tool = Flaky(failures=1)
    with pytest.raises(Exception, match="attempt 1"):
        await executor.execute_with_metrics(tool, "op")
    assert await executor.execute_with_metrics(tool, "op") == "ok"
    assert await executor.execute_with_metrics(tool, "nap", seconds=0.05) == 0.05
    report = executor.get_performance_metrics()
    assert report["op"]["count"] == 1 and report["op_error"]["count"] == 1
    nap = report["nap"]
    assert 0.05 <= nap["min_time"] <= nap["avg_time"] <= nap["max_time"] < 1


def test_metrics_lose_no_count_under_threads() -> None:
    executor = MeteredToolExecutor()
    tool = Flaky(failures=0)

    def worker() -> None:
        asyncio.run(_many(executor, tool, 200))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert executor.get_performance_metrics()["op"]["count"] == 1600


async def _many(executor: MeteredToolExecutor, tool: Flaky, n: int) -> None:
    await asyncio.gather(*(executor.execute_with_metrics(tool, "op") for _ in range(n)))


@run_async
async def test_the_context_executor_runs_only_inside_its_context() -> None:
    executor = ContextExecutor({"t": Flaky(failures=0)})
    with pytest.raises(RuntimeError, match="outside"):
        await executor.execute_in_context("t.op")
    async with executor as entered:
        assert await entered.execute_in_context("t.op", k=1) == "ok"
    with pytest.raises(RuntimeError, match="outside"):
        await executor.execute_in_context("t.op")
    boom = KeyError("body")
    with pytest.raises(KeyError) as caught:
        async with executor:
            raise boom
    assert caught.value is boom


class _Recorded(OperationExecutor):
    """An operation executor with its own ``async with``: records how it was opened and closed."""

    def __init__(self, log: list[str]) -> None:
        super().__init__({})
        self.log = log

    async def __aenter__(self) -> _Recorded:
        self.log.append("enter")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.log.append("exit")

    async def aclose(self) -> None:
        self.log.append("aclose")


@run_async
async def test_one_context_helper_opens_and_closes_engines_and_context_executors() -> None:
    from aiecs_runtime import ExecutionEngine
    from aiecs_runtime._lifecycle import AsyncResource

    assert isinstance(ExecutionEngine(), AsyncResource)
    assert isinstance(ContextExecutor({}), AsyncResource)
    log: list[str] = []
    engine = ExecutionEngine({"t": Flaky(failures=0)})
    engine.register_executor("rec", _Recorded(log))
    boom = KeyError("body")
    with pytest.raises(KeyError) as caught:
        async with engine as entered:
            assert entered is engine and log == ["enter"]
            raise boom
    assert caught.value is boom  # never swallowed
    assert log == ["enter", "exit"]  # left through its __aexit__, not closed a second time
    await engine.aclose()  # outside a context: closed through aclose
    assert log == ["enter", "exit", "aclose"]

    executor = ContextExecutor({"t": Flaky(failures=0)})
    async with executor:
        with pytest.raises(RuntimeError, match="already entered"):
            await executor.__aenter__()
        assert await executor.execute_in_context("t.op") == "ok"
    async with executor:  # closed contexts can be entered again
        assert await executor.execute_in_context("t.op") == "ok"
    await executor.aclose()
    with pytest.raises(RuntimeError, match="outside"):
        await executor.execute_in_context("t.op")
