"""executor.*: results, op shapes, params passthrough, errors, unknown and private ops.

Every check draws its probe tools from `aiecs_conformance._shapes`: ops of every shape,
sync and async, with arbitrary names, drawn results and drawn failures, on a fresh class
per example. Expected values come from the drawn op and from the params' snapshot (rule 2).
"""

from __future__ import annotations

import inspect
import itertools
from typing import Any

from hypothesis import strategies as st

from aiecs_contracts import OperationFailedError

from .._context import CheckFailure, Context, first_line, short
from .._inputs import first_difference
from .._outcomes import FAILURE_CLASSES, CodedFailure
from .._probes import STRAY, plant_lures
from .._shapes import (
    ASYNC_ONLY_SHAPES,
    OP_SHAPES,
    Marker,
    ProbeOp,
    ShapedTool,
    build_tool,
    op_names,
    probe_ops,
    probe_tools,
)
from ..strategies import params
from . import implements
from ._exec_calls import (
    ASYNC,
    IN_LOOP,
    SYNC,
    call,
    chain_has,
    close,
    describe,
    how,
    op_words,
    same_failure,
)

_SYNC = ("execute",)
_ASYNC = ("execute_async",)
_BOTH = ("execute", "execute_async")

_NASTY: dict[str, Any] = {
    "query": "SELECT * FROM users; DROP TABLE users; --",
    "quote": "' OR '1'='1",
    "comment": "--",
    "semi": ";",
    "nul": "a\x00b",
    "empty": "",
    "padded": "  padded  ",
    "tabbed": "\ttab\n",
    "none": None,
    "zero": 0,
}

_SYNC_SHAPES = tuple(s for s in OP_SHAPES if s not in ASYNC_ONLY_SHAPES)


def _marked_ops(**kwargs: Any) -> st.SearchStrategy[ProbeOp]:
    return probe_ops(results=st.builds(Marker, st.text(max_size=4)), **kwargs)


def every_shape() -> ShapedTool:
    """One tool exposing every shape, sync and async: each seed tries them all."""
    ops: list[ProbeOp] = []
    for shape in OP_SHAPES:
        for asynchronous in (False, True):
            if shape in ASYNC_ONLY_SHAPES and not asynchronous:
                continue
            name = f"{'a' if asynchronous else 's'}_{shape}"
            ops.append(ProbeOp(name, shape, asynchronous, result=Marker(name)))
    return build_tool("tool", ops)


def _simple(asynchronous: bool) -> ShapedTool:
    return build_tool("tool", [ProbeOp("search", "method", asynchronous, result={"rows": []})])


def _delivered(got: object, result: object, calls: int) -> bool:
    """The op's very result when it ran for this call; an equal copy from a cache hit."""
    if got is result:
        return True
    return calls == 0 and first_difference(result, got) is None


def _refused(out_error: BaseException | None, calls: int) -> bool:
    # execute() on an async op may refuse with a clear error instead of running it
    # (executor.sync.no_coroutine_leak); a refusal runs nothing.
    return out_error is not None and calls == 0


def _expect_result(ctx: Context, executor: Any, shaped: ShapedTool, op: ProbeOp, p: dict[str, Any],
                   mode: str, row: str) -> None:  # fmt: skip
    since = len(shaped.log)
    out = call(ctx, executor, shaped.tool, op.name, p, mode)
    calls = len(shaped.log) - since
    # execute() may refuse an async op (no_coroutine_leak), but a plain callable that
    # returns an awaitable (op_shapes) it must run from plain code: it may refuse that only
    # where a loop already runs in the thread.
    may_refuse = mode == IN_LOOP or (mode == SYNC and op.shape not in ASYNC_ONLY_SHAPES)
    if op.is_async and may_refuse and _refused(out.error, calls):
        return
    # The very object the op returned; a caching executor answering without calling the op
    # serves an equal copy of what it stored (never another caller's object): equality then.
    if out.error is not None or not _delivered(out.value, op.result, calls):
        close(out.value)
        same = "" if out.error is not None or out.value != op.result else " (equal, not the same)"
        raise CheckFailure(
            f"{how(mode, op.name)} {describe(out)}{same}; the op {op_words(op)} returned "
            f"{short(op.result, 80)}, and {row} expects that very object"
        )


@implements("executor.sync.result", uses=_SYNC)
def sync_result(ctx: Context) -> None:
    """``execute`` returns exactly what a sync op returns, also inside a running loop."""
    executor = ctx.build()

    def body(tool: ShapedTool, p: dict[str, Any], in_loop: bool) -> None:
        for op in tool.ops.values():
            _expect_result(ctx, executor, tool, op, p, IN_LOOP if in_loop else SYNC, "execute")

    ctx.property(
        body,
        {"tool": probe_tools(ops=probe_ops(is_async=False, shapes=_SYNC_SHAPES), max_ops=3),
         "p": params(), "in_loop": st.booleans()},
        examples=({"tool": _simple(False), "p": _NASTY, "in_loop": False},),
    )  # fmt: skip


