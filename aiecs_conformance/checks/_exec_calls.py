"""Calling a tool executor the three ways a user does, with rule (1) around every call."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from .._context import CheckFailure, Context, first_line, short
from .._probes import STRAY, Call
from .._shapes import AwaitableBox, ProbeOp, ShapedTool

__all__ = [
    "MODES",
    "Outcome",
    "call",
    "chain_has",
    "close",
    "describe",
    "how",
    "op_words",
    "recorded",
    "same_failure",
]

SYNC, IN_LOOP, ASYNC = "sync", "in_loop", "async"
MODES = (SYNC, IN_LOOP, ASYNC)


def how(mode: str, op: str) -> str:
    """The call as the user writes it, for messages."""
    if mode == ASYNC:
        return f"await execute_async(tool, {op!r}, **p)"
    if mode == IN_LOOP:
        return f"execute(tool, {op!r}, **p) inside a running event loop"
    return f"execute(tool, {op!r}, **p)"


@dataclass
class Outcome:
    """What one call into the executor gave: a value or an exception, and the params sent."""

    value: Any = None
    error: BaseException | None = None
    before: dict[str, Any] | None = None
    """A deep copy of the params taken before the call (expected values come from it)."""


def close(value: object) -> None:
    """Close a leaked coroutine: no "never awaited" warning for a leak we already report."""
    if inspect.iscoroutine(value) or isinstance(value, AwaitableBox):
        value.close()


def call(ctx: Context, executor: Any, tool: Any, op: str, p: dict[str, Any], mode: str) -> Outcome:
    """Call ``op`` of ``tool`` through ``executor`` in ``mode``; watch ``p`` (rule 1)."""
    watch = ctx.watch(how(mode, op), p=p)
    out = Outcome(before=watch.before["p"])
    try:
        if mode == ASYNC:

            async def go() -> Any:
                return await executor.execute_async(tool, op, **p)

            out.value = ctx.run_async(go)
        elif mode == IN_LOOP:

            async def inside() -> Any:
                return executor.execute(tool, op, **p)

            out.value = ctx.run_async(inside)
        else:
            out.value = executor.execute(tool, op, **p)
    except CheckFailure:
        raise
    except Exception as exc:
        out.error = exc
    watch.verify()
    return out


def recorded(shaped: ShapedTool, since: int = 0, stray: int | None = None) -> list[Call]:
    """The calls the tool's ops (and stray probes) recorded after the given counts."""
    calls = shaped.log.snapshot()[since:]
    if stray is not None:
        calls += STRAY.snapshot()[stray:]
    return calls


def same_failure(exc: BaseException | None, target: BaseException) -> bool:
    """Whether ``exc`` is ``target``, or the copy asyncio makes of it in transit.

    ``asyncio.to_thread`` / ``run_in_executor`` re-create a ``TimeoutError`` raised in the
    worker thread (``asyncio.futures._convert_future_exc``): same type, same args, new
    object. That copy is the op's exception as far as the caller can tell.
    """
    if exc is target:
        return True
    return (
        exc is not None
        and type(exc) is type(target)
        and exc.args == target.args
        and (isinstance(target, TimeoutError))
    )


def chain_has(exc: BaseException | None, target: BaseException) -> bool:
    """Whether ``exc`` is ``target`` or carries it through ``__cause__`` links only."""
    seen: list[BaseException] = []
    while exc is not None and not any(exc is s for s in seen):
        if same_failure(exc, target):
            return True
        seen.append(exc)
        exc = exc.__cause__
    return False


def describe(out: Outcome) -> str:
    """``returned X`` or ``raised T: message``."""
    if out.error is not None:
        return f"raised {first_line(out.error)}"
    return f"returned {short(out.value, 80)}"


def op_words(op: ProbeOp) -> str:
    """The op as a message names it: ``'fetch' (an async staticmethod)``."""
    return (
        f"{op.name!r} (an {op.how} op)" if op.how[0] in "aeiou" else f"{op.name!r} (a {op.how} op)"
    )
