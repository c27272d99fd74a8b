"""engine.*: operations through the engine, tasks, task batches, executor registration."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import strategies as st

from aiecs_contracts import IOperationExecutor

from .._context import CheckFailure, CheckSkip, CheckTimeout, Context, first_line, short
from .._probes import CallLog, ProbeTool, make_tasks
from ..strategies import params
from . import implements
from ._operations import batch_shape, single_result

_TASK_NAMES = ("echo_task", "aecho_task", "nap_task", "fail_task")


@implements("engine.operation.result", uses=("execute_operation",))
def operation_result(ctx: Context) -> None:
    """As operations.single.result, through the engine."""
    single_result(ctx)


@implements("engine.operation.batch", uses=("batch_execute_operations",))
def operation_batch(ctx: Context) -> None:
    """As operations.batch.shape, through the engine."""
    batch_shape(ctx, lambda t, ops: t.batch_execute_operations(ops), "batch_execute_operations")


def _engine(ctx: Context) -> tuple[Any, CallLog]:
    log = CallLog()
    tools: dict[str, object] = {"t": ProbeTool("t", log)}
    return ctx.build(tools, make_tasks(log)), log


@implements("engine.task.result", uses=("execute_task",))
def task_result(ctx: Context) -> None:
    """``execute_task`` returns the task's result; the task receives what was passed."""

    def body(name: str, input_data: dict[str, Any], context: dict[str, Any]) -> None:
        engine, log = _engine(ctx)
        got = ctx.run_async(lambda: engine.execute_task(name, input_data, context))
        want = {"task": name, "input_data": input_data, "context": context}
        calls = log.snapshot()
        if len(calls) != 1:
            raise CheckFailure(f"task {name} was called {len(calls)} times, expected once")
        received = calls[0].params
        if received != {"input_data": input_data, "context": context}:
            raise CheckFailure(
                f"task {name} received input_data={short(received['input_data'], 60)}, "
                f"context={short(received['context'], 60)}; not what was passed"
            )
        if got != want:
            raise CheckFailure(
                f"execute_task({name!r}, ...) returned {short(got, 80)}, not the task's result"
            )

    ctx.property(
        body,
        {"name": st.sampled_from(["echo_task", "aecho_task"]), "input_data": params(),
         "context": params(max_size=2)},
        examples=({"name": "aecho_task", "input_data": {}, "context": {}},),
    )  # fmt: skip


@implements("engine.task.unknown", uses=("execute_task",))
def task_unknown(ctx: Context) -> None:
    """An unknown task name raises; nothing is called."""
    for name in ("no_such_task", "Echo_task", "echo_task ", ""):
        engine, log = _engine(ctx)

        def call(engine: Any = engine, name: str = name) -> Any:
            return engine.execute_task(name, {}, {})

        try:
            value = ctx.run_async(call)
        except CheckTimeout:
            raise
        except Exception:
            value = None
            raised = True
        else:
            raised = False
        if log.snapshot():
            called = ", ".join(c.tool for c in log.snapshot())
            raise CheckFailure(f"execute_task({name!r}, ...) called {called}")
        if not raised:
            raise CheckFailure(
                f"execute_task({name!r}, ...) returned {short(value, 60)} instead of raising"
            )


@implements("engine.task.batch", uses=("batch_execute_tasks",))
def task_batch(ctx: Context) -> None:
    """``batch_execute_tasks`` keeps shape and order; failing slots hold the exception."""

    def body(names: list[str]) -> None:
        engine, _ = _engine(ctx)
        items = [
            {"task_name": n, "input_data": {"i": i, "ms": 2 * (len(names) - i)}, "context": {}}
            for i, n in enumerate(names)
        ]
        try:
            got = ctx.run_async(lambda: engine.batch_execute_tasks(items))
        except CheckTimeout:
            raise
        except Exception as exc:
            raise CheckFailure(f"batch_execute_tasks raised {first_line(exc)}") from exc
        if not isinstance(got, list) or len(got) != len(items):  # pyright: ignore[reportUnknownArgumentType]
            raise CheckFailure(
                f"batch_execute_tasks returned {short(got, 60)} for {len(items)} tasks"  # pyright: ignore[reportUnknownArgumentType]
            )
        for i, (item, slot) in enumerate(zip(items, got, strict=True)):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            if item["task_name"] == "fail_task":
                if not isinstance(slot, BaseException):
                    raise CheckFailure(
                        f"slot {i} (fail_task) holds {short(slot, 60)}, not the exception"  # pyright: ignore[reportUnknownArgumentType]
                    )
                continue
            want = {"task": item["task_name"], "input_data": item["input_data"], "context": {}}
            if slot != want:
                raise CheckFailure(
                    f"slot {i} holds {short(slot, 80)}; expected {item['task_name']}'s result "  # pyright: ignore[reportUnknownArgumentType]
                    f"for input {item['input_data']!r} (out of input order?)"
                )

    ctx.property(
        body, {"names": st.lists(st.sampled_from(_TASK_NAMES), min_size=1, max_size=5)},
        examples=({"names": ["nap_task", "fail_task", "echo_task"]},),
    )  # fmt: skip


# -- executor registration ----------------------------------------------------------------


class _Conforming:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    async def execute_operations_sequence(
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


class _LacksMethod:
    async def execute_operation(self, operation_spec: str, params: dict[str, Any]) -> Any:
        return None

    async def batch_execute_operations(self, operations: list[dict[str, Any]]) -> list[Any]:
        return []

    async def execute_operations_sequence(
        self, operations: list[dict[str, Any]], user_id: str, task_id: str,
        stop_on_failure: bool = False, save_callback: Any = None,
    ) -> list[Any]:  # fmt: skip
        return []


class _SyncMethod(_Conforming):
    def execute_parallel_operations(self, operations: list[dict[str, Any]]) -> list[Any]:  # type: ignore[override]
        return []


assert isinstance(_Conforming(), IOperationExecutor)


_PARALLEL = "execute_parallel_operations"


@implements("engine.register_executor", uses=())
def register_executor(ctx: Context) -> None:
    """Registering a non-conforming executor is refused with a TypeError naming the gap."""
    if not callable(getattr(ctx.sample, "register_executor", None)):
        raise CheckSkip("not applicable: the engine has no register_executor")
    try:
        _engine(ctx)[0].register_executor("kit-conforming", _Conforming())
    except NotImplementedError:
        raise CheckSkip("not applicable: register_executor raises NotImplementedError") from None
    except Exception as exc:
        raise CheckFailure(
            f"register_executor refused a conforming IOperationExecutor with "
            f"{first_line(exc)}; only non-conforming ones may be refused"
        ) from exc
    bad: list[tuple[str, object, str]] = [
        ("an int", 42, ""),
        ("an object lacking execute_parallel_operations", _LacksMethod(), _PARALLEL),
        ("an object whose execute_parallel_operations is sync", _SyncMethod(), _PARALLEL),
    ]
    for i, (label, instance, member) in enumerate(bad):
        engine, _ = _engine(ctx)
        try:
            engine.register_executor(f"kit-bad-{i}", instance)
        except TypeError as exc:
            if member and member not in str(exc):
                raise CheckFailure(
                    f"registering {label} raised TypeError({short(str(exc), 80)}), which does "
                    f"not name {member}"
                ) from exc
            continue
        except Exception as exc:
            raise CheckFailure(
                f"registering {label} raised {first_line(exc)}; expected TypeError"
            ) from exc
        raise CheckFailure(f"register_executor accepted {label}; expected TypeError")


del asyncio