@implements("executor.async.result", uses=_ASYNC)
def async_result(ctx: Context) -> None:
    """``await execute_async`` returns the result of async and of plain ops."""
    executor = ctx.build()

    def body(tool: ShapedTool, p: dict[str, Any]) -> None:
        for op in tool.ops.values():
            _expect_result(ctx, executor, tool, op, p, ASYNC, "execute_async")

    ctx.property(body, {"tool": probe_tools(max_ops=3), "p": params()},
                 examples=({"tool": _simple(True), "p": _NASTY},))  # fmt: skip


@implements("executor.op_shapes", uses=_BOTH)
def op_shapes(ctx: Context) -> None:
    """Both methods run every shape an op can take, each call reaching the op once."""
    executor = ctx.build()

    def body(tool: ShapedTool, p: dict[str, Any]) -> None:
        for op in tool.ops.values():
            for mode in (SYNC, ASYNC):
                since = len(tool.log)
                out = call(ctx, executor, tool.tool, op.name, p, mode)
                calls = len(tool.log) - since
                # From plain code (no loop runs here) execute() may refuse an async def op
                # (no_coroutine_leak) but must run a plain callable returning an awaitable.
                refusable = mode == SYNC and op.is_async and op.shape not in ASYNC_ONLY_SHAPES
                if out.error is not None and not (refusable and calls == 0):
                    raise CheckFailure(
                        f"{how(mode, op.name)} {describe(out)} for the op {op_words(op)}; "
                        f"every public callable a tool exposes must run"
                    )
                # A caching executor may answer the second call without calling: only the
                # result is judged (one call per call is executor.params.passthrough's).
                if out.error is None and not _delivered(out.value, op.result, calls):
                    close(out.value)
                    raise CheckFailure(
                        f"{how(mode, op.name)} {describe(out)} for the op {op_words(op)}; "
                        f"expected its result {short(op.result, 60)}, that very object"
                    )

    ctx.property(
        body,
        {"tool": probe_tools(ops=_marked_ops(), max_ops=3), "p": params(max_size=2)},
        examples=({"tool": every_shape(), "p": {"x": 1}},),
    )  # fmt: skip


@implements("executor.params.passthrough", uses=_BOTH)
def params_passthrough(ctx: Context) -> None:
    """The op receives exactly the params sent, by both paths, for every shape."""
    executor = ctx.build()

    def body(tool: ShapedTool, p: dict[str, Any], use_async: bool) -> None:
        for op in tool.ops.values():
            mode = ASYNC if use_async else SYNC
            since = len(tool.log)
            out = call(ctx, executor, tool.tool, op.name, p, mode)
            close(out.value)
            got = tool.log.snapshot()[since:]
            if mode == SYNC and op.is_async and _refused(out.error, len(got)):
                continue
            if len(got) != 1:
                raise CheckFailure(
                    f"{how(mode, op.name)} called the op {op_words(op)} {len(got)} times, "
                    f"expected once"
                )
            problem = _same_params(got[0].params, out.before or {})
            if problem:
                raise CheckFailure(f"{how(mode, op.name)}: {problem}")

    ctx.property(
        body,
        {"tool": probe_tools(ops=_marked_ops(mutates=None), max_ops=2), "p": params(),
         "use_async": st.booleans()},
        examples=({"tool": every_shape(), "p": _NASTY, "use_async": False},
                  {"tool": every_shape(), "p": _NASTY, "use_async": True}),
    )  # fmt: skip


def _same_params(got: dict[str, Any], sent: dict[str, Any]) -> str | None:
    if set(got) != set(sent):
        added = sorted(set(got) - set(sent))
        dropped = sorted(set(sent) - set(got))
        return f"the op received keys {sorted(got)!r}; added {added!r}, dropped {dropped!r}"
    found = first_difference(sent, got)
    if found is not None:
        where, change = found
        key = where[0][1] if where else "?"
        return (
            f"param {key!r} arrived changed: {change} (sent {short(sent.get(key), 60)}); "
            f"params pass through unchanged"
        )
    return None


def _failing_ops() -> st.SearchStrategy[ProbeOp]:
    return probe_ops(fails=True)


def _failure_calls(tool: ShapedTool, in_loop: bool) -> list[tuple[ProbeOp, str]]:
    out: list[tuple[ProbeOp, str]] = []
    for op in tool.ops.values():
        out.append((op, ASYNC))
        out.append((op, IN_LOOP if in_loop and not op.is_async else SYNC))
    return out


