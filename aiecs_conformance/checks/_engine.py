"""engine.*: operations through the engine, refusals, tasks, task batches, inputs, executors.

Tasks are scripted probes (`aiecs_conformance._tasks`): two parameters with generated names
(never the Protocol's ``input_data, context``; sometimes swapped or positional-only), sync
or ``async def``, returning drawn results or raising drawn failures, recording what they
receive.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from aiecs_contracts import IOperationExecutor

from .._context import CheckFailure, CheckSkip, CheckTimeout, Context, first_line, short
from .._inputs import first_difference
from .._probes import Call, CallLog, ProbeTool
from .._scripted import (
    Plan,
    malformed_specs,
    op_params,
    plans,
    same_failure,
    same_result,
    unknown_specs,
)
from .._tasks import TaskScript, build_tasks, task_names, tasks
from . import implements
from ._operations import batch_shape, single_result
from ._refusals import fewer, refused
from ._steps import Refused, call, same_length


@implements("engine.operation.result", uses=("execute_operation",))
def operation_result(ctx: Context) -> None:
    """As operations.single.result, through the engine."""
    single_result(ctx)


@implements("engine.operation.batch", uses=("batch_execute_operations",))
def operation_batch(ctx: Context) -> None:
    """As operations.batch.shape, through the engine."""
    batch_shape(ctx)


@implements("engine.operation.refusals", uses=("execute_operation", "batch_execute_operations"))
def operation_refusals(ctx: Context) -> None:
    """Malformed, private and unknown specs raise (or fill their batch slot), calling nothing."""

    def body(plan: Plan) -> None:
        s = plan.scripts[0]
        known = frozenset(x.operation for x in plan.scripts)
        specs = [*malformed_specs(s.tool, s.name), *unknown_specs(s.tool, s.name, known)]
        refused(ctx, plan, specs, "a malformed, private or unknown spec", batch=True)

    ctx.property(
        body, {"plan": plans(min_size=1, max_size=2, failing=False, timed=False)},
        max_examples=fewer(ctx, 0.2),
    )  # fmt: skip


# -- tasks -------------------------------------------------------------------------------


def _table() -> st.SearchStrategy[list[TaskScript]]:
    """A task table: 1-4 tasks with distinct names, failing ones included."""
    return st.lists(task_names(), min_size=1, max_size=4, unique=True).flatmap(
        lambda names: st.tuples(*(tasks(name=n) for n in names)).map(list)
    )


def _engine(ctx: Context, table: list[TaskScript]) -> tuple[Any, CallLog]:
    log = CallLog()
    tools: dict[str, object] = {"t": ProbeTool("t", log)}
    return ctx.build(tools, build_tasks(table, log)), log


def _calls_of(log: CallLog, name: str) -> list[Call]:
    return [c for c in log.snapshot() if c.tool == name]


def _received_problem(c: Call, input_data: Any, context: Any) -> str | None:
    args, kwargs = c.params["args"], c.params["kwargs"]
    if kwargs:
        return f"was called with keywords {sorted(kwargs)}"
    if first_difference((input_data, context), tuple(args)) is not None:
        return (
            f"received ({short(args[0], 60)}, {short(args[1], 60)}); expected input_data="
            f"{short(input_data, 60)}, context={short(context, 60)}"
        )
    return None


@implements("engine.task.result", uses=("execute_task",))
def task_result(ctx: Context) -> None:
    """``execute_task`` returns the task's result; the task is called positionally."""

    def body(script: TaskScript, input_data: dict[str, Any], context: dict[str, Any]) -> None:
        engine, log = _engine(ctx, [script])
        name = script.name
        got, before = call(
            ctx,
            f"execute_task({name!r}, input_data, context) of a task def {name}{script.signature}",
            lambda: engine.execute_task(name, input_data, context),
            input_data=input_data,
            context=context,
        )
        calls = _calls_of(log, name)
        if len(calls) != 1:
            raise CheckFailure(f"task {name} was called {len(calls)} times, expected once")
        problem = _received_problem(calls[0], before["input_data"], before["context"])
        if problem:
            raise CheckFailure(
                f"task def {name}{script.signature} {problem}; a task is called positionally "
                f"as task(input_data, context), whatever its parameters are named"
            )
        outcome = script.outcome
        if not same_result(got, outcome.value, outcome.before):
            raise CheckFailure(
                f"execute_task({name!r}, ...) returned {short(got, 80)}; the task returned "
                f"{short(outcome.before, 80)}"
            )

    ctx.property(
        body,
        {"script": tasks(failing=False), "input_data": op_params(), "context": op_params(2)},
    )


