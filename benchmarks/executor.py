"""Rows for the per-call overhead of ``ToolExecutor`` and ``OperationExecutor``."""

from __future__ import annotations

import time
from typing import Any

from ._harness import Bench, Measurement, Settings, compare_times, on_loop
from ._tools import Tool, event_loop, operation_executor, tool_executor

__all__ = ["BENCHES", "tool_executor_body"]


async def _direct(n: int) -> int:
    tool = Tool()
    start = time.perf_counter_ns()
    for _ in range(n):
        await tool.op(x=1, y="a")
    return time.perf_counter_ns() - start


def tool_executor_body(executor: Any, tool: Tool) -> Any:
    async def body(n: int) -> int:
        run = executor.execute_async
        start = time.perf_counter_ns()
        for _ in range(n):
            await run(tool, "op", x=1, y="a")
        return time.perf_counter_ns() - start

    return body


def _operation_executor_body(executor: Any) -> Any:
    async def body(n: int) -> int:
        run = executor.execute_operation
        params = {"x": 1, "y": "a"}
        start = time.perf_counter_ns()
        for _ in range(n):
            await run("t.op", params)
        return time.perf_counter_ns() - start

    return body


def _executor_overhead(settings: Settings) -> Measurement:
    tool = Tool()
    executor = tool_executor()
    with event_loop() as loop:
        got = loop.run_until_complete(executor.execute_async(tool, "op", x=1, y="a"))
        if got != "a":
            raise AssertionError(f"ToolExecutor returned {got!r}, expected 'a'")
        m = compare_times(
            on_loop(loop, tool_executor_body(executor, tool)), on_loop(loop, _direct), settings
        )
    m.detail["executor"] = repr(executor)
    m.detail["op"] = "async def op(self, x: int, y: str) -> str: return y"
    return m


def _operation_overhead(settings: Settings) -> Measurement:
    executor = operation_executor({"t": Tool()})
    with event_loop() as loop:
        got = loop.run_until_complete(executor.execute_operation("t.op", {"x": 1, "y": "a"}))
        if got != "a":
            raise AssertionError(f"OperationExecutor returned {got!r}, expected 'a'")
        m = compare_times(
            on_loop(loop, _operation_executor_body(executor)), on_loop(loop, _direct), settings
        )
    m.detail["executor"] = repr(executor)
    m.detail["op"] = "t.op = async def op(self, x: int, y: str) -> str: return y"
    return m


BENCHES = [
    Bench(
        id="executor.overhead",
        measured='ToolExecutor.execute_async(tool, "op", x=1, y="a"): validation on, no cache, '
        "retry configured but not triggered",
        baseline='await tool.op(x=1, y="a")',
        goal=8.0,  # issue 13
        run=_executor_overhead,
    ),
    Bench(
        id="operation.overhead",
        measured='OperationExecutor.execute_operation("t.op", {"x": 1, "y": "a"})',
        baseline='await tool.op(x=1, y="a")',
        goal=20.0,
        run=_operation_overhead,
    ),
]
