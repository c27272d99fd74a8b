"""Issue 13, items 6, 9 and 14: failures stay the op's, pools survive, references resolve.

Each test replays an attack of the review and fails on the code before the fix.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from typing import Any

import pytest

from aiecs_contracts import ErrorCode, OperationFailedError, OperationTimeoutError
from aiecs_runtime import OperationExecutor, ToolExecutor

from ._support import run_async


class Exits:
    def sync_exit(self, code: Any = 3) -> None:
        sys.exit(code)

    async def async_exit(self, code: Any = 3) -> None:
        raise SystemExit(code)

    def interrupt(self) -> None:
        raise KeyboardInterrupt

    def ok(self, x: Any = 1) -> Any:
        return x


# -- item 6: SystemExit is the op's failure; KeyboardInterrupt and cancel propagate --------


@pytest.mark.parametrize("op", ["sync_exit", "async_exit"])
def test_system_exit_is_an_op_failure_naming_the_exit_code(op: str) -> None:
    for run in (
        lambda: ToolExecutor().execute(Exits(), op, code=3),
        lambda: asyncio.run(ToolExecutor().execute_async(Exits(), op, code=3)),
    ):
        with pytest.raises(OperationFailedError, match=r"SystemExit \(exit code 3\)") as info:
            run()
        assert isinstance(info.value.__cause__, SystemExit)


@pytest.mark.parametrize("op", ["sync_exit", "async_exit"])
@run_async
async def test_system_exit_fails_one_step_of_batch_sequence_parallel(op: str) -> None:
    ops = OperationExecutor({"t": Exits()})
    items = [{"operation": f"t.{op}", "params": {"code": 7}}, {"operation": "t.ok", "params": {}}]
    batch = await ops.batch_execute_operations(items)
    assert isinstance(batch[0], OperationFailedError) and batch[1] == 1
    for results in (
        await ops.execute_operations_sequence(items, "u", "t"),
        await ops.execute_parallel_operations(items),
    ):
        assert [r.completed for r in results] == [False, True]
        assert results[0].error_code == ErrorCode.EXECUTION_ERROR
        assert "exit code 7" in (results[0].error_message or "")


def test_keyboard_interrupt_still_propagates() -> None:
    with pytest.raises(KeyboardInterrupt):
        ToolExecutor().execute(Exits(), "interrupt")


@run_async
async def test_cancellation_still_propagates() -> None:
    class Slow:
        async def wait(self) -> None:
            await asyncio.sleep(10)

    task = asyncio.ensure_future(
        OperationExecutor({"t": Slow()}).execute_operations_sequence(
            [{"operation": "t.wait", "params": {}}], "u", "t"
        )
    )
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr raised")


@run_async
async def test_items_whose_repr_raises_stay_inside_their_slot() -> None:
    ops = OperationExecutor({"t": Exits()})
    items: list[Any] = [BadRepr(), {"operation": "t.ok", "params": {}}]
    batch = await ops.batch_execute_operations(items)
    assert isinstance(batch[0], Exception) and batch[1] == 1
    for results in (
        await ops.execute_operations_sequence(items, "u", "t"),
        await ops.execute_parallel_operations(items),
    ):
        assert [r.completed for r in results] == [False, True]
        assert results[0].step == "<invalid item: BadRepr>"


class NoStr(Exception):
    def __str__(self) -> str:
        raise RuntimeError("str raised")


@run_async
async def test_an_exception_whose_str_raises_still_fails_its_step() -> None:
    class Raises:
        def op(self) -> None:
            raise NoStr

    results = await OperationExecutor({"t": Raises()}).execute_operations_sequence(
        [{"operation": "t.op", "params": {}}], "u", "t"
    )
    assert results[0].completed is False and "NoStr" in (results[0].error_message or "")


# -- item 9: timed-out blocking ops do not exhaust the pool --------------------------------


class Blocking:
    def __init__(self) -> None:
        self.release = threading.Event()

    def stuck(self) -> None:
        self.release.wait(30)

    def fast(self) -> str:
        return "fast"


def test_forty_timeouts_leave_room_for_a_fast_op() -> None:
    tool = Blocking()
    executor = ToolExecutor(timeout=0.02, max_workers=2)
    try:
        for index in range(40):
            run = (
                (lambda: executor.execute(tool, "stuck"))
                if index % 2
                else (lambda: asyncio.run(executor.execute_async(tool, "stuck")))
            )
            with pytest.raises(OperationTimeoutError):
                run()
        # before the fix both pool threads were held by stuck ops: this timed out too
        assert ToolExecutor.execute(executor.with_options(timeout=5.0), tool, "fast") == "fast"
        assert executor.execute(tool, "fast") == "fast"
        assert asyncio.run(executor.execute_async(tool, "fast")) == "fast"
    finally:
        tool.release.set()
        executor.close()


def test_an_ops_own_timeout_error_is_not_a_timeout() -> None:
    class OwnTimeout:
        def op(self) -> None:
            raise TimeoutError("the op's own")

    start = time.perf_counter()
    with pytest.raises(OperationFailedError) as info:
        ToolExecutor(timeout=30.0).execute(OwnTimeout(), "op")
    assert not isinstance(info.value, OperationTimeoutError)
    assert str(info.value.__cause__) == "the op's own"
    assert time.perf_counter() - start < 5.0
    with pytest.raises(OperationFailedError) as info:
        asyncio.run(ToolExecutor(timeout=30.0).execute_async(OwnTimeout(), "op"))
    assert not isinstance(info.value, OperationTimeoutError)


# -- item 14: references inside tuples, huge indexes, generators of ops --------------------


class Echo:
    def __init__(self) -> None:
        self.got: list[Any] = []

    def take(self, value: Any = None) -> Any:
        self.got.append(value)
        return value


@run_async
async def test_a_reference_inside_a_tuple_is_resolved() -> None:
    tool = Echo()
    await OperationExecutor({"t": tool}).execute_operations_sequence(
        [
            {"operation": "t.take", "params": {"value": 5}},
            {"operation": "t.take", "params": {"value": ("$result[0]", ["$result[0]"])}},
        ],
        "u",
        "t",
    )
    assert tool.got[1] == (5, [5])


@pytest.mark.parametrize("path", ["$result[" + "9" * 5000 + "]", "$result[0]." + "1" * 5000])
@run_async
async def test_a_huge_index_is_a_validation_error(path: str) -> None:
    tool = Echo()
    results = await OperationExecutor({"t": tool}).execute_operations_sequence(
        [
            {"operation": "t.take", "params": {"value": [1]}},
            {"operation": "t.take", "params": {"value": path}},
        ],
        "u",
        "t",
    )
    assert results[1].error_code == ErrorCode.VALIDATION_ERROR
    assert len(tool.got) == 1


@run_async
async def test_a_generator_of_ops_is_consumed_not_dropped() -> None:
    tool = Echo()
    ops = OperationExecutor({"t": tool})
    items = ({"operation": "t.take", "params": {"value": i}} for i in range(3))
    results = await ops.execute_operations_sequence(items, "u", "t")  # type: ignore[arg-type]
    assert [r.result for r in results] == [0, 1, 2]
    parallel = await ops.execute_parallel_operations(
        {"operation": "t.take", "params": {"value": i}}
        for i in range(3)  # type: ignore[arg-type]
    )
    assert [r.result for r in parallel] == [0, 1, 2]
    with pytest.raises(ValueError, match="operations must be a list"):
        await ops.batch_execute_operations("t.take")  # type: ignore[arg-type]
