"""Monitoring: the seed's report keys, percentiles, honest error counts, bounded memory."""

from __future__ import annotations

import asyncio
import logging
import random
import tracemalloc
from typing import Any

import pytest

from aiecs_contracts import (
    OperationNotFoundError,
    OperationTimeoutError,
    ParameterValidationError,
    RetryExhaustedError,
)
from aiecs_runtime import (
    ExecutionEngine,
    ExecutionEvent,
    ExecutionObserver,
    InterfaceMonitor,
    LoggingObserver,
    MetricsObserver,
    RetryPolicy,
    ToolExecutor,
)

from ._support import run_async

SEED_METRIC_KEYS = {"avg_time", "min_time", "max_time", "count"}
SEED_USAGE_KEYS = {
    "total_usage",
    "total_errors",
    "error_rate",
    "usage_by_interface",
    "errors_by_interface",
}


class Math:
    name = "math"

    async def square(self, x: int) -> int:
        return x * x

    def boom(self) -> None:
        raise RuntimeError("boom")

    def add(self, a: int, b: int) -> int:
        return a + b

    async def hang(self) -> None:
        await asyncio.sleep(30)


def event(name: str = "t.op") -> ExecutionEvent:
    tool, op = name.split(".")
    return ExecutionEvent(tool, op)


def test_observers_satisfy_the_protocol() -> None:
    for observer in (MetricsObserver(), InterfaceMonitor(), LoggingObserver()):
        assert isinstance(observer, ExecutionObserver)


def test_seed_keys_and_percentiles_against_a_known_sample() -> None:
    metrics = MetricsObserver()
    durations = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    shuffled = durations[:]
    random.Random(7).shuffle(shuffled)
    for d in shuffled:
        metrics.on_success(event(), d, None)
    row = metrics.get_performance_metrics()["t.op"]
    assert SEED_METRIC_KEYS | {"p50", "p95", "p99", "error_count"} <= set(row)
    assert row["count"] == 100
    assert row["min_time"] == 0.001 and row["max_time"] == 0.1
    assert row["avg_time"] == pytest.approx(0.0505)
    # Nearest rank: the p-th percentile of 1..100 is p.
    assert (row["p50"], row["p95"], row["p99"]) == (0.05, 0.095, 0.099)
    assert row["error_count"] == 0


def test_percentiles_of_small_samples() -> None:
    metrics = MetricsObserver()
    for d in (0.3, 0.1, 0.2):
        metrics.on_success(event(), d, None)
    row = metrics.get_performance_metrics()["t.op"]
    assert (row["p50"], row["p95"], row["p99"]) == (0.2, 0.3, 0.3)
    metrics.reset()
    assert metrics.get_performance_metrics() == {}


def test_reservoir_percentiles_stay_close_on_a_long_run() -> None:
    metrics = MetricsObserver(sample_size=1024)
    rng = random.Random(3)
    for _ in range(50_000):
        metrics.on_success(event(), rng.random(), None)  # uniform on [0, 1)
    row = metrics.get_performance_metrics()["t.op"]
    assert row["count"] == 50_000
    assert row["p50"] == pytest.approx(0.50, abs=0.05)
    assert row["p95"] == pytest.approx(0.95, abs=0.03)


def test_usage_report_seed_keys_and_error_rate() -> None:
    usage = InterfaceMonitor()
    for _ in range(3):
        usage.on_success(event("a.x"), 0.1, None)
    usage.on_failure(event("b.x"), 0.1, RuntimeError("x"))
    report = usage.get_usage_report()
    assert set(report) >= SEED_USAGE_KEYS
    assert report["total_usage"] == 4 and report["total_errors"] == 1
    assert report["error_rate"] == 0.25
    assert set(report) == SEED_USAGE_KEYS  # exactly the seed's keys (monitor.report.shape)
    assert report["usage_by_interface"] == {"a.x": 3, "b.x": 1}
    assert report["errors_by_interface"] == {"b.x": 1}
    assert usage.get_error_codes() == {"E003": 1}
    empty = InterfaceMonitor().get_usage_report()
    assert empty["error_rate"] == 0.0 and empty["total_usage"] == 0


def test_metrics_memory_is_bounded_with_many_distinct_names() -> None:
    metrics = MetricsObserver(sample_size=64, max_operations=256)
    usage = InterfaceMonitor(max_interfaces=256)

    def record(start: int, stop: int) -> None:
        for i in range(start, stop):
            e = ExecutionEvent(f"tool{i}", f"op{i}")
            metrics.on_success(e, 0.001, None)
            if i % 10 == 0:
                metrics.on_failure(e, 0.002, RuntimeError("x"))
            usage.on_success(e, 0.001, None)

    record(0, 5_000)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    record(5_000, 100_000)
    grown = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    report = metrics.get_performance_metrics()
    assert len(report) == 257  # 256 names + the shared "(other)" bucket
    assert report["(other)"]["count"] == 100_000 + 10_000 - 256 - 26
    assert len(usage.get_usage_report()["usage_by_interface"]) == 257
    assert grown < 64 * 1024, f"metrics grew by {grown} bytes over 95,000 more calls"


