"""executor.*: blocking, isolation, inputs, concurrency, cancellation and context variables."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, short
from .._probes import CallLog, ProbeTool
from .._shapes import ECHO, PROBE_VAR, Marker, ProbeOp, ShapedTool, probe_ops, probe_tools
from ..strategies import params, params_values
from . import implements
from ._exec_calls import ASYNC, SYNC, call, close, describe, how, op_words

_SYNC = ("execute",)
_ASYNC = ("execute_async",)
_BOTH = ("execute", "execute_async")

_ASYNC_CAPABLE = ("method", "inherited", "mixin", "staticmethod", "classmethod", "attribute",
                  "bound_other", "partial", "callable_object", "decorated")  # fmt: skip


@implements("executor.async.nonblocking", uses=_ASYNC)
def nonblocking(ctx: Context) -> None:
    """A blocking sync op under ``execute_async`` does not stall other coroutines."""
    executor = ctx.build()
    tool = ProbeTool("tool", CallLog())

    async def go() -> int:
        ticks = 0
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.ensure_future(ticker())
        await asyncio.sleep(0)
        try:
            await executor.execute_async(tool, "snooze", ms=200)
        finally:
            done = True
            await task
        return ticks

    ticks = ctx.run_async(go)
    if ticks < 5:
        raise CheckFailure(
            f"while a 0.2 s blocking op ran under execute_async, another coroutine ticked "
            f"{ticks} times (expected ~20); run sync ops off the event loop "
            f"(asyncio.to_thread)"
        )


_labels = itertools.count()


def _own(op: ProbeOp) -> Marker:
    return Marker(f"twin's {op.name} #{next(_labels)}")


@implements("executor.isolation.tools", uses=_BOTH)
def isolation_tools(ctx: Context) -> None:
    """Tools with an op of the same name and equal params each get their own result.

    Three tools: one of a fresh class, another instance of that same class (so a memo keyed
    on the class, or on the class and op name, shows), and one of another fresh class with
    the same op names.
    """
    executor = ctx.build()

    def body(first: ShapedTool, other_ops: list[ProbeOp], p: dict[str, Any]) -> None:
        twin = first.twin("twin", _own)
        from .._shapes import build_tool

        names = list(first.ops)
        renamed = [
            ProbeOp(n, o.shape, o.is_async, result=_own(o))
            for n, o in zip(names, itertools.cycle(other_ops), strict=False)
        ]
        stranger = build_tool("stranger", renamed)
        for round_ in range(2):
            for shaped in (first, twin, stranger):
                for name in names:
                    op = shaped.ops[name]
                    for mode in (SYNC, ASYNC):
                        if mode == SYNC and op.is_async:
                            continue  # execute on async ops is no_coroutine_leak's
                        out = call(ctx, executor, shaped.tool, name, p, mode)
                        if out.error is not None or out.value != op.result:
                            close(out.value)
                            raise CheckFailure(
                                f"call {round_ + 1}: {how(mode, name)} on {shaped.name} "
                                f"{describe(out)}; expected that tool's own result "
                                f"{short(op.result, 60)} (its op {op_words(op)})",
                                f"tools {first!r}, {twin!r}, {stranger!r}; p={short(p)}",
                            )

    marked = probe_ops(results=st.builds(Marker, st.text(max_size=3)))
    ctx.property(
        body,
        {"first": probe_tools(ops=marked, max_ops=2),
         "other_ops": st.lists(marked, min_size=1, max_size=2), "p": params(max_size=2)},
        max_examples=max(5, ctx.max_examples // 3),
    )  # fmt: skip


def _nested_params() -> st.SearchStrategy[dict[str, Any]]:
    containers = st.one_of(
        st.lists(params_values(2), min_size=1, max_size=3),
        st.dictionaries(st.text(max_size=4), params_values(2), min_size=1, max_size=3),
        st.sets(st.integers(), min_size=1, max_size=3),
        params_values(3),
    )
    return st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
        lambda n: n not in {"self", "tool", "operation_name", "params"}),
        containers, min_size=1, max_size=4)  # fmt: skip


@implements("executor.inputs.unchanged", uses=_BOTH)
def inputs_unchanged(ctx: Context) -> None:
    """Params (nested values included) are unchanged after the call, by both paths."""
    executor = ctx.build()

    def body(tool: ShapedTool, p: dict[str, Any], use_async: bool) -> None:
        for op in tool.ops.values():
            # call() watches p: a change raises InputChanged, attributed to this id
            close(call(ctx, executor, tool.tool, op.name, p, ASYNC if use_async else SYNC).value)

    ctx.property(
        body,
        {"tool": probe_tools(ops=probe_ops(mutates=True, fails=None), max_ops=1),
         "p": _nested_params(), "use_async": st.booleans()},
    )  # fmt: skip


@implements("executor.concurrency", uses=_ASYNC)
def concurrency(ctx: Context) -> None:
    """50 concurrent ``execute_async`` calls with distinct params get their own results."""
    executor = ctx.build()

    def body(op: ProbeOp) -> None:
        from .._shapes import build_tool

        op.result = ECHO
        op.hold = 0.005
        tool = build_tool("tool", [op])

        async def go() -> list[Any]:
            return list(
                await asyncio.gather(
                    *(executor.execute_async(tool.tool, op.name, i=i) for i in range(50)),
                    return_exceptions=True,
                )
            )

        results = ctx.run_async(go)
        for i, got in enumerate(results):
            want = {"op": op.name, "params": {"i": i}}
            if got != want:
                raise CheckFailure(
                    f"concurrent call {i} (params i={i}) got {short(got, 80)}, not its own "
                    f"result {want!r}",
                    f"50 x execute_async(tool, {op.name!r}, i=i) under asyncio.gather, the op "
                    f"{op_words(op)}",
                )

    ctx.property(body, {"op": probe_ops(is_async=None, results=st.just(None))},
                 max_examples=3)  # fmt: skip


@implements("executor.cancel", uses=_ASYNC)
def cancel(ctx: Context) -> None:
    """Cancelling a pending ``execute_async`` raises CancelledError and cancels the op."""
    executor = ctx.build()

    def body(op: ProbeOp, p: dict[str, Any], started: bool) -> None:
        from .._shapes import build_tool

        op.hold = 3.0
        tool = build_tool("tool", [op])
        box: dict[str, Any] = {}

        async def go() -> None:
            task = asyncio.ensure_future(executor.execute_async(tool.tool, op.name, **p))
            if started:
                for _ in range(500):  # until the op has started (at most ~1 s)
                    if len(tool.log):
                        break
                    await asyncio.sleep(0.002)
            task.cancel()
            try:
                box["value"] = await task
            except asyncio.CancelledError:
                box["cancelled"] = True
            except Exception as exc:
                box["error"] = exc
            for _ in range(250):  # the op's finally must run soon after
                calls = tool.log.snapshot()
                if not calls or all(c.extra.get("finally") for c in calls):
                    break
                await asyncio.sleep(0.002)
            # Judge now, then let an op the executor failed to cancel end at once (an op
            # stuck in the loop's default executor would hold up the loop's shutdown).
            box["pending"] = [c for c in tool.log.snapshot() if not c.extra.get("finally")]
            op.release.set()

        try:
            ctx.run_async(go)
        finally:
            op.release.set()  # let an op the executor failed to cancel end now
        what = f"cancelling a pending {how(ASYNC, op.name)} of the op {op_words(op)}"
        if started:
            what += " after it had started"
        if "value" in box:
            close(box["value"])
            raise CheckFailure(f"{what} returned {short(box['value'], 60)}; expected "
                               f"CancelledError in the caller")  # fmt: skip
        if "error" in box and not len(tool.log):
            return  # the op never ran: a refused shape is executor.op_shapes' finding
        if "error" in box:
            raise CheckFailure(
                f"{what} raised {type(box['error']).__name__}: {short(str(box['error']), 80)}; "
                f"expected asyncio.CancelledError itself, not wrapped"
            )
        if box.get("pending"):
            raise CheckFailure(
                f"{what} raised CancelledError, but the op's coroutine was not cancelled: its "
                f"finally block had not run 0.5 s later"
            )

    ctx.property(
        body,
        {"op": probe_ops(shapes=_ASYNC_CAPABLE, is_async=True, results=st.just(None)),
         "p": params(max_size=2), "started": st.booleans()},
        max_examples=max(4, ctx.max_examples // 4),
        examples=({"op": ProbeOp("run", "method", True), "p": {}, "started": True},),
    )  # fmt: skip


_tokens = itertools.count()


@implements("executor.contextvars", uses=_BOTH)
def contextvars_visible(ctx: Context) -> None:
    """A ContextVar the caller set is visible inside the op (async, and sync off the loop)."""
    executor = ctx.build()

    def body(tool: ShapedTool) -> None:
        for op in tool.ops.values():
            token = f"caller-token-{next(_tokens)}"
            since = len(tool.log)

            async def go(name: str = op.name, value: str = token) -> Any:
                PROBE_VAR.set(value)
                return await executor.execute_async(tool.tool, name)

            close(ctx.run_async(go))
            seen = [c.extra.get("var") for c in tool.log.snapshot()[since:]]
            if seen != [token]:
                raise CheckFailure(
                    f"the op {op_words(op)} saw {short(seen[0] if seen else '<no call>', 60)} "
                    f"for a ContextVar the caller of execute_async set to {token!r}; run it in "
                    f"the caller's context (asyncio.to_thread / contextvars.copy_context)"
                )

    ctx.property(body, {"tool": probe_tools(ops=probe_ops(results=st.just(0)), max_ops=3)},
                 max_examples=max(4, ctx.max_examples // 4))  # fmt: skip
