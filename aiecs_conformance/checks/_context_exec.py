"""context.*: ``async with executor as e: await e.execute_in_context("tool.op", **p)``.

The harness is ``factory(tools)``; the tools are scripted (results from `op_results`,
failures from `op_failures`) and record every call, so "calls nothing" is observable.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, first_line, short
from .._outcomes import op_failures, op_results
from .._probes import STRAY
from ..strategies import MALFORMED_OPERATIONS, params
from . import implements
from ._ext_probes import ScriptedTool, alike, propagated, same_params, same_result

_ENTER = ("__aenter__", "__aexit__", "execute_in_context")
_RESERVED = frozenset({"operation", "self"})


def _tools() -> dict[str, ScriptedTool]:
    return {"t": ScriptedTool("t"), "other": ScriptedTool("other")}


def _calls(tools: dict[str, ScriptedTool]) -> list[str]:
    return [f"{name}.{a.op}" for name, tool in tools.items() for a in tool.calls()]


def _params() -> st.SearchStrategy[dict[str, Any]]:
    return params(max_size=3).map(lambda p: {k: v for k, v in p.items() if k not in _RESERVED})


@implements("context.result", uses=_ENTER)
def result(ctx: Context) -> None:
    """Inside the context, ``execute_in_context`` returns what the op returns or raises."""

    def body(
        p: dict[str, Any], value: Any, is_async: bool, tool_name: str, fails: bool,
        data: st.DataObject,
    ) -> None:  # fmt: skip
        tools = _tools()
        executor = ctx.build(tools)
        op = "aop" if is_async else "op"
        spec = f"{tool_name}.{op}"
        failure = data.draw(op_failures(), label="failure") if fails else None
        tools[tool_name].script(op, [failure] if failure is not None else [], value)
        watch = ctx.watch(f"execute_in_context({spec!r}, **p)", p=p)

        async def go() -> tuple[Any, BaseException | None]:
            async with executor as entered:
                if entered is None:
                    raise CheckFailure(
                        "`async with executor as e` bound e to None: __aenter__ must return "
                        "the executor (or an object with execute_in_context)"
                    )
                try:
                    return await entered.execute_in_context(spec, **p), None
                except Exception as exc:
                    return None, exc

        got, exc = ctx.run_async(go)
        watch.verify()
        calls = tools[tool_name].calls(op)
        if len(calls) != 1 or _calls(tools) != [f"{tool_name}.{op}"]:
            raise CheckFailure(
                f"execute_in_context({spec!r}) made the calls {_calls(tools)!r}; expected one "
                f"call of {tool_name}.{op}"
            )
        problem = same_params(calls[0].params, watch.before["p"])
        if problem:
            raise CheckFailure(f"execute_in_context({spec!r}, **p): {problem}")
        if failure is not None:
            if exc is None or not propagated(exc, failure):
                raise CheckFailure(
                    f"execute_in_context({spec!r}) "
                    + (f"raised {first_line(exc)}" if exc else f"returned {short(got, 60)}")
                    + f"; the op raised {first_line(failure)}, which must reach the caller "
                    f"(itself or as a cause)"
                )
        elif exc is not None:
            raise CheckFailure(f"execute_in_context({spec!r}) raised {first_line(exc)}")
        elif not same_result(got, value):
            raise CheckFailure(
                f"execute_in_context({spec!r}) returned {short(got, 80)}; the op returned "
                f"{short(value, 80)}"
            )

    ctx.property(
        body,
        {
            "p": _params(),
            "value": op_results(),
            "is_async": st.booleans(),
            "tool_name": st.sampled_from(["t", "other"]),
            "fails": st.booleans(),
            "data": st.data(),
        },
    )


_PRIVATE = ("t._secret", "t._x", "t.__class__", "t.__init__", "t.__dict__", "other._secret")
_UNKNOWN = ("t.no_such_op", "nobody.op", "T.op", "t.Op", "t.op_", " t.op", "t.op ")


@implements("context.refusals", uses=_ENTER)
def refusals(ctx: Context) -> None:
    """A malformed, private or unknown spec raises and calls nothing."""

    def body(spec: object) -> None:
        tools = _tools()
        if isinstance(spec, str):  # the op part of the spec, looked up anyway, is a lure
            for tool in tools.values():
                tool.lure([spec.partition(".")[2]])
        executor = ctx.build(tools)
        stray = len(STRAY)

        async def go() -> tuple[Any, BaseException | None]:
            async with executor as entered:
                try:
                    return await entered.execute_in_context(spec), None
                except Exception as exc:
                    return None, exc

        got, exc = ctx.run_async(go)
        calls = _calls(tools) + [f"{c.tool}.{c.op}" for c in STRAY.snapshot()[stray:]]
        if calls:
            raise CheckFailure(
                f"execute_in_context({spec!r}) called {', '.join(calls)}; a malformed, private "
                f"or unknown spec must be refused before anything runs"
            )
        if exc is None:
            raise CheckFailure(
                f"execute_in_context({spec!r}) returned {short(got, 60)} instead of raising"
            )

    ctx.property(
        body,
        {"spec": st.sampled_from([*MALFORMED_OPERATIONS, *_PRIVATE, *_UNKNOWN])},
        max_examples=max(10, ctx.max_examples),
    )


@implements("context.exceptions", uses=_ENTER)
def exceptions(ctx: Context) -> None:
    """An exception raised inside the ``async with`` body propagates out unchanged."""

    def body(failure: Exception, use_first: bool) -> None:
        executor = ctx.build(_tools())

        async def go() -> BaseException | None:
            try:
                async with executor as entered:
                    if use_first:  # its own outcome is context.result's business
                        with contextlib.suppress(Exception):
                            await entered.execute_in_context("t.aop")
                    raise failure
            except Exception as exc:
                return exc
            return None

        got = ctx.run_async(go)
        if got is None:
            raise CheckFailure(
                f"{first_line(failure)} raised inside `async with executor:` did not come out "
                f"of it: __aexit__ swallowed it (it returned a true value)"
            )
        if got is not failure:
            raise CheckFailure(
                f"{first_line(failure)} raised inside `async with executor:` came out as "
                f"{first_line(got)}"
                + (" (a copy)" if alike(got, failure) else "")
                + "; __aexit__ must let the body's exception propagate unchanged"
            )

    ctx.property(body, {"failure": op_failures(), "use_first": st.booleans()})


@implements("context.closed", uses=_ENTER)
def closed(ctx: Context) -> None:
    """``execute_in_context`` before entering or after leaving raises and calls nothing."""

    def body(when: str, is_async: bool) -> None:
        tools = _tools()
        executor = ctx.build(tools)
        spec = "t.aop" if is_async else "t.op"

        async def go() -> tuple[Any, BaseException | None]:
            if when == "after":
                async with executor:
                    pass
                tools["t"].attempts.clear()
            try:
                return await executor.execute_in_context(spec, n=1), None
            except Exception as exc:
                return None, exc

        got, exc = ctx.run_async(go)
        moment = "before `async with`" if when == "before" else "after leaving `async with`"
        if _calls(tools):
            raise CheckFailure(
                f"execute_in_context({spec!r}) {moment} called {', '.join(_calls(tools))}; "
                f"outside the context it must raise a clear error and call nothing"
            )
        if exc is None:
            raise CheckFailure(
                f"execute_in_context({spec!r}) {moment} returned {short(got, 60)}; it must "
                f"raise a clear error"
            )

    ctx.property(
        body, {"when": st.sampled_from(["before", "after"]), "is_async": st.booleans()},
        max_examples=4,
    )  # fmt: skip


def _foreign(name: str) -> bool:
    # The loop's default executor (asyncio.to_thread) is not the executor's own pool.
    return name.startswith("asyncio_")


@implements("context.cleanup", uses=_ENTER)
def cleanup(ctx: Context) -> None:
    """After the context exits, none of the executor's tasks or pool threads still runs."""

    def body(work: list[tuple[bool, int]]) -> None:
        tools = _tools()
        for is_async, ms in work:
            tools["t"].script("aop" if is_async else "op", (), "ok", ms / 1000)
        executor = ctx.build(tools)

        async def go() -> tuple[list[str], list[str]]:
            threads_before = {t.ident for t in threading.enumerate()}
            me = asyncio.current_task()
            tasks_before = asyncio.all_tasks()
            async with executor as entered:
                await asyncio.gather(
                    *(entered.execute_in_context("t.aop" if a else "t.op", k=i)
                      for i, (a, _) in enumerate(work)),
                    return_exceptions=True,  # results are context.result's business
                )  # fmt: skip
            left: list[str] = []
            threads: list[str] = []
            for _ in range(20):  # a pool shut down without waiting gets 1 s to stop
                left = [
                    repr(t.get_coro())
                    for t in asyncio.all_tasks() - tasks_before
                    if t is not me and not t.done()
                ]
                threads = [
                    t.name
                    for t in threading.enumerate()
                    if t.ident not in threads_before and t.is_alive() and not _foreign(t.name)
                ]
                if not left and not threads:
                    break
                await asyncio.sleep(0.05)
            return left, threads

        left, threads = ctx.run_async(go)
        if left:
            raise CheckFailure(
                f"after `async with executor:` exited, {len(left)} task(s) it created still "
                f"run: {short(left, 160)}; cancel and await them in __aexit__"
            )
        if threads:
            raise CheckFailure(
                f"after `async with executor:` exited, thread(s) {short(threads, 160)} it "
                f"started still run; shut its pool down in __aexit__"
            )

    ctx.property(
        body,
        {"work": st.lists(st.tuples(st.booleans(), st.integers(0, 20)), min_size=1, max_size=6)},
        max_examples=max(3, ctx.max_examples // 5),
    )
