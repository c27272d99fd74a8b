"""executor.*: results, params passthrough, errors, private ops, blocking, isolation."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

from hypothesis import strategies as st

from aiecs_contracts import OperationFailedError

from .._context import CheckFailure, Context, first_line, short
from .._probes import STRAY, CallLog, ProbeError, ProbeTool, expected
from ..strategies import params
from . import implements

_SYNC = ("execute",)
_ASYNC = ("execute_async",)
_BOTH = ("execute", "execute_async")

_NASTY: dict[str, Any] = {
    "query": "SELECT * FROM users; DROP TABLE users; --",
    "quote": "' OR '1'='1",
    "nul": "a\x00b",
    "empty": "",
    "none": None,
    "zero": 0,
}


def _probe() -> tuple[ProbeTool, CallLog]:
    log = CallLog()
    return ProbeTool("tool", log), log


def _call_sync(executor: Any, tool: Any, op: str, p: dict[str, Any]) -> Any:
    return executor.execute(tool, op, **p)


def _call_async(ctx: Context, executor: Any, tool: Any, op: str, p: dict[str, Any]) -> Any:
    async def go() -> Any:
        return await executor.execute_async(tool, op, **p)

    return ctx.run_async(go)


def _close(value: Any) -> None:
    if inspect.iscoroutine(value):
        value.close()  # no "never awaited" warning for a leak we already report


@implements("executor.sync.result", uses=_SYNC)
def sync_result(ctx: Context) -> None:
    """``execute`` returns exactly what the op returns."""
    executor = ctx.build()

    def body(p: dict[str, Any]) -> None:
        tool, _ = _probe()
        got = _call_sync(executor, tool, "echo", p)
        want = expected("tool", "echo", p)
        if got != want:
            _close(got)
            raise CheckFailure(
                f"execute returned {short(got, 80)}; the op returned {short(want, 80)}"
            )

    ctx.property(body, {"p": params()}, examples=({"p": {}}, {"p": _NASTY}))


@implements("executor.async.result", uses=_ASYNC)
def async_result(ctx: Context) -> None:
    """``await execute_async`` returns the result of async and of plain ops."""
    executor = ctx.build()

    def body(p: dict[str, Any], op: str) -> None:
        tool, _ = _probe()
        got = _call_async(ctx, executor, tool, op, p)
        want = expected("tool", op, p)
        if got != want:
            _close(got)
            raise CheckFailure(
                f"await execute_async(tool, {op!r}, ...) returned {short(got, 80)}; the op "
                f"returned {short(want, 80)}"
            )

    ctx.property(
        body, {"p": params(), "op": st.sampled_from(["aecho", "echo"])},
        examples=({"p": {}, "op": "aecho"}, {"p": {}, "op": "echo"}),
    )  # fmt: skip


def _same_params(got: dict[str, Any], sent: dict[str, Any]) -> str | None:
    if set(got) != set(sent):
        added = sorted(set(got) - set(sent))
        dropped = sorted(set(sent) - set(got))
        return f"the op received keys {sorted(got)!r}; added {added!r}, dropped {dropped!r}"
    for k, v in sent.items():
        if type(got[k]) is not type(v) or got[k] != v:
            return f"param {k!r} arrived as {short(got[k], 60)}, sent {short(v, 60)}"
    return None


@implements("executor.params.passthrough", uses=_BOTH)
def params_passthrough(ctx: Context) -> None:
    """The op receives exactly the params sent, by both paths."""
    executor = ctx.build()

    def body(p: dict[str, Any], use_async: bool) -> None:
        tool, log = _probe()
        if use_async:
            _close(_call_async(ctx, executor, tool, "aecho", p))
        else:
            _close(_call_sync(executor, tool, "echo", p))
        calls = log.snapshot()
        if len(calls) != 1:
            raise CheckFailure(f"the op was called {len(calls)} times, expected once")
        problem = _same_params(calls[0].params, p)
        if problem:
            raise CheckFailure(problem)

    ctx.property(
        body, {"p": params(), "use_async": st.booleans()},
        examples=({"p": _NASTY, "use_async": False}, {"p": _NASTY, "use_async": True}),
    )  # fmt: skip


def _raised(
    ctx: Context, executor: Any, op: str, use_async: bool
) -> tuple[Any, BaseException | None]:
    tool, _ = _probe()
    try:
        if use_async:
            return _call_async(ctx, executor, tool, op, {"n": 1}), None
        return _call_sync(executor, tool, op, {"n": 1}), None
    except CheckFailure:
        raise
    except Exception as exc:
        return None, exc


def _chain(exc: BaseException | None) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


@implements("executor.errors.propagate", uses=_BOTH)
def errors_propagate(ctx: Context) -> None:
    """An op's exception reaches the caller, unwrapped or with ``__cause__`` set."""
    executor = ctx.build()
    for op, use_async in (("fail", False), ("afail", True), ("fail", True)):
        how = "await execute_async" if use_async else "execute"
        value, exc = _raised(ctx, executor, op, use_async)
        if exc is None:
            _close(value)
            raise CheckFailure(
                f"{how}(tool, {op!r}) returned {short(value, 80)} although the op raised "
                f"ProbeError; the exception must reach the caller"
            )
        if not any(isinstance(e, ProbeError) for e in _chain(exc)):
            raise CheckFailure(
                f"{how}(tool, {op!r}) raised {first_line(exc)}, which does not carry the op's "
                f"ProbeError (neither the error itself nor its __cause__)"
            )