@implements("engine.task.unknown", uses=("execute_task",))
def task_unknown(ctx: Context) -> None:
    """An unknown task name (case, whitespace variants, neighbours) raises; nothing runs."""

    def body(table: list[TaskScript]) -> None:
        known = {s.name for s in table}
        name = table[0].name
        variants = [name.swapcase(), name.upper(), f"{name} ", f" {name}", f"{name}\n",
                    f"{name}_", "no_such_task", ""]  # fmt: skip
        for unknown in dict.fromkeys(v for v in variants if v not in known):
            engine, log = _engine(ctx, table)

            def one(engine: Any = engine, unknown: str = unknown) -> Any:
                return engine.execute_task(unknown, {}, {})

            try:
                value = ctx.run_async(one)
            except CheckTimeout:
                raise
            except Exception:
                value, raised = None, True
            else:
                raised = False
            if log.snapshot():
                called = ", ".join(c.tool for c in log.snapshot())
                raise CheckFailure(f"execute_task({unknown!r}, ...) called the task {called}")
            if not raised:
                raise CheckFailure(
                    f"execute_task({unknown!r}, ...) returned {short(value, 60)} instead of "
                    f"raising (the tasks are {sorted(known)})"
                )

    ctx.property(body, {"table": _table()}, max_examples=fewer(ctx, 0.2))


def _items() -> st.SearchStrategy[tuple[list[TaskScript], list[dict[str, Any]]]]:
    def items(table: list[TaskScript]) -> st.SearchStrategy[Any]:
        item = st.fixed_dictionaries(
            {
                "task_name": st.sampled_from([s.name for s in table]),
                "input_data": op_params(3),
                "context": op_params(2),
            }
        )
        return st.tuples(st.just(table), st.lists(item, min_size=1, max_size=5))

    return _table().flatmap(items)


@implements("engine.task.batch", uses=("batch_execute_tasks",))
def task_batch(ctx: Context) -> None:
    """Results in input order; each task gets its own item's values; failures in place."""

    def body(drawn: tuple[list[TaskScript], list[dict[str, Any]]]) -> None:
        table, items = drawn
        engine, log = _engine(ctx, table)
        got, before = call(
            ctx, "batch_execute_tasks(tasks)", lambda: engine.batch_execute_tasks(items),
            tasks=items,
        )  # fmt: skip
        slots = same_length(got, len(items), "batch_execute_tasks")
        scripts = {s.name: s for s in table}
        pending = {s.name: _calls_of(log, s.name) for s in table}
        for i, item in enumerate(before["tasks"]):
            name = item["task_name"]
            calls = pending[name]
            match = next(
                (c for c in calls if not _received_problem(c, item["input_data"], item["context"])),
                None,
            )
            if match is None:
                seen = "; ".join(_received_problem(c, item["input_data"], item["context"]) or ""
                                 for c in calls) or "it was not called"  # fmt: skip
                raise CheckFailure(
                    f"item {i}: no call of task {name} received that item's input_data and "
                    f"context ({seen}); each task is called positionally with its own item's "
                    f"values"
                )
            calls.remove(match)
            outcome = scripts[name].outcome
            slot = slots[i]
            if outcome.error is not None:
                if not same_failure(slot, outcome.error):
                    raise CheckFailure(
                        f"slot {i} ({name} raised {short(outcome.error, 60)}) holds "
                        f"{short(slot, 60)}, not that exception"
                    )
            elif not same_result(slot, outcome.value, outcome.before):
                raise CheckFailure(
                    f"slot {i} holds {short(slot, 80)}; task {name} returned "
                    f"{short(outcome.before, 80)} (out of input order?)"
                )
        extra = [n for n, calls in pending.items() for _ in calls]
        if extra:
            raise CheckFailure(f"tasks {extra} were called more often than the items name them")

    ctx.property(body, {"drawn": _items()}, max_examples=fewer(ctx, 0.6))


@implements(
    "engine.inputs.unchanged",
    uses=("execute_operation", "batch_execute_operations", "execute_task", "batch_execute_tasks"),
)
def inputs_unchanged(ctx: Context) -> None:
    """No method changes operations, their params, task items, input_data or context."""

    def body(plan: Plan, drawn: tuple[list[TaskScript], list[dict[str, Any]]]) -> None:
        table, items = drawn
        log = CallLog()
        tools = plan.tools()
        engine = ctx.build(tools, build_tasks(table, log))
        ops = plan.ops
        runs: list[tuple[str, Callable[[], Any], dict[str, object]]] = [
            ("batch_execute_operations(ops)",
             functools.partial(engine.batch_execute_operations, ops), {"ops": ops}),
            ("batch_execute_tasks(tasks)",
             functools.partial(engine.batch_execute_tasks, items), {"tasks": items}),
        ]  # fmt: skip
        for op in ops:
            spec, p = op["operation"], op["params"]
            one = functools.partial(engine.execute_operation, spec, p)
            runs.append((f"execute_operation({spec!r}, p)", one, {"p": p}))
        for item in items:
            name, data, context = item["task_name"], item["input_data"], item["context"]
            task = functools.partial(engine.execute_task, name, data, context)
            inputs: dict[str, object] = {"input_data": data, "context": context}
            runs.append((f"execute_task({name!r}, input_data, context)", task, inputs))
        for what, make, watched in runs:
            with contextlib.suppress(Refused):  # raising is fine here; InputChanged is not
                call(ctx, what, make, **watched)

    ctx.property(
        body, {"plan": plans(timed=False), "drawn": _items()}, max_examples=fewer(ctx, 0.4)
    )


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
        _engine(ctx, [])[0].register_executor("kit-conforming", _Conforming())
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
        engine, _ = _engine(ctx, [])
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
