"""operations.sequence.*: order, continue on failure, stop on failure, the save callback."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, short
from .._scripted import Plan, plans, sample_plan
from . import implements
from ._refusals import fewer
from ._steps import build, call, judge_step, read_step, same_length

__all__ = ["run_sequence"]

_SEQ = ("execute_operations_sequence",)

Saved = list[tuple[Any, ...]]


def run_sequence(
    ctx: Context,
    plan: Plan,
    *,
    stop: bool | None,
    callback: bool = False,
    user_id: str = "user-1",
    task_id: str = "task-1",
) -> tuple[list[Any], list[dict[str, Any]], Saved]:
    """``execute_operations_sequence(plan.ops, ...)`` on a fresh target.

    Returns the steps, the snapshot of the ops and the callback's calls (when ``callback``).
    ``stop=None`` leaves ``stop_on_failure`` out (the Protocol's default, False, applies).
    """
    target = build(ctx, plan.tools())
    ops = plan.ops
    saved: Saved = []

    async def save(user: str, task: str, index: int, result: Any) -> None:
        await asyncio.sleep(0)
        saved.append((user, task, index, result))

    async def go() -> Any:
        if callback:
            return await target.execute_operations_sequence(ops, user_id, task_id, bool(stop), save)
        if stop is None:
            return await target.execute_operations_sequence(ops, user_id, task_id)
        return await target.execute_operations_sequence(ops, user_id, task_id, stop)

    got, before = call(ctx, "execute_operations_sequence(ops, ...)", go, ops=ops)
    if not isinstance(got, list):
        raise CheckFailure(f"execute_operations_sequence returned {short(got, 60)}, not a list")
    return got, before["ops"], saved  # pyright: ignore[reportUnknownVariableType]


def _index_of(plan: Plan) -> dict[tuple[str, str], int]:
    return {(s.tool, s.name): i for i, s in enumerate(plan.scripts)}


@implements("operations.sequence.order", uses=_SEQ)
def sequence_order(ctx: Context) -> None:
    """Ops run one after another in input order; one result each, in order."""

    def body(plan: Plan) -> None:
        got, before, _ = run_sequence(ctx, plan, stop=False)
        index = _index_of(plan)
        calls = sorted(plan.log.snapshot(), key=lambda c: c.start)
        order = [index.get((c.tool, c.op)) for c in calls]
        if order != list(range(len(plan.ops))):
            raise CheckFailure(f"ops were called in the order {order}, not in input order")
        for a, b in itertools.pairwise(calls):
            if a.end is None or b.start < a.end:
                raise CheckFailure(
                    f"op {index[(b.tool, b.op)]} started before op {index[(a.tool, a.op)]} "
                    f"finished; a sequence runs one op at a time"
                )
        same_length(got, len(plan.ops), "execute_operations_sequence")
        for i, obj in enumerate(got):
            judge_step(obj, plan, i, before, "step", fields=True)

    ctx.property(
        body, {"plan": plans(min_size=2, failing=False)},
        examples=({"plan": sample_plan(failing=False)},),
    )  # fmt: skip


@implements("operations.sequence.continue", uses=_SEQ)
def sequence_continue(ctx: Context) -> None:
    """With stop_on_failure=False every op runs; failures are well-formed failed steps."""

    def body(plan: Plan, default: bool) -> None:
        # default=True leaves stop_on_failure out: the Protocol's default (False) applies.
        got, before, _ = run_sequence(ctx, plan, stop=None if default else False)
        index = _index_of(plan)
        called = sorted(index.get((c.tool, c.op), -1) for c in plan.log.snapshot())
        if called != list(range(len(plan.ops))):
            how = (
                "stop_on_failure left to its default (False)"
                if default
                else ("stop_on_failure=False")
            )
            raise CheckFailure(
                f"ops {called} ran; with {how} each of the {len(plan.ops)} ops runs once"
            )
        same_length(got, len(plan.ops), "execute_operations_sequence")
        for i, obj in enumerate(got):
            judge_step(obj, plan, i, before, "step", fields=True)

    ctx.property(
        body, {"plan": plans(min_size=2, timed=False), "default": st.booleans()},
        examples=({"plan": sample_plan(), "default": True},),
    )  # fmt: skip


@implements("operations.sequence.stop", uses=_SEQ)
def sequence_stop(ctx: Context) -> None:
    """With stop_on_failure=True the run ends with the first failed step."""

    def body(plan: Plan) -> None:
        got, before, _ = run_sequence(ctx, plan, stop=True)
        n = len(plan.ops)
        last = next((i for i in range(n) if plan.fails(i)), n - 1)
        index = _index_of(plan)
        later = sorted(
            i for c in plan.log.snapshot() if (i := index.get((c.tool, c.op), -1)) > last
        )
        if later:
            raise CheckFailure(
                f"ops {later} ran after op {last} ({before[last]['operation']}) failed with "
                f"stop_on_failure=True"
            )
        if len(got) != last + 1:
            raise CheckFailure(
                f"returned {len(got)} results for {n} ops; the first failure is op {last}, so "
                f"the run must stop with it ({last + 1} results)"
            )
        for i, obj in enumerate(got):
            judge_step(obj, plan, i, before, "step", fields=False)

    ctx.property(
        body, {"plan": plans(min_size=2, timed=False)}, examples=({"plan": sample_plan()},),
        max_examples=fewer(ctx, 0.6),
    )  # fmt: skip


@implements("operations.sequence.callback", uses=_SEQ)
def sequence_callback(ctx: Context) -> None:
    """``save_callback`` is awaited once per returned result, in order, with its index."""

    def body(plan: Plan, stop: bool, user_id: str, task_id: str) -> None:
        got, _, saved = run_sequence(
            ctx, plan, stop=stop, callback=True, user_id=user_id, task_id=task_id
        )
        if len(saved) != len(got):
            raise CheckFailure(
                f"save_callback was awaited {len(saved)} times for {len(got)} returned results"
            )
        for i, (args, result) in enumerate(zip(saved, got, strict=True)):
            if args[:3] != (user_id, task_id, i):
                raise CheckFailure(
                    f"save_callback call {i} got {args[:3]!r}; expected "
                    f"({user_id!r}, {task_id!r}, {i})"
                )
            if args[3] is not result and read_step(args[3], "saved") != read_step(
                result, "returned"
            ):
                raise CheckFailure(f"save_callback call {i} got a result other than step {i}'s")

    ids = st.text(min_size=1, max_size=8)
    ctx.property(
        body,
        {
            "plan": plans(min_size=2, timed=False),
            "stop": st.booleans(),
            "user_id": ids,
            "task_id": ids,
        },
        examples=({"plan": sample_plan(), "stop": True, "user_id": "u-1", "task_id": "t-1"},),
        max_examples=fewer(ctx, 0.6),
    )
