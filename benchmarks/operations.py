"""Rows for bulk runs: 10,000 parallel ops (time and memory) and a 1,000-op sequence."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ._harness import Bench, Measurement, Settings, compare_memory, compare_times, on_loop
from ._tools import Tool, event_loop, operation_executor

__all__ = ["BENCHES"]

PARALLEL = 10_000
SEQUENCE = 1_000
SMOKE_SIZE = 50


def _ops(count: int) -> list[dict[str, Any]]:
    return [{"operation": "t.op", "params": {"x": i, "y": "a"}} for i in range(count)]


def _check_steps(steps: list[Any], count: int, what: str) -> None:
    if len(steps) != count:
        raise AssertionError(f"{what} returned {len(steps)} results for {count} ops")
    bad = [s for s in steps[:100] if getattr(s, "result", None) != "a"]
    if bad:
        raise AssertionError(f"{what}: a step did not succeed with 'a': {bad[0]!r}")


async def _gather(tool: Tool, count: int) -> list[str]:
    # created inside the running loop, as a caller's own gather would be
    return await asyncio.gather(*(tool.op(x=i, y="a") for i in range(count)))


def _parallel_bodies(count: int) -> tuple[Any, Any, Any]:
    tool = Tool()
    executor = operation_executor({"t": tool})
    ops = _ops(count)

    async def ours(n: int) -> int:
        total = 0
        for _ in range(n):
            start = time.perf_counter_ns()
            await executor.execute_parallel_operations(ops)
            total += time.perf_counter_ns() - start
        return total

    async def bare(n: int) -> int:
        total = 0
        for _ in range(n):
            start = time.perf_counter_ns()
            await _gather(tool, count)
            total += time.perf_counter_ns() - start
        return total

    async def check() -> None:
        _check_steps(
            await executor.execute_parallel_operations(ops), count, "execute_parallel_operations"
        )
        if await _gather(tool, count) != ["a"] * count:
            raise AssertionError("the bare gather baseline did not return 'a' for every op")

    return ours, bare, (executor, ops, tool, check)


def _parallel_time(settings: Settings) -> Measurement:
    count = SMOKE_SIZE if settings.smoke else PARALLEL
    ours, bare, (executor, _, _, check) = _parallel_bodies(count)
    with event_loop() as loop:
        loop.run_until_complete(check())
        m = compare_times(on_loop(loop, ours), on_loop(loop, bare), settings, disable_gc=False)
    m.detail["ops"] = count
    m.detail["per_op_means"] = f"per run of {count} ops (wall time of one whole call)"
    m.detail["executor"] = repr(executor)
    return m


def _parallel_memory(settings: Settings) -> Measurement:
    count = SMOKE_SIZE if settings.smoke else PARALLEL
    _, _, (executor, ops, tool, check) = _parallel_bodies(count)
    with event_loop() as loop:
        loop.run_until_complete(check())
        m = compare_memory(
            lambda: loop.run_until_complete(executor.execute_parallel_operations(ops)),
            lambda: loop.run_until_complete(_gather(tool, count)),
            settings,
        )
    m.detail["ops"] = count
    m.detail["inputs"] = (
        "ours: the ops list (built before tracing) and its results; "
        "baseline: the coroutines (created inside gather) and their results"
    )
    return m


def _sequence(settings: Settings) -> Measurement:
    count = SMOKE_SIZE if settings.smoke else SEQUENCE
    tool = Tool()
    executor = operation_executor({"t": tool})
    ops = _ops(count)

    async def ours(n: int) -> int:
        total = 0
        for _ in range(n):
            start = time.perf_counter_ns()
            await executor.execute_operations_sequence(ops, "user-1", "task-1")
            total += time.perf_counter_ns() - start
        return total

    async def direct(n: int) -> int:
        total = 0
        for _ in range(n):
            start = time.perf_counter_ns()
            out: list[str] = []
            for i in range(count):
                out.append(await tool.op(x=i, y="a"))
            total += time.perf_counter_ns() - start
        return total

    with event_loop() as loop:
        _check_steps(
            loop.run_until_complete(executor.execute_operations_sequence(ops, "u", "t")),
            count,
            "execute_operations_sequence",
        )
        m = compare_times(on_loop(loop, ours), on_loop(loop, direct), settings)
    m.detail["ops"] = count
    m.detail["per_op_means"] = f"per sequence of {count} ops"
    m.detail["executor"] = repr(executor)
    return m


BENCHES = [
    Bench(
        id="parallel.10k",
        measured="execute_parallel_operations of 10,000 trivial ops, wall time",
        baseline="bare asyncio.gather of the same 10,000 coroutines",
        goal=2.0,
        run=_parallel_time,
    ),
    Bench(
        id="parallel.10k.memory",
        measured="peak traced memory of execute_parallel_operations of 10,000 trivial ops",
        baseline="peak traced memory of the bare gather",
        goal=2.0,
        run=_parallel_memory,
    ),
    Bench(
        id="sequence.1k",
        measured="execute_operations_sequence of 1,000 trivial ops",
        baseline="1,000 sequential direct awaits building a plain list",
        goal=20.0,  # issue 13
        run=_sequence,
    ),
]
