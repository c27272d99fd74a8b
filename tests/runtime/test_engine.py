"""`ExecutionEngine`: tasks, executor switching, registration refusals, lifecycle, batches."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from aiecs_contracts import (
    ExecutorNotFoundError,
    OperationFailedError,
    TaskNotFoundError,
)
from aiecs_runtime import ExecutionEngine, OperationExecutor, ToolExecutor

from ._support import run_async


class Where:
    """Says which executor's tools served the call."""

    def __init__(self, label: str) -> None:
        self.label = label

    def who(self) -> str:
        return self.label

    def thread(self) -> str:
        return threading.current_thread().name


# -- tasks ------------------------------------------------------------------------------


@run_async
async def test_sync_task_runs_off_the_loop_with_input_and_context() -> None:
    seen: list[Any] = []

    def summarize(input_data: dict[str, Any], context: dict[str, Any]) -> str:
        seen.append((input_data, context, threading.current_thread() is threading.main_thread()))
        return f"{input_data['text'][:3]} for {context['user']}"

    engine = ExecutionEngine(tasks={"summarize": summarize})
    out = await engine.execute_task("summarize", {"text": "abcdef"}, {"user": "ann"})
    assert out == "abc for ann"
    assert seen == [({"text": "abcdef"}, {"user": "ann"}, False)]


@run_async
async def test_async_task_and_task_returning_an_awaitable() -> None:
    engine = ExecutionEngine()

    @engine.task("double")
    async def double(input_data: dict[str, Any], context: dict[str, Any]) -> int:
        await asyncio.sleep(0)
        return int(input_data["n"]) * 2

    async def later(n: int) -> int:
        return n + 1

    engine.register_task("later", lambda data, ctx: later(data["n"]))
    assert await engine.execute_task("double", {"n": 4}, {}) == 8
    assert await engine.execute_task("later", {"n": 4}, {}) == 5
    assert engine.list_tasks() == ["double", "later"]


@run_async
async def test_task_failure_is_wrapped_with_its_cause() -> None:
    def bad(input_data: dict[str, Any], context: dict[str, Any]) -> None:
        raise KeyError("missing")

    engine = ExecutionEngine(tasks={"bad": bad})
    with pytest.raises(OperationFailedError, match="task 'bad' raised KeyError") as info:
        await engine.execute_task("bad", {}, {})
    assert isinstance(info.value.__cause__, KeyError)


@run_async
async def test_unknown_task_names_the_closest_and_calls_nothing() -> None:
    calls: list[str] = []
    engine = ExecutionEngine(
        tasks={
            "summarize": lambda d, c: calls.append("summarize"),
            "translate": lambda d, c: calls.append("translate"),
        }
    )
    with pytest.raises(TaskNotFoundError) as info:
        await engine.execute_task("sumarize", {}, {})
    assert "did you mean 'summarize'" in str(info.value)
    assert info.value.available == ("summarize", "translate")
    assert isinstance(info.value, LookupError)
    with pytest.raises(TaskNotFoundError):
        await engine.execute_task(["not", "hashable"], {}, {})  # type: ignore[arg-type]
    assert calls == []


def test_register_task_refuses_a_non_callable() -> None:
    with pytest.raises(TypeError, match="task 'x' is a int; expected a callable"):
        ExecutionEngine().register_task("x", 3)  # type: ignore[arg-type]


@run_async
async def test_batch_tasks_keep_input_order_and_exceptions_in_their_slots() -> None:
    async def slow(input_data: dict[str, Any], context: dict[str, Any]) -> str:
        await asyncio.sleep(input_data["delay"])
        return f"slow {input_data['delay']} {context.get('k')}"

    def fails(input_data: dict[str, Any], context: dict[str, Any]) -> None:
        raise ValueError("nope")

    engine = ExecutionEngine(tasks={"slow": slow, "fails": fails})
    out = await engine.batch_execute_tasks(
        [
            {"task_name": "slow", "input_data": {"delay": 0.05}, "context": {"k": 1}},
            {"task_name": "fails"},
            {"task_name": "slow", "input_data": {"delay": 0.0}},
            {"task_name": "nope"},
            "not a dict",  # type: ignore[list-item]
        ]
    )
    assert out[0] == "slow 0.05 1"
    assert isinstance(out[1], OperationFailedError) and isinstance(out[1].__cause__, ValueError)
    assert out[2] == "slow 0.0 None"
    assert isinstance(out[3], TaskNotFoundError)
    assert isinstance(out[4], TaskNotFoundError) and "task_name" in str(out[4])
    assert await engine.batch_execute_tasks([]) == []


# -- executors --------------------------------------------------------------------------


