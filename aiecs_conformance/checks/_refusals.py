"""operations.spec.*: malformed and unknown specs raise and call nothing.

The specs are built around a real op of a scripted tool (`malformed_specs`,
`unknown_specs`): surrounding whitespace, dotted paths through the tool's attributes,
private and dunder names, case variants, non-``str`` values. The probe tools record any
call of a private method, an attribute object's method, ``__call__`` or ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, CheckTimeout, Context, short
from .._probes import plant_lures
from .._scripted import Plan, ScriptedTool, malformed_specs, plans, unknown_specs
from . import implements
from ._steps import Refused, build, call, same_length

__all__ = ["fewer", "refused"]


# -- refusals ----------------------------------------------------------------------------

_NOTHING = object()


def refused(ctx: Context, plan: Plan, specs: list[object], what: str, *, batch: bool) -> None:
    """Each spec raises from ``execute_operation`` (and fills its slot in a batch) and
    calls nothing."""
    tools = plan.tools()
    _lure_specs(tools, specs)
    target = build(ctx, tools)
    for spec in specs:

        def one(spec: object = spec) -> Any:
            return target.execute_operation(spec, {})

        try:
            value = ctx.run_async(one)
        except CheckTimeout:
            raise
        except Exception:
            value = _NOTHING
        calls = plan.stray() + [f"{c.tool}.{c.op}" for c in plan.log.snapshot()]
        if calls:
            raise CheckFailure(
                f"execute_operation({spec!r}, {{}}) called {', '.join(sorted(set(calls)))}; "
                f"{what} must be refused before anything runs"
            )
        if value is not _NOTHING:
            raise CheckFailure(
                f"execute_operation({spec!r}, {{}}) returned {short(value, 60)} instead of "
                f"raising; {what} must be refused"
            )
    if not batch or not callable(getattr(target, "batch_execute_operations", None)):
        return
    ops: list[dict[str, Any]] = [{"operation": spec, "params": {}} for spec in specs]
    try:
        got, _ = call(
            ctx, "batch_execute_operations(ops)", lambda: target.batch_execute_operations(ops),
            ops=ops,
        )  # fmt: skip
    except Refused:
        got = None  # a batch that raises is operations.batch.shape's to judge
    calls = [f"{c.tool}.{c.op}" for c in plan.log.snapshot()]
    if calls:
        raise CheckFailure(
            f"batch_execute_operations of {len(ops)} refused specs called "
            f"{', '.join(sorted(set(calls)))}; {what} must be refused before anything runs"
        )
    if got is None:
        return
    slots = same_length(got, len(ops), "batch_execute_operations")
    for spec, slot in zip(specs, slots, strict=True):
        if not isinstance(slot, BaseException):
            raise CheckFailure(
                f"batch_execute_operations: the slot of {spec!r} holds {short(slot, 60)}; "
                f"{what} must fill its slot with the exception"
            )


def _lure_specs(tools: dict[str, ScriptedTool], specs: list[object]) -> None:
    # Each tool gets a recording callable under the op part of every refused spec
    # ("op()", "log.snapshot", " op", "_op"...): an executor that skips the refusal and
    # looks the name up finds it and calls it, so "calls nothing" shows the missing check.
    names = [s.partition(".")[2] for s in specs if isinstance(s, str) and "." in s]
    for tool in tools.values():
        plant_lures(tool, names, _recorder(tool))


def _recorder(tool: ScriptedTool) -> Callable[[str, dict[str, Any]], object]:
    def record(op: str, params: dict[str, Any]) -> object:
        return tool.calls.record(tool.name, op, params)

    return record


def fewer(ctx: Context, share: float) -> int:
    """A share of the run's examples, for checks whose defects show on (almost) any input."""
    return max(2, round(ctx.max_examples * share))


def _one_op() -> st.SearchStrategy[Plan]:
    return plans(min_size=1, max_size=2, failing=False, timed=False)


@implements("operations.spec.invalid", uses=("execute_operation",))
def spec_invalid(ctx: Context) -> None:
    """Malformed specs (whitespace, dotted paths, private names, non-str) raise, call nothing."""

    def body(plan: Plan) -> None:
        s = plan.scripts[0]
        refused(ctx, plan, malformed_specs(s.tool, s.name), "a malformed spec", batch=True)

    ctx.property(body, {"plan": _one_op()}, max_examples=fewer(ctx, 0.2))


@implements("operations.spec.unknown", uses=("execute_operation",))
def spec_unknown(ctx: Context) -> None:
    """Unknown tools and ops (case variants, neighbours) raise and call nothing."""

    def body(plan: Plan) -> None:
        s = plan.scripts[0]
        known = frozenset(x.operation for x in plan.scripts)
        refused(ctx, plan, list(unknown_specs(s.tool, s.name, known)), "an unknown tool or op",
                batch=True)  # fmt: skip

    ctx.property(body, {"plan": _one_op()}, max_examples=fewer(ctx, 0.2))