@implements("executor.errors.propagate", uses=_BOTH)
def errors_propagate(ctx: Context) -> None:
    """An op's exception reaches the caller, unwrapped or as a ``__cause__``."""
    executor = ctx.build()

    def body(tool: ShapedTool, in_loop: bool) -> None:
        for op, mode in _failure_calls(tool, in_loop):
            since = len(tool.log)
            out = call(ctx, executor, tool.tool, op.name, {"n": 1}, mode)
            calls = len(tool.log) - since
            if mode == SYNC and op.is_async and _refused(out.error, calls):
                continue
            assert op.failure is not None
            if out.error is None:
                close(out.value)
                raise CheckFailure(
                    f"{how(mode, op.name)} returned {short(out.value, 80)} although the op "
                    f"{op_words(op)} raised {op.failure!r}; the exception must reach the caller"
                )
            if not chain_has(out.error, op.failure):
                context = (
                    " (the op's exception is only its __context__: raise ... from exc)"
                    if _in_context(out.error, op.failure)
                    else ""
                )
                raise CheckFailure(
                    f"{how(mode, op.name)} raised {first_line(out.error)}, which does not carry "
                    f"the op's {op.failure!r} (neither the error itself nor its __cause__)"
                    f"{context}"
                )

    ctx.property(body, {"tool": probe_tools(ops=_failing_ops(), max_ops=3),
                        "in_loop": st.booleans()},
                 examples=({"tool": every_failure(), "in_loop": False},))  # fmt: skip


def every_failure() -> ShapedTool:
    """One tool raising every failure class (with and without a message), in every shape."""
    failures: list[Exception] = [
        cls() if i % 2 else cls(f"{cls.__name__} on purpose")
        for i, cls in enumerate(FAILURE_CLASSES)
    ]
    failures.append(CodedFailure(3))
    ops: list[ProbeOp] = []
    for i, (failure, shape) in enumerate(zip(failures, itertools.cycle(OP_SHAPES), strict=False)):
        ops.append(ProbeOp(f"f{i}", shape, shape in ASYNC_ONLY_SHAPES or i % 3 == 0,
                           failure=failure))  # fmt: skip
    return build_tool("tool", ops)


def _in_context(exc: BaseException | None, target: BaseException) -> bool:
    seen: list[BaseException] = []
    while exc is not None and not any(exc is s for s in seen):
        if exc is target:
            return True
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return False


