"""operations.*: single ops, batches, parallel runs, results, inputs, empty input, cancel.

The ops are scripted probes (`aiecs_conformance._scripted`): generated tool and op names,
sync and ``async def``, results drawn from `op_results()` (falsy values and exception
instances returned as values included), failures drawn from `op_failures()` (with and
without a message). Sequences live in `_sequence`, spec refusals in `_refusals`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import functools
import time
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from aiecs_models import TaskStepResult

from .._context import CheckFailure, CheckTimeout, Context, first_line, short
from .._inputs import first_difference
from .._outcomes import FALSY_RESULTS, op_failures
from .._probes import CallLog, ProbeTool
from .._scripted import Outcome, Plan, op_params, plans, same_result, sample_plan
from . import implements
from ._refusals import fewer
from ._steps import (
    Raised,
    Refused,
    build,
    call,
    judge_slot,
    judge_step,
    read_step,
    run_methods,
    same_length,
)

_SEQ = ("execute_operations_sequence",)
_PAR = ("execute_parallel_operations",)
_BATCH = ("batch_execute_operations",)


# -- single ------------------------------------------------------------------------------


def single_result(ctx: Context) -> None:
    """``execute_operation(spec, p)`` returns the op's result and the op receives ``p``.

    Each example calls one instance several times (the first op twice, with other params
    and another result), so an implementation that replays an earlier result fails.
    """

    def body(plan: Plan, again: dict[str, Any]) -> None:
        target = build(ctx, plan.tools())
        runs = [(i, 0, op["operation"], op["params"]) for i, op in enumerate(plan.ops)]
        runs.append((0, 1, plan.ops[0]["operation"], again))

        async def go() -> list[tuple[Any, Any]]:
            # One loop for every call: the calls share the instance, as a caller's would.
            out: list[tuple[Any, Any]] = []
            for _, _, spec, p in runs:
                watch = ctx.watch(f"execute_operation({spec!r}, p)", p=p)
                out.append((await target.execute_operation(spec, p), watch))
            return out

        try:
            got = ctx.run_async(go)
        except CheckTimeout:
            raise
        except Exception as exc:
            raise CheckFailure(f"execute_operation raised {first_line(exc)}") from exc
        for n, ((i, k, spec, _), (value, watch)) in enumerate(zip(runs, got, strict=True)):
            watch.verify()
            outcome = plan.scripts[i].outcome(k)
            if not same_result(value, outcome.value, outcome.before):
                raise CheckFailure(
                    f"call {n + 1} of {len(runs)} on one instance: execute_operation({spec!r}, "
                    f"p) returned {short(value, 80)}; the op returned {short(outcome.before, 80)}"
                )
            received = plan.calls_of(i)
            seen = received[k].params if len(received) > k else None
            if seen is None or first_difference(watch.before["p"], seen) is not None:
                raise CheckFailure(
                    f"execute_operation({spec!r}, p) called the op with {short(seen, 80)}; "
                    f"p was {short(watch.before['p'], 80)}"
                )

    ctx.property(
        body,
        {"plan": plans(min_size=1, max_size=3, failing=False, calls=2, timed=False),
         "again": op_params(2)},
        examples=({"plan": _called_twice(sample_plan(failing=False)), "again": {"n": 2}},),
        max_examples=fewer(ctx, 0.6),
    )  # fmt: skip


def _called_twice(plan: Plan) -> Plan:
    # The first op's second call returns something else, so a replayed result shows.
    first = plan.scripts[0]
    second = Outcome(value={"second call": True}, before={"second call": True})
    plan.scripts[0] = dataclasses.replace(first, outcomes=(first.outcomes[0], second))
    return plan


implements("operations.single.result", uses=("execute_operation",))(single_result)


# -- batch -------------------------------------------------------------------------------


def batch_shape(ctx: Context) -> None:
    """A list of ``len(ops)`` in input order; failing slots hold the exception."""

    def body(plan: Plan) -> None:
        target = build(ctx, plan.tools())
        ops = plan.ops
        got, before = call(
            ctx, "batch_execute_operations(ops)", lambda: target.batch_execute_operations(ops),
            ops=ops,
        )  # fmt: skip
        slots = same_length(got, len(ops), "batch_execute_operations")
        for i, slot in enumerate(slots):
            judge_slot(slot, plan, i, before["ops"])

    ctx.property(body, {"plan": plans()}, examples=({"plan": sample_plan()},))


implements("operations.batch.shape", uses=_BATCH)(batch_shape)


# -- parallel ----------------------------------------------------------------------------


def run_parallel(ctx: Context, plan: Plan) -> tuple[list[Any], list[dict[str, Any]]]:
    """``execute_parallel_operations(plan.ops)`` on a fresh target: steps and snapshot."""
    target = build(ctx, plan.tools())
    ops = plan.ops
    got, before = call(
        ctx, "execute_parallel_operations(ops)",
        lambda: target.execute_parallel_operations(ops), ops=ops,
    )  # fmt: skip
    return same_length(got, len(ops), "execute_parallel_operations"), before["ops"]


@implements("operations.parallel.shape", uses=_PAR)
def parallel_shape(ctx: Context) -> None:
    """``len(ops)`` step results in input order; failures captured as failed results."""

    def body(plan: Plan) -> None:
        got, before = run_parallel(ctx, plan)
        for i, obj in enumerate(got):
            judge_step(obj, plan, i, before, "result", fields=False)

    ctx.property(
        body, {"plan": plans()}, examples=({"plan": sample_plan()},), max_examples=fewer(ctx, 0.6)
    )


# The barrier sizes: 4, then 16 (a semaphore of 4 or 8 around the ops is a sequential
# executor for any call with more ops than that; the reference runtime allows 64 at once).
_PARTIES = (4, 16)


@implements("operations.parallel.concurrent", uses=_PAR)
def parallel_concurrent(ctx: Context) -> None:
    """Ops meeting at a shared n-party barrier all complete: they really overlap."""
    for parties in _PARTIES:
        log = CallLog()
        tool = ProbeTool("t", log)
        target = build(ctx, {"t": tool, "other": ProbeTool("other", log)})
        ops = [{"operation": "t.meet", "params": {"i": i}} for i in range(parties)]

        async def go(
            ops: list[dict[str, Any]] = ops, tool: ProbeTool = tool, target: Any = target
        ) -> Any:
            tool.barrier = asyncio.Barrier(len(ops))
            return await target.execute_parallel_operations(ops)

        try:
            got = ctx.run_async(go, timeout=min(ctx.timeout, 3.0))
        except CheckTimeout as exc:
            raise CheckFailure(
                f"{parties} ops waiting on a shared {parties}-party barrier never all arrived "
                f"({exc}); the ops of one call do not all run concurrently"
                + (" (fewer ops did: a concurrency limit below this many?)" if parties > 4 else "")
            ) from exc
        for i, obj in enumerate(same_length(got, len(ops), "execute_parallel_operations")):
            step = read_step(obj, f"result {i}")
            if step.status != "completed":
                raise CheckFailure(
                    f"barrier op {i} of {parties} ended {step.status!r}: "
                    f"{short(step.error_message)}"
                )


# -- results -----------------------------------------------------------------------------


def _both(ctx: Context, plan: Plan) -> list[tuple[str, int, Any, list[dict[str, Any]]]]:
    """The steps of a sequence and of a parallel run of ``plan`` (one loop for both)."""
    ran = run_methods(ctx, plan, (*_SEQ, *_PAR))
    out: list[tuple[str, int, Any, list[dict[str, Any]]]] = []
    for name, where in ((_SEQ[0], "sequence step"), (_PAR[0], "parallel result")):
        value, before = ran[name]
        if isinstance(value, Raised):
            raise Refused(f"{name} raised {first_line(value.error)}")
        steps = same_length(value, len(plan.ops), name)
        out += [(where, i, obj, before) for i, obj in enumerate(steps)]
    return out


@implements("operations.results.consistent", uses=(*_SEQ, *_PAR))
def results_consistent(ctx: Context) -> None:
    """Every returned step result passes the model's consistency rules."""

    def body(plan: Plan) -> None:
        for where, i, obj, _ in _both(ctx, plan):
            try:
                step = TaskStepResult.model_validate(obj, from_attributes=True)
            except Exception as exc:
                raise CheckFailure(
                    f"{where} {i} {short(obj, 80)} is inconsistent: {first_line(exc)}"
                ) from exc
            if step.status.value == "failed" and not step.error_message:
                raise CheckFailure(f"{where} {i} failed with an empty error_message")

    ctx.property(
        body, {"plan": plans(timed=False)}, max_examples=fewer(ctx, 0.4),
        examples=({"plan": sample_plan()},),
    )  # fmt: skip