# -- through the real executor: every call counted, refused ones included -------------


@run_async
async def test_refused_calls_are_counted_as_errors_with_their_code() -> None:
    metrics, usage = MetricsObserver(), InterfaceMonitor()
    engine = ExecutionEngine(
        {"math": Math()}, tool_executor=ToolExecutor(observers=(metrics, usage))
    )
    ok = await engine.execute_parallel_operations(
        [{"operation": "math.square", "params": {"x": i}} for i in range(21)]
    )
    assert all(s.completed for s in ok)
    bad = await engine.batch_execute_operations(
        [
            {"operation": "math.square", "params": {"x": "not a number"}},
            {"operation": "math.sqaure", "params": {"x": 1}},
        ]
    )
    assert isinstance(bad[0], ParameterValidationError)
    assert isinstance(bad[1], OperationNotFoundError)

    report = usage.get_usage_report()
    assert (report["total_usage"], report["total_errors"]) == (23, 2)
    assert report["error_rate"] == pytest.approx(2 / 23)
    assert usage.get_error_codes() == {"E001": 2}
    rows = metrics.get_performance_metrics()
    square = rows["math.square"]
    assert (square["count"], square["error_count"], square["refused_count"]) == (22, 1, 1)
    assert square["min_time"] > 0.0  # the refused call is kept out of the timings
    assert rows["math.sqaure"]["error_count"] == 1
    assert metrics.get_error_codes() == {"math.square": {"E001": 1}, "math.sqaure": {"E001": 1}}


def test_refused_sync_calls_are_counted_too() -> None:
    metrics = MetricsObserver()
    executor = ToolExecutor(observers=(metrics,))
    with pytest.raises(ParameterValidationError):
        executor.execute(Math(), "square", x=[1])
    with pytest.raises(OperationNotFoundError):
        executor.execute(Math(), "_private")
    rows = metrics.get_performance_metrics()
    assert rows["math.square"]["refused_count"] == 1
    assert rows["math._private"]["error_count"] == 1


@run_async
async def test_failure_kinds_are_counted_with_their_codes() -> None:
    metrics, usage = MetricsObserver(), InterfaceMonitor()
    retry = RetryPolicy(attempts=2, on=RuntimeError, initial=0.0, jitter=0.0)
    executor = ToolExecutor(observers=(metrics, usage), retry=retry, timeout=0.05)
    tool = Math()
    with pytest.raises(RetryExhaustedError):
        await executor.execute_async(tool, "boom")
    with pytest.raises(OperationTimeoutError):
        await executor.execute_async(tool, "hang")
    call = asyncio.ensure_future(executor.with_options(timeout=None).execute_async(tool, "hang"))
    await asyncio.sleep(0.02)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert usage.get_error_codes() == {"E002": 1, "E004": 1, "E005": 1}
    assert metrics.get_error_codes() == {
        "math.boom": {"E005": 1},
        "math.hang": {"E002": 1, "E004": 1},
    }
    await executor.aclose()


class Counting:
    def __init__(self) -> None:
        self.starts = 0
        self.ends = 0

    def on_start(self, event: ExecutionEvent) -> None:
        self.starts += 1

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        self.ends += 1

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        self.ends += 1


class Broken:
    def on_start(self, *args: object) -> None:
        raise RuntimeError("observer bug")

    def on_success(self, *args: object) -> None:
        raise RuntimeError("observer bug")

    def on_failure(self, *args: object) -> None:
        raise RuntimeError("observer bug")


@run_async
async def test_every_start_has_one_end_and_a_broken_observer_is_harmless(
    caplog: pytest.LogCaptureFixture,
) -> None:
    counting = Counting()
    executor = ToolExecutor(observers=(Broken(), counting))
    tool = Math()
    with caplog.at_level(logging.ERROR, logger="aiecs_runtime.monitoring"):
        assert await executor.execute_async(tool, "square", x=3) == 9
        for name, params in [("boom", {}), ("square", {"x": "z"}), ("nope", {})]:
            with pytest.raises(Exception):  # noqa: B017 - each kind is tested elsewhere
                await executor.execute_async(tool, name, **params)
    assert (counting.starts, counting.ends) == (4, 4)
    assert any("observer" in r.getMessage() for r in caplog.records)
    assert executor.execute(tool, "add", a=1, b="2") == 3  # sync path, coerced
    with pytest.raises(ParameterValidationError):
        executor.execute(tool, "add", a=1)
    assert (counting.starts, counting.ends) == (6, 6)
