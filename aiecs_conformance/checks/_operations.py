"""operations.*: single, batch, sequence, parallel, consistency, empty input, cancellation."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from aiecs_models import TaskStepResult

from .._context import CheckFailure, CheckTimeout, Context, first_line, short
from .._probes import STRAY, CallLog, ProbeTool, expected
from ..strategies import MALFORMED_OPERATIONS, params
from . import implements
from ._steps import FAILING, Step, any_kinds, build_ops, expect, ok_kinds, read_step

_SEQ = ("execute_operations_sequence",)
_PAR = ("execute_parallel_operations",)


def harness(ctx: Context) -> tuple[Any, CallLog, ProbeTool]:
    """A fresh target over probe tools ``t`` and ``other`` (and tasks, for engines)."""
    from .._contracts import fresh_probes

    probes = fresh_probes()
    return ctx.build_harnessed(probes), probes.log, probes.tool


# -- single ------------------------------------------------------------------------------


def single_result(ctx: Context) -> None:
    """``execute_operation("t.op", p)`` returns the op's result, call after call.

    Each example calls one instance several times with different params, so an
    implementation that replays an earlier result (a memo keyed on the spec alone) fails.
    """

    def body(calls: list[tuple[str, dict[str, Any]]]) -> None:
        target, _, _ = harness(ctx)

        async def go() -> list[Any]:
            return [await target.execute_operation(f"t.{op}", p) for op, p in calls]

        got = ctx.run_async(go)
        for n, ((op, p), value) in enumerate(zip(calls, got, strict=True)):
            want = expected("t", op, p)
            if value != want:
                raise CheckFailure(
                    f"call {n + 1} of {len(calls)} on one instance: execute_operation("
                    f"'t.{op}', p) returned {short(value, 80)}; the op returned {short(want, 80)}"
                )

    call = st.tuples(st.sampled_from(["echo", "aecho"]), params())
    ctx.property(
        body, {"calls": st.lists(call, min_size=2, max_size=3)},
        examples=(
            {"calls": [("echo", {}), ("aecho", {"q": "SELECT 1; --"})]},
            {"calls": [("echo", {"x": 1}), ("echo", {"x": 2}), ("aecho", {"x": 1})]},
        ),
    )  # fmt: skip


implements("operations.single.result", uses=("execute_operation",))(single_result)


def _refused(ctx: Context, specs: list[object], what: str) -> None:
    target, log, _ = harness(ctx)
    for spec in specs:
        stray = len(STRAY)

        def call(spec: object = spec) -> Any:
            return target.execute_operation(spec, {})

        try:
            value = ctx.run_async(call)
        except CheckTimeout:
            raise
        except Exception:
            value = _NOTHING
        calls = [f"{c.tool}.{c.op}" for c in log.snapshot()]
        calls += [f"{c.tool}.{c.op}" for c in STRAY.snapshot()[stray:]]
        if calls:
            raise CheckFailure(
                f"execute_operation({spec!r}, {{}}) called {', '.join(calls)}; {what} must be "
                f"refused before anything runs"
            )
        if value is not _NOTHING:
            raise CheckFailure(
                f"execute_operation({spec!r}, {{}}) returned {short(value, 60)} instead of "
                f"raising; {what} must be refused"
            )


_NOTHING = object()


@implements("operations.spec.invalid", uses=("execute_operation",))
def spec_invalid(ctx: Context) -> None:
    """Malformed specs raise and call nothing."""
    _refused(ctx, list(MALFORMED_OPERATIONS), "a malformed spec")


@implements("operations.spec.unknown", uses=("execute_operation",))
def spec_unknown(ctx: Context) -> None:
    """Unknown tools and ops raise and call nothing."""
    _refused(
        ctx,
        ["nosuch.echo", "T.echo", "t.nosuch", "t.Echo", "other.missing"],
        "an unknown tool or op",
    )


# -- batch -------------------------------------------------------------------------------


def batch_shape(ctx: Context, call: Callable[[Any, list[dict[str, Any]]], Any], name: str) -> None:
    """A list of ``len(ops)`` in input order; failing slots hold the exception."""

    def body(kinds: list[str]) -> None:
        target, _, _ = harness(ctx)
        ops = build_ops(kinds)
        try:
            got = ctx.run_async(lambda: call(target, ops))
        except CheckTimeout:
            raise
        except Exception as exc:
            raise CheckFailure(f"{name} raised {first_line(exc)} because one op failed") from exc
        _same_length(got, ops, name)
        for i, (op, slot) in enumerate(zip(ops, got, strict=True)):
            if op["operation"].partition(".")[2] in FAILING:
                if not isinstance(slot, BaseException):
                    raise CheckFailure(
                        f"slot {i} ({op['operation']} failed) holds {short(slot, 60)}, not the "
                        f"exception instance"
                    )
            elif slot != expect(op):
                raise CheckFailure(
                    f"slot {i} holds {short(slot, 80)}, expected the result of "
                    f"{op['operation']} {op['params']!r} (results out of input order?)"
                )

    ctx.property(
        body, {"kinds": any_kinds()}, examples=({"kinds": ["nap", "fail", "nap", "echo"]},)
    )


def _same_length(got: Any, ops: list[dict[str, Any]], name: str) -> None:
    if not isinstance(got, list) or len(got) != len(ops):  # pyright: ignore[reportUnknownArgumentType]
        size = len(got) if isinstance(got, list) else type(got).__name__  # pyright: ignore[reportUnknownArgumentType]
        raise CheckFailure(
            f"{name} returned {size} for {len(ops)} ops; expected a list of {len(ops)}"
        )


@implements("operations.batch.shape", uses=("batch_execute_operations",))
def operations_batch(ctx: Context) -> None:
    """``batch_execute_operations`` keeps shape and order; failures are slot values."""
    batch_shape(ctx, lambda t, ops: t.batch_execute_operations(ops), "batch_execute_operations")


# -- sequence ----------------------------------------------------------------------------


def _sequence(
    ctx: Context, kinds: list[str], stop: bool, with_callback: bool = False
) -> tuple[list[Any], list[dict[str, Any]], CallLog, list[tuple[Any, ...]]]:
    target, log, _ = harness(ctx)
    ops = build_ops(kinds)
    saved: list[tuple[Any, ...]] = []

    async def save(user_id: str, task_id: str, index: int, result: Any) -> None:
        await asyncio.sleep(0)
        saved.append((user_id, task_id, index, result))

    async def go() -> Any:
        if with_callback:
            return await target.execute_operations_sequence(ops, "user-1", "task-1", stop, save)
        return await target.execute_operations_sequence(ops, "user-1", "task-1", stop)

    try:
        got = ctx.run_async(go)
    except CheckTimeout:
        raise
    except Exception as exc:
        raise CheckFailure(f"execute_operations_sequence raised {first_line(exc)}") from exc
    if not isinstance(got, list):
        raise CheckFailure(f"execute_operations_sequence returned {short(got, 60)}, not a list")
    return got, ops, log, saved  # pyright: ignore[reportUnknownVariableType]


def _check_step(step: Step, op: dict[str, Any], i: int, *, fields: bool = True) -> None:
    """Check step ``i`` against its op: a result, or (with ``fields``) a well-formed failure.

    Without ``fields`` a failing op only has to give ``status='failed'``: the other fields
    of a failed step are operations.sequence.continue's and results.consistent's to judge,
    so one mistake is reported under its own ids.
    """
    if op["operation"].partition(".")[2] in FAILING:
        if not fields:
            if step.status != "failed":
                raise CheckFailure(
                    f"step {i} ({op['operation']} raised) has status={step.status!r}; expected "
                    f"status='failed'"
                )
            return
        if step.status != "failed" or step.completed is not False:
            raise CheckFailure(
                f"step {i} ({op['operation']} raised) has status={step.status!r}, "
                f"completed={step.completed!r}; expected status='failed', completed=False"
            )
        if not step.error_code or not step.error_message or step.result is not None:
            raise CheckFailure(
                f"failed step {i} has error_code={step.error_code!r}, error_message="
                f"{short(step.error_message, 40)}, result={short(step.result, 40)}; expected a "
                f"code (E003), a non-empty message and result=None"
            )
    elif step.result != expect(op):
        raise CheckFailure(
            f"step {i} holds result {short(step.result, 80)}; expected the result of "
            f"{op['operation']} {op['params']!r}"
        )


@implements("operations.sequence.order", uses=_SEQ)
def sequence_order(ctx: Context) -> None:
    """Ops run one after another in input order; one result each, in order."""

    def body(kinds: list[str]) -> None:
        got, ops, log, _ = _sequence(ctx, kinds, stop=False)
        calls = log.snapshot()
        order = [c.params.get("i") for c in sorted(calls, key=lambda c: c.start)]
        if order != list(range(len(ops))):
            raise CheckFailure(f"ops were called in the order {order}, not in input order")
        for a, b in itertools.pairwise(calls):
            if a.end is None or b.start < a.end:
                raise CheckFailure(
                    f"op {b.params.get('i')} started before op {a.params.get('i')} finished; "
                    f"a sequence runs one op at a time"
                )
        _same_length(got, ops, "execute_operations_sequence")
        for i, (op, obj) in enumerate(zip(ops, got, strict=True)):
            _check_step(read_step(obj, f"step {i}"), op, i)

    ctx.property(body, {"kinds": ok_kinds()}, examples=({"kinds": ["nap", "nap", "echo"]},))


@implements("operations.sequence.continue", uses=_SEQ)
def sequence_continue(ctx: Context) -> None:
    """With stop_on_failure=False every op runs; failures are failed steps."""

    def body(kinds: list[str]) -> None:
        got, ops, log, _ = _sequence(ctx, kinds, stop=False)
        called = sorted(c.params.get("i") for c in log.snapshot())  # type: ignore[type-var]
        if called != list(range(len(ops))):
            raise CheckFailure(f"ops {called} ran; with stop_on_failure=False all {len(ops)} must")
        _same_length(got, ops, "execute_operations_sequence")
        for i, (op, obj) in enumerate(zip(ops, got, strict=True)):
            _check_step(read_step(obj, f"step {i}"), op, i)

    ctx.property(body, {"kinds": any_kinds()}, examples=({"kinds": ["fail", "echo", "afail"]},))


@implements("operations.sequence.stop", uses=_SEQ)
def sequence_stop(ctx: Context) -> None:
    """With stop_on_failure=True the run ends with the first failed step."""

    def body(kinds: list[str]) -> None:
        got, ops, log, _ = _sequence(ctx, kinds, stop=True)
        first = next((i for i, k in enumerate(kinds) if k in FAILING), None)
        last = len(ops) - 1 if first is None else first
        later = [c.params.get("i") for c in log.snapshot() if c.params.get("i", 0) > last]
        if later:
            raise CheckFailure(f"ops {later} ran after op {last} failed with stop_on_failure=True")
        if len(got) != last + 1:
            raise CheckFailure(
                f"returned {len(got)} results; the run must stop with the failed step "
                f"{last} ({last + 1} results)"
            )
        for i, (op, obj) in enumerate(zip(ops, got, strict=False)):
            _check_step(read_step(obj, f"step {i}"), op, i, fields=False)

    ctx.property(body, {"kinds": any_kinds()}, examples=({"kinds": ["echo", "fail", "echo"]},))


@implements("operations.sequence.callback", uses=_SEQ)
def sequence_callback(ctx: Context) -> None:
    """``save_callback`` is awaited once per returned result, in order, with its index."""

    def body(kinds: list[str], stop: bool) -> None:
        got, _, _, saved = _sequence(ctx, kinds, stop=stop, with_callback=True)
        if len(saved) != len(got):
            raise CheckFailure(
                f"save_callback was awaited {len(saved)} times for {len(got)} returned results"
            )
        for i, (call, result) in enumerate(zip(saved, got, strict=True)):
            if call[:3] != ("user-1", "task-1", i):
                raise CheckFailure(
                    f"save_callback call {i} got {call[:3]!r}; expected ('user-1', 'task-1', {i})"
                )
            if call[3] is not result and read_step(call[3], "saved") != read_step(
                result, "returned"
            ):
                raise CheckFailure(f"save_callback call {i} got a result other than step {i}'s")

    ctx.property(
        body, {"kinds": any_kinds(), "stop": st.booleans()},
        examples=({"kinds": ["echo", "fail", "echo"], "stop": True},),
    )  # fmt: skip


# -- parallel ----------------------------------------------------------------------------


def _parallel(ctx: Context, ops: list[dict[str, Any]], target: Any) -> list[Any]:
    try:
        got = ctx.run_async(lambda: target.execute_parallel_operations(ops))
    except CheckTimeout:
        raise
    except Exception as exc:
        raise CheckFailure(
            f"execute_parallel_operations raised {first_line(exc)}; failures must be captured"
        ) from exc
    _same_length(got, ops, "execute_parallel_operations")
    return got  # type: ignore[no-any-return]


@implements("operations.parallel.shape", uses=_PAR)
def parallel_shape(ctx: Context) -> None:
    """``len(ops)`` step results in input order; failures captured as failed results."""

    def body(kinds: list[str]) -> None:
        target, _, _ = harness(ctx)
        ops = build_ops(kinds)
        got = _parallel(ctx, ops, target)
        for i, (op, obj) in enumerate(zip(ops, got, strict=True)):
            _check_step(read_step(obj, f"result {i}"), op, i, fields=False)

    ctx.property(
        body, {"kinds": any_kinds()}, examples=({"kinds": ["nap", "nap", "fail", "echo"]},)
    )


@implements("operations.parallel.concurrent", uses=_PAR)
def parallel_concurrent(ctx: Context) -> None:
    """Ops meeting at a shared n-party barrier all complete: they really overlap."""
    target, _, tool = harness(ctx)
    ops = [{"operation": "t.meet", "params": {"i": i}} for i in range(4)]

    async def go() -> Any:
        tool.barrier = asyncio.Barrier(len(ops))
        return await target.execute_parallel_operations(ops)

    try:
        got = ctx.run_async(go, timeout=min(ctx.timeout, 3.0))
    except CheckTimeout as exc:
        raise CheckFailure(
            f"4 ops waiting on a shared 4-party barrier never all arrived ({exc}); the ops do "
            f"not run concurrently"
        ) from exc
    for i, obj in enumerate(got):
        step = read_step(obj, f"result {i}")
        if step.status != "completed":
            raise CheckFailure(f"barrier op {i} ended {step.status!r}: {short(step.error_message)}")


@implements("operations.results.consistent", uses=(*_SEQ, *_PAR))
def results_consistent(ctx: Context) -> None:
    """Every returned step result passes the model's consistency rules."""

    def body(kinds: list[str]) -> None:
        target, _, _ = harness(ctx)
        got, _, _, _ = _sequence(ctx, kinds, stop=False)
        both = [("sequence", r) for r in got]
        both += [("parallel", r) for r in _parallel(ctx, build_ops(kinds), target)]
        for i, (where, obj) in enumerate(both):
            try:
                step = TaskStepResult.model_validate(obj, from_attributes=True)
            except Exception as exc:
                raise CheckFailure(
                    f"{where} result {short(obj, 80)} is inconsistent: {first_line(exc)}"
                ) from exc
            if step.status.value == "failed" and not step.error_message:
                raise CheckFailure(f"{where} result {i} failed with an empty error_message")

    ctx.property(body, {"kinds": any_kinds()}, examples=({"kinds": ["echo", "fail"]},))


