"""Scripted probe tasks for the engine checks: any parameter names, sync or async.

The contract calls a task as ``task(input_data, context)``: positionally, whatever its
parameters are named. `tasks()` draws tasks whose two parameters have generated names
(sometimes ``context, input_data`` — swapped, so a call by keyword passes the wrong value
to each — sometimes positional-only), ``def`` or ``async def``, that record the arguments
they receive and then return a value drawn from `op_results()` or raise one drawn from
`op_failures()`.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import keyword
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ._probes import Call, CallLog
from ._scripted import Outcome, op_names, outcomes, tool_names

__all__ = ["TaskScript", "build_tasks", "task_names", "task_parameters", "tasks"]


@dataclass(frozen=True)
class TaskScript:
    """One task: its name, its two parameter names, sync or async, what a call does."""

    name: str
    parameters: tuple[str, str]
    positional_only: bool
    is_async: bool
    seconds: float
    outcome: Outcome

    @property
    def signature(self) -> str:
        """The task's parameter list as written in its ``def``."""
        a, b = self.parameters
        return f"({a}, {b}, /)" if self.positional_only else f"({a}, {b})"


@functools.cache
def task_names() -> st.SearchStrategy[str]:
    """Task names: identifiers, lower or mixed case."""
    return op_names()


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


@functools.cache
def task_parameters() -> st.SearchStrategy[tuple[str, str]]:
    """Two distinct parameter names; never the ``(input_data, context)`` of the Protocol."""
    generated = st.lists(
        tool_names().filter(_identifier),
        min_size=2, max_size=2, unique=True,
    ).map(lambda names: (names[0], names[1]))  # fmt: skip
    usual = st.sampled_from([("context", "input_data"), ("data", "ctx"), ("payload", "env")])
    return st.one_of(usual, generated).filter(lambda p: p != ("input_data", "context"))


@st.composite
def tasks(draw: st.DrawFn, *, failing: bool = True, name: str | None = None) -> TaskScript:
    """One scripted task (failing ones only when ``failing``)."""
    return TaskScript(
        name=name if name is not None else draw(task_names()),
        parameters=draw(task_parameters()),
        positional_only=draw(st.booleans()),
        is_async=draw(st.booleans()),
        seconds=draw(st.sampled_from([0.0, 0.0, 0.002])),
        outcome=draw(outcomes(failing)),
    )


def _snapshot(received: dict[str, Any]) -> dict[str, Any]:
    try:
        return copy.deepcopy(received)
    except Exception:  # an uncopyable value is compared as it is
        return received


def _function(script: TaskScript, log: CallLog) -> Callable[..., Any]:
    def begin(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Call:
        # What the task received, as it was at the call: an engine that changes the
        # caller's context *after* the task returned breaks rule (1), not this call.
        return log.record(script.name, "call", _snapshot({"args": args, "kwargs": kwargs}))

    def run(args: tuple[Any, ...]) -> Any:
        call = begin(args, {})
        time.sleep(script.seconds)
        return _finish(call, script.outcome)

    async def arun(args: tuple[Any, ...]) -> Any:
        call = begin(args, {})
        try:
            await asyncio.sleep(script.seconds)
        finally:
            call.end = time.perf_counter()
        return _finish(call, script.outcome)

    # The parameter names are generated identifiers (checked above), so the source is safe;
    # a real ``def`` is the only way to give a function arbitrary parameter names that
    # `inspect.signature` and the interpreter both honour.
    a, b = script.parameters
    head = "async def" if script.is_async else "def"
    body = f"await _arun(({a}, {b}))" if script.is_async else f"_run(({a}, {b}))"
    source = f"{head} task{script.signature}:\n    return {body}\n"
    namespace: dict[str, Any] = {"_run": run, "_arun": arun}
    exec(compile(source, f"<kit task {script.name}>", "exec"), namespace)
    function: Callable[..., Any] = namespace["task"]
    function.__name__ = function.__qualname__ = script.name
    return function


def _finish(call: Call, outcome: Outcome) -> Any:
    call.end = time.perf_counter()
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def build_tasks(scripts: list[TaskScript], log: CallLog) -> dict[str, Callable[..., Any]]:
    """The task table for the engine's factory: fresh functions recording into ``log``."""
    return {s.name: _function(s, log) for s in scripts}
