"""Shared by the operation and engine checks: building targets over scripted probes,
calling them under `Context.watch`, and judging what comes back against the plan.

Every expectation is computed from the plan (what each scripted op was drawn to do) and
from `Watch.before` (deep copies of the ops taken before the call), never from the ops list
the target was handed: a target that changes its input cannot make a check crash or look
right (rules 1 and 2 of the contract).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from .._context import CheckFailure, CheckTimeout, Context, first_line, short
from .._inputs import Watch
from .._scripted import Plan, same_failure, same_result

__all__ = [
    "Raised",
    "Refused",
    "Step",
    "build",
    "call",
    "judge_slot",
    "judge_step",
    "read_step",
    "run_methods",
    "same_length",
    "text",
]


@dataclass(frozen=True)
class Step:
    """The 7 fields of a step result, read leniently (missing ones are ``None``)."""

    step: Any
    result: Any
    completed: Any
    message: Any
    status: str
    error_code: str | None
    error_message: Any


def text(value: Any) -> str:
    """The wire string of an enum member or a plain value."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def read_step(obj: Any, where: str) -> Step:
    """Read a returned step result like the seed's callers do, by attribute."""
    if isinstance(obj, BaseException):
        raise CheckFailure(f"{where} is the exception {short(obj, 80)}, not a step result")

    def get(name: str) -> Any:
        if isinstance(obj, Mapping):
            return obj.get(name)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return getattr(obj, name, None)

    code = get("error_code")
    return Step(
        step=get("step"),
        result=get("result"),
        completed=get("completed"),
        message=get("message"),
        status=text(get("status")),
        error_code=None if code is None else text(code),
        error_message=get("error_message"),
    )


def build(ctx: Context, tools: Mapping[str, object], tasks: Mapping[str, Any] | None = None) -> Any:
    """A fresh target over ``tools`` (and ``tasks``, where the contract's harness takes them)."""
    from .._contracts import Probes
    from .._probes import CallLog

    # Scripted tools record their own calls; the harness only places them in its arguments.
    served = cast("dict[str, Any]", dict(tools))
    return ctx.build_harnessed(Probes(CallLog(), served, dict(tasks or {})))


class Refused(CheckFailure):
    """The call raised (a failure of the running check unless it may raise)."""


def call(
    ctx: Context,
    what: str,
    make: Callable[[], Awaitable[Any]],
    **inputs: object,
) -> tuple[Any, dict[str, Any]]:
    """Run ``make()`` with ``inputs`` watched; return its value and the snapshots.

    Raising is reported as a failure of the running check (``what raised ...``) after the
    inputs are verified, so a changed input is reported as what it is.
    """
    watch = ctx.watch(what, **inputs)
    try:
        got = ctx.run_async(make)
    except CheckTimeout:
        raise
    except Exception as exc:
        watch.verify()
        raise Refused(f"{what} raised {first_line(exc)}") from exc
    watch.verify()
    return got, watch.before


@dataclass(frozen=True)
class Raised:
    """What a method raised, in `run_methods`' results."""

    error: Exception


_ARGS: dict[str, tuple[Any, ...]] = {
    "execute_operations_sequence": ("user-1", "task-1", False),
}


def run_methods(
    ctx: Context, plan: Plan, names: tuple[str, ...]
) -> dict[str, tuple[Any, list[dict[str, Any]]]]:
    """Each method over ``plan.ops``, each on a fresh target, all in one event loop.

    Returns, per method, its value (or `Raised`) and the snapshot of the ops. One loop for
    all of them keeps an example (and so shrinking) cheap.
    """
    runs = [(name, build(ctx, plan.tools()), plan.ops) for name in names]

    async def go() -> list[tuple[Any, Watch]]:
        out: list[tuple[Any, Watch]] = []
        for name, target, ops in runs:
            watch = ctx.watch(f"{name}(ops, ...)" if name in _ARGS else f"{name}(ops)", ops=ops)
            try:
                value = await getattr(target, name)(ops, *_ARGS.get(name, ()))
            except Exception as exc:
                value = Raised(exc)
            out.append((value, watch))
        return out

    got = ctx.run_async(go)
    results: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
    for (name, _, ops), (value, watch) in zip(runs, got, strict=True):
        watch.verify()
        results[name] = (value, watch.before["ops"])
        del ops
    return results


