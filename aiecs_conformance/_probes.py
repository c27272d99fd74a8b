"""Probe tools and tasks that record every call: which op, with what params, and when.

Private methods (`_x`, `_secret`, a second `__init__`, `__reduce__`) record too, so "calls
nothing" is observable: a check compares the log before and after.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

__all__ = [
    "STRAY",
    "Call",
    "CallLog",
    "ProbeError",
    "ProbeTool",
    "expected",
    "make_tasks",
    "plant_lures",
]


@dataclass
class Call:
    """One recorded call: tool (or task) name, op, the params received, start and end."""

    tool: str
    op: str
    params: dict[str, Any]
    start: float = field(default_factory=time.perf_counter)
    end: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # pyright: ignore[reportUnknownVariableType]
    """What else the op saw: a context variable's value, whether its ``finally`` ran."""


class CallLog:
    """A thread-safe list of calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: list[Call] = []

    def record(self, tool: str, op: str, params: Mapping[str, Any]) -> Call:
        """Append a call and return it (so the caller can stamp its end)."""
        call = Call(tool, op, dict(params))
        with self._lock:
            self.calls.append(call)
        return call

    def snapshot(self) -> list[Call]:
        """Return a copy of the calls so far."""
        with self._lock:
            return list(self.calls)

    def __len__(self) -> int:
        with self._lock:
            return len(self.calls)


STRAY = CallLog()
"""Calls on probes that were never handed out: ``tool.__class__()`` builds one, and so on."""


class ProbeError(Exception):
    """The exception a failing probe op raises on purpose."""


def _lure(name: str, record: Callable[[str, dict[str, Any]], object]) -> Callable[..., str]:
    def lure(*args: Any, **params: Any) -> str:
        record(name, params)
        return f"the lure planted under {name!r} was called"

    return lure


def plant_lures(
    obj: object, names: Iterable[str], record: Callable[[str, dict[str, Any]], object]
) -> None:
    """Plant a recording callable in ``obj``'s own ``__dict__`` under each refused name.

    A name an executor must refuse (not an identifier, such as ``"op()"``, ``"a.b"``,
    ``" op"``, ``""``, or private, such as ``"_op"``) usually names nothing on the tool, so
    an executor that skips the refusal and looks the name up anyway still raises and looks
    correct. With a lure there, the lookup finds a callable, calling it records, and
    "calls nothing" catches the missing refusal. Public identifiers are left alone (an
    unknown one must stay unknown), and so are dunders (they live on the type).
    """
    space = getattr(obj, "__dict__", None)
    if not isinstance(space, dict):
        return
    own = cast("dict[str, Any]", space)
    for name in names:
        if name.isidentifier() and not name.startswith("_"):
            continue
        if name.startswith("__") and name.endswith("__") and len(name) > 4:
            continue
        if name in own or hasattr(type(obj), name):
            continue
        own[name] = _lure(name, record)


def expected(tool: str, op: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """What probe op ``tool.op(**params)`` returns, computed without calling it."""
    return {"tool": tool, "op": op, "params": dict(params)}


class ProbeTool:
    """A tool whose every op records its call; results echo the tool name and params."""

    barrier: asyncio.Barrier | None = None
    name: str
    log: CallLog

    def __init__(self, name: str = "stray", log: CallLog | None = None) -> None:
        if getattr(self, "_ready", False):
            self.log.record(self.name, "__init__", {"name": name})
            return
        self.name = name
        self.log = log if log is not None else STRAY
        if log is None:
            STRAY.record(name, "__init__", {})
        self._ready = True

    def __repr__(self) -> str:
        return f"ProbeTool({self.name!r})"

    def __reduce__(self) -> str | tuple[Any, ...]:
        self.log.record(self.name, "__reduce__", {})
        return (ProbeTool, (self.name,))

    # -- public ops ------------------------------------------------------------------

    def echo(self, **params: Any) -> dict[str, Any]:
        """Return what it received."""
        self.log.record(self.name, "echo", params).end = time.perf_counter()
        return expected(self.name, "echo", params)

    async def aecho(self, **params: Any) -> dict[str, Any]:
        """Return what it received, as a coroutine."""
        self.log.record(self.name, "aecho", params).end = time.perf_counter()
        return expected(self.name, "aecho", params)

    def fail(self, **params: Any) -> Any:
        """Raise `ProbeError`."""
        self.log.record(self.name, "fail", params).end = time.perf_counter()
        raise ProbeError(f"probe {self.name}.fail failed on purpose with {params!r}")

    async def afail(self, **params: Any) -> Any:
        """Raise `ProbeError`, as a coroutine."""
        self.log.record(self.name, "afail", params).end = time.perf_counter()
        raise ProbeError(f"probe {self.name}.afail failed on purpose with {params!r}")

    async def nap(self, ms: int = 0, **params: Any) -> dict[str, Any]:
        """Sleep ``ms`` milliseconds on the loop, then return what it received."""
        call = self.log.record(self.name, "nap", {"ms": ms, **params})
        try:
            await asyncio.sleep(ms / 1000)
        finally:
            call.end = time.perf_counter()
        return expected(self.name, "nap", {"ms": ms, **params})

    def snooze(self, ms: int = 0, **params: Any) -> dict[str, Any]:
        """Block the calling thread ``ms`` milliseconds, then return what it received."""
        call = self.log.record(self.name, "snooze", {"ms": ms, **params})
        time.sleep(ms / 1000)
        call.end = time.perf_counter()
        return expected(self.name, "snooze", {"ms": ms, **params})

    async def meet(self, **params: Any) -> dict[str, Any]:
        """Wait on the shared barrier: returns only once every party has arrived."""
        call = self.log.record(self.name, "meet", params)
        assert self.barrier is not None, "the check sets the barrier first"
        try:
            await self.barrier.wait()
        finally:
            call.end = time.perf_counter()
        return expected(self.name, "meet", params)

    # -- private: any call is a defect of the executor ----------------------------------

    def _x(self, **params: Any) -> str:
        self.log.record(self.name, "_x", params)
        return "private _x was called"

    def _secret(self, **params: Any) -> str:
        self.log.record(self.name, "_secret", params)
        return "private _secret was called"


def make_tasks(log: CallLog) -> dict[str, Callable[..., Any]]:
    """Tasks for the engine checks, called as ``task(input_data, context)``."""

    def echo_task(input_data: Any, context: Any) -> dict[str, Any]:
        log.record("echo_task", "call", {"input_data": input_data, "context": context})
        return {"task": "echo_task", "input_data": input_data, "context": context}

    async def aecho_task(input_data: Any, context: Any) -> dict[str, Any]:
        log.record("aecho_task", "call", {"input_data": input_data, "context": context})
        return {"task": "aecho_task", "input_data": input_data, "context": context}

    async def nap_task(input_data: Any, context: Any) -> dict[str, Any]:
        call = log.record("nap_task", "call", {"input_data": input_data, "context": context})
        await asyncio.sleep(float(input_data.get("ms", 0)) / 1000)
        call.end = time.perf_counter()
        return {"task": "nap_task", "input_data": input_data, "context": context}

    def fail_task(input_data: Any, context: Any) -> Any:
        log.record("fail_task", "call", {"input_data": input_data, "context": context})
        raise ProbeError(f"probe task fail_task failed on purpose with {input_data!r}")

    return {
        "echo_task": echo_task,
        "aecho_task": aecho_task,
        "nap_task": nap_task,
        "fail_task": fail_task,
    }