@implements("executor.errors.typed", uses=_BOTH)
def errors_typed(ctx: Context) -> None:
    """The raised exception is an OperationFailedError caused by the op's exception."""
    executor = ctx.build()
    for op, use_async in (("fail", False), ("afail", True)):
        how = "await execute_async" if use_async else "execute"
        value, exc = _raised(ctx, executor, op, use_async)
        _close(value)
        typed = isinstance(exc, OperationFailedError) or (
            exc is not None and type(exc).__name__ == "OperationFailedError"
        )
        if not typed or not isinstance(exc.__cause__, ProbeError):  # type: ignore[union-attr]
            raise CheckFailure(
                f"{how}(tool, {op!r}) raised {first_line(exc) if exc else 'nothing'} with "
                f"__cause__ {short(getattr(exc, '__cause__', None), 60)}; expected "
                f"OperationFailedError from the op's ProbeError"
            )


def _refuses(ctx: Context, names: list[str], what: str) -> None:
    executor = ctx.build()
    for name in names:
        for use_async in (False, True):
            tool, log = _probe()
            stray = len(STRAY)
            how = "await execute_async" if use_async else "execute"
            value, exc = _raised_on(ctx, executor, tool, name, use_async)
            _close(value)
            calls = [c.op for c in log.snapshot()] + [
                f"{c.tool}.{c.op}" for c in STRAY.snapshot()[stray:]
            ]
            if calls:
                raise CheckFailure(
                    f"{how}(tool, {name!r}) called {', '.join(calls)} on the probe; {what} "
                    f"must be refused before anything runs"
                )
            if exc is None:
                raise CheckFailure(
                    f"{how}(tool, {name!r}) returned {short(value, 60)} instead of raising; "
                    f"{what} must be refused"
                )


def _raised_on(
    ctx: Context, executor: Any, tool: Any, op: str, use_async: bool
) -> tuple[Any, BaseException | None]:
    try:
        if use_async:
            return _call_async(ctx, executor, tool, op, {}), None
        return _call_sync(executor, tool, op, {}), None
    except CheckFailure:
        raise
    except Exception as exc:
        return None, exc


@implements("executor.unknown_op", uses=_BOTH)
def unknown_op(ctx: Context) -> None:
    """An op the tool lacks raises; nothing is called."""
    _refuses(ctx, ["no_such_op", "Echo", "echo_", "log"], "an op the tool lacks")


@implements("executor.private_refused", uses=_BOTH)
def private_refused(ctx: Context) -> None:
    """Private and non-identifier op names raise; the probe records no call."""
    names = ["_secret", "_x", "__class__", "__init__", "__reduce__", "a.b", "op()", "", "_"]
    _refuses(ctx, names, "a private or non-identifier op name")


@implements("executor.sync.no_coroutine_leak", uses=_SYNC)
def no_coroutine_leak(ctx: Context) -> None:
    """``execute`` on an async op returns the awaited result or raises; never a coroutine."""
    executor = ctx.build()
    tool, _ = _probe()
    p = {"n": 1}
    try:
        got = _call_sync(executor, tool, "aecho", p)
    except Exception:
        return  # a clear error is allowed
    if inspect.isawaitable(got):
        _close(got)
        raise CheckFailure(
            f"execute(tool, 'aecho') on an async def op returned a {type(got).__name__} "
            f"object; return the awaited result, or raise a clear error"
        )
    if got != expected("tool", "aecho", p):
        raise CheckFailure(f"execute(tool, 'aecho') returned {short(got, 80)}, not the op's result")


@implements("executor.async.nonblocking", uses=_ASYNC)
def nonblocking(ctx: Context) -> None:
    """A blocking sync op under ``execute_async`` does not stall other coroutines."""
    executor = ctx.build()
    tool, _ = _probe()

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


@implements("executor.isolation.tools", uses=_BOTH)
def isolation_tools(ctx: Context) -> None:
    """Two tools with the same op and params each get their own result."""
    executor = ctx.build()

    def body(p: dict[str, Any]) -> None:
        log = CallLog()
        a, b = ProbeTool("tool_a", log), ProbeTool("tool_b", log)
        for round_ in range(2):
            for tool in (a, b):
                for use_async in (False, True):
                    op = "aecho" if use_async else "echo"
                    got = (
                        _call_async(ctx, executor, tool, op, p)
                        if use_async
                        else _call_sync(executor, tool, op, p)
                    )
                    want = expected(tool.name, op, p)
                    if got != want:
                        raise CheckFailure(
                            f"call {round_ + 1} on {tool.name} ({op}) returned {short(got, 80)}; "
                            f"expected {tool.name}'s own result"
                        )

    ctx.property(body, {"p": params(max_size=2)}, examples=({"p": {"x": 1}},),
                 max_examples=max(5, ctx.max_examples // 3))  # fmt: skip


@implements("executor.concurrency", uses=_ASYNC)
def concurrency(ctx: Context) -> None:
    """50 concurrent ``execute_async`` calls with distinct params get their own results."""
    executor = ctx.build()
    tool, _ = _probe()

    async def go() -> list[Any]:
        return list(
            await asyncio.gather(
                *(executor.execute_async(tool, "nap", ms=(i * 7) % 11, i=i) for i in range(50))
            )
        )

    started = time.perf_counter()
    results = ctx.run_async(go)
    del started
    for i, got in enumerate(results):
        want = expected("tool", "nap", {"ms": (i * 7) % 11, "i": i})
        if got != want:
            raise CheckFailure(
                f"concurrent call {i} (params i={i}) got {short(got, 80)}, not its own result",
                "50 x execute_async(tool, 'nap', ms=..., i=i) under asyncio.gather",
            )