@implements(
    "operations.empty",
    uses=("batch_execute_operations", "execute_operations_sequence", "execute_parallel_operations"),
)
def empty(ctx: Context) -> None:
    """Every method given ``[]`` returns ``[]``."""
    target, _, _ = harness(ctx)
    calls: dict[str, Callable[[], Any]] = {
        "batch_execute_operations": lambda: target.batch_execute_operations([]),
        "execute_operations_sequence": lambda: target.execute_operations_sequence([], "u", "t"),
        "execute_parallel_operations": lambda: target.execute_parallel_operations([]),
    }
    for name, make in calls.items():
        try:
            got = ctx.run_async(make)
        except CheckTimeout:
            raise
        except Exception as exc:
            raise CheckFailure(f"{name}([]) raised {first_line(exc)}") from exc
        if not isinstance(got, list) or got:
            raise CheckFailure(f"{name}([]) returned {short(got, 60)}, not []")  # pyright: ignore[reportUnknownArgumentType]


@implements("operations.cancel", uses=_PAR, budget=1.5)
def cancel(ctx: Context) -> None:
    """Cancelling ``execute_parallel_operations`` stops its in-flight ops within 1 s."""
    target, log, _ = harness(ctx)
    ops = [{"operation": "t.nap", "params": {"ms": 30_000, "i": i}} for i in range(3)]

    async def go() -> str | None:
        task = asyncio.ensure_future(target.execute_parallel_operations(ops))
        deadline = time.perf_counter() + 1.0
        while len(log) < len(ops) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        if not log.snapshot():
            task.cancel()
            return "no op started within 1 s, so nothing could be cancelled"
        task.cancel()
        # Cancelled, timed out or failed: what matters is whether the ops stopped.
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(asyncio.shield(task), 1.0)
        deadline = time.perf_counter() + 1.0
        while time.perf_counter() < deadline:
            if all(c.end is not None for c in log.snapshot()):
                return None
            await asyncio.sleep(0.01)
        running = [c.params.get("i") for c in log.snapshot() if c.end is None]
        return (
            f"ops {running} were still running 1 s after execute_parallel_operations was cancelled"
        )

    problem = ctx.run_async(go, timeout=max(ctx.timeout, 4.0))
    if problem:
        raise CheckFailure(problem)