@run_async
async def test_use_and_per_call_executor_switching() -> None:
    engine = ExecutionEngine({"w": Where("local")})
    engine.register_executor("other", OperationExecutor({"w": Where("other")}))
    assert engine.default_executor == "local"
    assert await engine.execute_operation("w.who", {}) == "local"
    assert await engine.execute_operation("w.who", {}, executor="other") == "other"
    assert await engine.execute_operation("w.who", {}) == "local"  # per call only
    batch = await engine.batch_execute_operations([{"operation": "w.who"}], executor="other")
    assert batch == ["other"]

    engine.use("other")
    assert engine.default_executor == "other"
    assert await engine.execute_operation("w.who", {}) == "other"
    steps = await engine.execute_parallel_operations([{"operation": "w.who"}])
    assert steps[0].result == "other"
    steps = await engine.execute_operations_sequence(
        [{"operation": "w.who"}], "u", "t", executor="local"
    )
    assert steps[0].result == "local"
    assert ExecutionEngine({}, default="local").default_executor == "local"


def test_unknown_executor_names_the_closest_and_keeps_the_default() -> None:
    engine = ExecutionEngine()
    engine.register_executor("celery", OperationExecutor({}))
    with pytest.raises(ExecutorNotFoundError) as info:
        engine.use("celey")
    assert "did you mean 'celery'" in str(info.value)
    assert info.value.available == ("celery", "local")
    assert engine.default_executor == "local"
    with pytest.raises(ExecutorNotFoundError):
        ExecutionEngine(default="remote")


class SyncMethods:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any: ...

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    def execute_operations_sequence(  # plain def where the protocol says async
        self,
        operations: list[dict[str, Any]],
        user_id: str,
        task_id: str,
        stop_on_failure: bool = False,
        save_callback: Any = None,
    ) -> list[Any]:
        return []

    async def execute_parallel_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []


class Lacking:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any: ...


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (3, ["builtins.int does not conform to IOperationExecutor", "execute_operation: missing"]),
        (Lacking(), ["batch_execute_operations: missing", "execute_parallel_operations: missing"]),
        (SyncMethods(), ["execute_operations_sequence: is a plain function", "async def"]),
    ],
)
def test_register_executor_refuses_with_ensure_conforms_text(
    candidate: object, expected: list[str]
) -> None:
    engine = ExecutionEngine()
    with pytest.raises(TypeError) as info:
        engine.register_executor("bad", candidate)
    for text in expected:
        assert text in str(info.value)
    assert engine.list_executors() == ["local"]


# -- lifecycle --------------------------------------------------------------------------


class Resourceful(OperationExecutor):
    """An executor holding something to open and close (a connection, say)."""

    def __init__(self, log: list[str], name: str) -> None:
        super().__init__({"w": Where(name)})
        self.log = log
        self.name = name

    async def __aenter__(self) -> Resourceful:
        self.log.append(f"open {self.name}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.log.append(f"close {self.name}")

    async def aclose(self) -> None:
        self.log.append(f"aclose {self.name}")


class OnlyAclose(OperationExecutor):
    def __init__(self, log: list[str]) -> None:
        super().__init__({})
        self.log = log

    async def aclose(self) -> None:
        self.log.append("aclose plain")


def _tool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("aiecs-tool")]


@run_async
async def test_async_with_opens_and_closes_every_executor_once() -> None:
    log: list[str] = []
    tool_executor = ToolExecutor(timeout=5.0)  # sync ops run on its own thread pool
    engine = ExecutionEngine({"w": Where("local")}, tool_executor=tool_executor)
    shared = Resourceful(log, "db")
    engine.register_executor("db", shared)
    engine.register_executor("db-alias", shared)  # one instance, two names
    engine.register_executor("plain", OnlyAclose(log))
    before = set(_tool_threads())  # pools of earlier tests' engines may still be winding down
    async with engine as entered:
        assert entered is engine
        assert log == ["open db"]
        assert (await engine.execute_operation("w.thread", {})).startswith("aiecs-tool")
        ours = set(_tool_threads()) - before
        assert ours
    assert sorted(log) == ["aclose plain", "close db", "open db"]
    assert [t for t in ours if t.is_alive()] == []  # the pool was shut down and joined


@run_async
async def test_async_with_closes_on_error_and_execute_in_context() -> None:
    log: list[str] = []
    engine = ExecutionEngine({"w": Where("local")})
    engine.register_executor("db", Resourceful(log, "db"))
    with pytest.raises(RuntimeError, match="inside"):
        async with engine:
            assert await engine.execute_in_context("w.who") == "local"
            raise RuntimeError("inside")
    assert log == ["open db", "close db"]


@run_async
async def test_a_failing_open_closes_what_was_opened() -> None:
    log: list[str] = []

    class Refuses(Resourceful):
        async def __aenter__(self) -> Resourceful:
            raise ConnectionError("down")

    engine = ExecutionEngine()
    engine.register_executor("a", Resourceful(log, "a"))
    engine.register_executor("b", Refuses(log, "b"))
    with pytest.raises(ConnectionError):
        async with engine:
            pass
    assert log == ["open a", "close a"]