@implements("executor.errors.typed", uses=_BOTH)
def errors_typed(ctx: Context) -> None:
    """The raised exception is an OperationFailedError caused by the op's exception."""
    executor = ctx.build()

    def body(tool: ShapedTool) -> None:
        for op, mode in _failure_calls(tool, False):
            assert op.failure is not None
            since = len(tool.log)
            out = call(ctx, executor, tool.tool, op.name, {"n": 1}, mode)
            close(out.value)
            if mode == SYNC and op.is_async and _refused(out.error, len(tool.log) - since):
                continue
            exc = out.error
            typed = isinstance(exc, OperationFailedError) or (
                exc is not None and type(exc).__name__ == "OperationFailedError"
            )
            if not typed or exc is None or not same_failure(exc.__cause__, op.failure):
                raise CheckFailure(
                    f"{how(mode, op.name)} raised {first_line(exc) if exc else 'nothing'} with "
                    f"__cause__ {short(getattr(exc, '__cause__', None), 60)}; expected "
                    f"OperationFailedError from the op's {op.failure!r}"
                )

    ctx.property(body, {"tool": probe_tools(ops=_failing_ops(), max_ops=2)},
                 max_examples=max(5, ctx.max_examples // 2))  # fmt: skip


def _refuses(
    ctx: Context, executor: Any, tool: ShapedTool, names: dict[str, str], what: str
) -> None:
    for name, why in names.items():
        for mode in (SYNC, ASYNC):
            since, stray = len(tool.log), len(STRAY)
            out = call(ctx, executor, tool.tool, name, {}, mode)
            close(out.value)
            calls = [c.op for c in tool.log.snapshot()[since:]] + [
                f"{c.tool}.{c.op}" for c in STRAY.snapshot()[stray:]
            ]
            if calls:
                raise CheckFailure(
                    f"{how(mode, name)} called {', '.join(calls)} on the probe ({why}); {what} "
                    f"must be refused before anything runs"
                )
            if out.error is None:
                raise CheckFailure(
                    f"{how(mode, name)} returned {short(out.value, 60)} instead of raising "
                    f"({why}); {what} must be refused"
                )


def _neighbours(name: str) -> dict[str, str]:
    out = {
        name.swapcase(): f"the case-swapped form of the op {name!r}",
        name.upper(): f"the upper-case form of the op {name!r}",
        name.lower(): f"the lower-case form of the op {name!r}",
        name + "_": f"the op {name!r} with '_' appended",
        name + "s": f"the op {name!r} with 's' appended",
        name[:-1]: f"the op {name!r} without its last character",
    }
    return {k: v for k, v in out.items() if k and not k.startswith("_")}


@implements("executor.unknown_op", uses=_BOTH)
def unknown_op(ctx: Context) -> None:
    """An op the tool lacks raises; nothing is called."""
    executor = ctx.build()

    def body(tool: ShapedTool, others: list[str], data: str) -> None:
        names: dict[str, str] = {}
        for op in tool.ops:
            names.update(_neighbours(op))
        for other in others:
            names[other] = "a name the tool lacks"
        if data not in tool.ops:
            # A public attribute that is not callable is not an op.
            setattr(tool.tool, data, {"not": "callable"})
            names[data] = f"{data!r} is a public dict attribute of the tool, not a callable"
        missing = {n: why for n, why in names.items() if n not in tool.ops}
        _refuses(ctx, executor, tool, missing, "an op the tool lacks")

    ctx.property(
        body,
        {"tool": probe_tools(ops=_marked_ops(), max_ops=2),
         "others": st.lists(op_names(), max_size=2), "data": op_names()},
        max_examples=max(5, ctx.max_examples // 2),
    )  # fmt: skip


_PRIVATE = ("_secret", "_x", "__class__", "__init__", "__reduce__", "__reduce_ex__",
            "__getattribute__", "__dict__", "_")  # fmt: skip
_NOT_IDENTIFIERS = ("a.b", "op()", "", " ", "1op", "op-name", "op name")


def _private_names(op: str) -> dict[str, str]:
    return {
        f"_{op}": f"the private twin of the op {op!r}, which records any call",
        f"__{op}": f"a private name built on the op {op!r}",
        f"{op}()": f"the op {op!r} written as a call",
        f" {op}": f"the op {op!r} with a leading space",
        f"{op} ": f"the op {op!r} with a trailing space",
        f"{op}\n": f"the op {op!r} with a trailing newline",
        f"{op}.__self__._secret": f"a dotted path from the op {op!r} to a private method",
        f"{op}.__call__": f"a dotted path through the op {op!r}",
    }


@implements("executor.private_refused", uses=_BOTH)
def private_refused(ctx: Context) -> None:
    """Private and non-identifier op names raise; the probe records no call."""
    executor = ctx.build()
    fixed = {n: "a private name" for n in _PRIVATE}
    fixed.update({n: "not an identifier" for n in _NOT_IDENTIFIERS})

    def body(tool: ShapedTool) -> None:
        names = dict(fixed)
        for op in tool.ops:
            names.update(_private_names(op))
        # A callable under each refused name: an executor that looks the name up anyway
        # finds and calls it, instead of raising AttributeError and looking right.
        plant_lures(tool.tool, names, lambda name, p: tool.log.record(tool.name, name, p))
        _refuses(ctx, executor, tool, names, "a private or non-identifier op name")

    ctx.property(body, {"tool": probe_tools(ops=_marked_ops(), max_ops=2)},
                 max_examples=max(4, ctx.max_examples // 4))  # fmt: skip


@implements("executor.sync.no_coroutine_leak", uses=_SYNC)
def no_coroutine_leak(ctx: Context) -> None:
    """``execute`` on an async op returns the awaited result or raises; never a coroutine."""
    executor = ctx.build()

    def body(tool: ShapedTool, in_loop: bool) -> None:
        for op in tool.ops.values():
            mode = IN_LOOP if in_loop else SYNC
            out = call(ctx, executor, tool.tool, op.name, {"n": 1}, mode)
            if out.error is not None:
                continue  # a clear error is allowed
            if inspect.isawaitable(out.value):
                close(out.value)
                raise CheckFailure(
                    f"{how(mode, op.name)} on the op {op_words(op)} returned a "
                    f"{type(out.value).__name__} object; return the awaited result, or raise "
                    f"a clear error"
                )
            if out.value is not op.result:
                raise CheckFailure(
                    f"{how(mode, op.name)} returned {short(out.value, 80)}, not the op's result "
                    f"{short(op.result, 60)}"
                )

    ctx.property(
        body,
        {"tool": probe_tools(ops=probe_ops(is_async=True), max_ops=3), "in_loop": st.booleans()},
        max_examples=max(5, ctx.max_examples // 2),
    )  # fmt: skip


from . import _executor_flow  # noqa: E402  (registers the remaining executor.* checks)

del _executor_flow