@implements("operations.results.step", uses=(*_SEQ, *_PAR))
def results_step(ctx: Context) -> None:
    """Every step result's ``step`` is its op's ``operation`` string."""

    def body(plan: Plan) -> None:
        for where, i, obj, before in _both(ctx, plan):
            step = read_step(obj, f"{where} {i}").step
            want = before[i]["operation"]
            if step != want or type(step) is not str:
                raise CheckFailure(
                    f"{where} {i} has step={short(step, 60)}; expected its op's operation "
                    f"string {want!r}"
                )

    ctx.property(
        body, {"plan": plans(timed=False)}, max_examples=fewer(ctx, 0.4),
        examples=({"plan": sample_plan()},),
    )  # fmt: skip


def _odd_results() -> st.SearchStrategy[Any]:
    # What an implementation is tempted to read as "no result" or "a failure".
    return st.one_of(st.sampled_from(FALSY_RESULTS).map(_fresh), op_failures())


def _fresh(value: object) -> object:
    # FALSY_RESULTS holds shared empty containers: hand out a new one each draw.
    if isinstance(value, (list, dict, set)):
        return copy.copy(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return value


@implements("operations.results.any_value", uses=(*_BATCH, *_SEQ, *_PAR))
def results_any_value(ctx: Context) -> None:
    """Falsy results and returned exceptions are completed steps / slot values."""

    def body(plan: Plan) -> None:
        ran = run_methods(ctx, plan, (*_SEQ, *_PAR, *_BATCH))
        for name, where in ((_SEQ[0], "sequence step"), (_PAR[0], "parallel result")):
            value, before = ran[name]
            if isinstance(value, Raised):
                raise Refused(f"{name} raised {first_line(value.error)}")
            for i, obj in enumerate(same_length(value, len(plan.ops), name)):
                judge_step(obj, plan, i, before, where, fields=False)
        value, before = ran[_BATCH[0]]
        if isinstance(value, Raised):
            return  # a batch that raises is operations.batch.shape's to judge
        for i, slot in enumerate(same_length(value, len(plan.ops), _BATCH[0])):
            judge_slot(slot, plan, i, before)

    ctx.property(
        body,
        {"plan": plans(min_size=3, max_size=6, timed=False,
                       failing=True, results=_odd_results())},
        max_examples=fewer(ctx, 0.4), examples=({"plan": sample_plan()},),
    )  # fmt: skip


# -- inputs ------------------------------------------------------------------------------


@implements("operations.inputs.unchanged", uses=("execute_operation", *_BATCH, *_SEQ, *_PAR))
def inputs_unchanged(ctx: Context) -> None:
    """No method changes the ops list, an op dict or its params (nested values included)."""

    def body(plan: Plan, stop: bool) -> None:
        ops = plan.ops
        target = build(ctx, plan.tools())

        async def save(*args: Any) -> None:
            return None

        runs: dict[str, Callable[[], Any]] = {
            "batch_execute_operations(ops)": lambda: target.batch_execute_operations(ops),
            "execute_operations_sequence(ops, ...)": lambda: target.execute_operations_sequence(
                ops, "user", "task", stop, save
            ),
            "execute_parallel_operations(ops)": lambda: target.execute_parallel_operations(ops),
        }
        for what, make in runs.items():
            target = build(ctx, plan.tools())
            with contextlib.suppress(Refused):  # raising is other checks' to judge
                call(ctx, what, make, ops=ops)
        for op in ops:
            one = functools.partial(build(ctx, plan.tools()).execute_operation,
                                    op["operation"], op["params"])  # fmt: skip
            # A raising op is fine here; a changed input is not (InputChanged is no Refused).
            with contextlib.suppress(Refused):
                call(ctx, f"execute_operation({op['operation']!r}, p)", one, p=op["params"], op=op)

    ctx.property(
        body, {"plan": plans(timed=False), "stop": st.booleans()}, max_examples=fewer(ctx, 0.4),
        examples=({"plan": sample_plan(), "stop": False},),
    )  # fmt: skip


@implements("operations.empty", uses=(*_BATCH, *_SEQ, *_PAR))
def empty(ctx: Context) -> None:
    """Every method given ``[]`` returns ``[]``."""
    target = build(ctx, {"t": ProbeTool("t", CallLog())})
    calls: dict[str, Callable[[list[Any]], Any]] = {
        "batch_execute_operations": lambda ops: target.batch_execute_operations(ops),
        "execute_operations_sequence": lambda ops: target.execute_operations_sequence(
            ops, "u", "t"
        ),
        "execute_parallel_operations": lambda ops: target.execute_parallel_operations(ops),
    }
    for name, make in calls.items():
        ops: list[Any] = []
        got, _ = call(ctx, f"{name}([])", functools.partial(make, ops), ops=ops)
        if not isinstance(got, list) or got:
            raise CheckFailure(f"{name}([]) returned {short(got, 60)}, not []")  # pyright: ignore[reportUnknownArgumentType]


@implements("operations.cancel", uses=_PAR, budget=1.5)
def cancel(ctx: Context) -> None:
    """Cancelling ``execute_parallel_operations`` raises in the caller and stops the ops."""
    log = CallLog()
    target = build(ctx, {"t": ProbeTool("t", log)})
    ops = [{"operation": "t.nap", "params": {"ms": 30_000, "i": i}} for i in range(3)]

    async def go() -> str | None:
        task = asyncio.ensure_future(target.execute_parallel_operations(ops))
        deadline = time.perf_counter() + 1.0
        while len(log) < len(ops) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        task.cancel()
        if not log.snapshot():
            return "no op started within 1 s, so nothing could be cancelled"
        outcome = ""
        try:
            value = await asyncio.wait_for(asyncio.shield(task), 1.0)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise  # our own cancellation (the run's timeout), not the target's
        except TimeoutError:
            outcome = "did not finish within 1 s of being cancelled"
        except Exception as exc:
            outcome = f"raised {first_line(exc)} instead of CancelledError"
        else:
            outcome = f"returned {short(value, 80)} instead of raising CancelledError"
        deadline = time.perf_counter() + 1.0
        while time.perf_counter() < deadline:
            if all(c.end is not None for c in log.snapshot()):
                break
            await asyncio.sleep(0.01)
        running = [c.params.get("i") for c in log.snapshot() if c.end is None]
        if running:
            return (
                f"ops {running} were still running 1 s after execute_parallel_operations was "
                f"cancelled" + (f" (and the call {outcome})" if outcome else "")
            )
        if outcome:
            return (
                f"cancelled execute_parallel_operations {outcome}: the cancellation must reach "
                f"the caller, not be swallowed into results"
            )
        return None

    problem = ctx.run_async(go, timeout=max(ctx.timeout, 4.0))
    if problem:
        raise CheckFailure(problem)


from . import _refusals, _sequence  # noqa: E402  (registers the spec and sequence checks)

del _refusals, _sequence