def same_length(got: Any, count: int, name: str) -> list[Any]:
    """``got`` as a list of ``count`` items, or a failure saying what it was."""
    if not isinstance(got, list) or len(got) != count:  # pyright: ignore[reportUnknownArgumentType]
        size = len(got) if isinstance(got, list) else type(got).__name__  # pyright: ignore[reportUnknownArgumentType]
        raise CheckFailure(f"{name} returned {size} for {count} ops; expected a list of {count}")
    return got  # pyright: ignore[reportUnknownVariableType]


def _describe(plan: Plan, i: int, before: list[dict[str, Any]]) -> str:
    outcome = plan.outcome(i)
    op = before[i]["operation"]
    if outcome.error is not None:
        return f"op {i} ({op}, raises {short(outcome.error, 60)})"
    return f"op {i} ({op}, returns {short(outcome.before, 60)})"


def judge_slot(slot: Any, plan: Plan, i: int, before: list[dict[str, Any]]) -> None:
    """A batch slot: the op's result, or the exception it raised."""
    outcome = plan.outcome(i)
    if outcome.error is not None:
        if not same_failure(slot, outcome.error):
            raise CheckFailure(
                f"slot {i} holds {short(slot, 80)}; {_describe(plan, i, before)} so the slot "
                f"must hold that exception instance"
            )
    elif not same_result(slot, outcome.value, outcome.before):
        raise CheckFailure(
            f"slot {i} holds {short(slot, 80)}; {_describe(plan, i, before)} (results out of "
            f"input order, or a result rewritten?)"
        )


def failure_fields_problem(step: Step, error: BaseException) -> str | None:
    """What is wrong with the fields of a failed step for ``error``, if anything."""
    if step.completed is not False:
        return f"completed={step.completed!r}; expected completed=False"
    if not step.error_code:
        return f"error_code={step.error_code!r}; expected a code (E003 or a more specific one)"
    if step.result is not None:
        return f"result={short(step.result, 40)}; expected result=None"
    message = step.error_message
    if not isinstance(message, str) or not message:
        return f"error_message={short(message, 40)}; expected a non-empty message"
    if str(error) == "" and type(error).__name__ not in message:
        return (
            f"error_message={short(message, 60)} for {short(error, 40)}, an exception without "
            f"a message; expected it to name at least the type {type(error).__name__}"
        )
    return None


def judge_step(
    obj: Any, plan: Plan, i: int, before: list[dict[str, Any]], where: str, *, fields: bool
) -> Step:
    """A step result: completed with the op's result, or failed for a raising op.

    Without ``fields`` a raising op only has to give ``status='failed'``: the other fields
    of a failed step are operations.sequence.continue's and results.consistent's to judge,
    so one mistake is reported under its own ids.
    """
    step = read_step(obj, f"{where} {i}")
    outcome = plan.outcome(i)
    if outcome.error is not None:
        if step.status != "failed":
            raise CheckFailure(
                f"{where} {i} has status={step.status!r}; {_describe(plan, i, before)}, so "
                f"expected status='failed'"
            )
        problem = failure_fields_problem(step, outcome.error) if fields else None
        if problem:
            raise CheckFailure(f"failed {where} {i} ({before[i]['operation']}) has {problem}")
        return step
    if step.status != "completed" or step.completed is not True:
        raise CheckFailure(
            f"{where} {i} has status={step.status!r}, completed={step.completed!r}, "
            f"error_message={short(step.error_message, 60)}; {_describe(plan, i, before)}: a "
            f"returned value (falsy or an exception instance too) is a completed step"
        )
    if not same_result(step.result, outcome.value, outcome.before):
        raise CheckFailure(
            f"{where} {i} holds result {short(step.result, 80)}; {_describe(plan, i, before)}"
        )
    return step
