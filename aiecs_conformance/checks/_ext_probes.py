"""Probes for the extension contracts: scripted ops that record every attempt.

A `ScriptedTool` op follows a script set by the check (raise these failures in turn, then
return this result, sleeping this long), records each attempt with its params and time,
and counts lookups of names the tool lacks, so "nothing was retried" and "nothing was
called" are observable. `tool_with_ops` builds a tool whose op names are generated.
"""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._context import short
from .._probes import plant_lures

__all__ = [
    "Attempt",
    "ScriptedTool",
    "alike",
    "as_dict",
    "carries",
    "chain",
    "execute_view",
    "propagated",
    "same_params",
    "same_result",
    "tool_with_ops",
]


@dataclass
class Attempt:
    """One call of a scripted op: which op, the params it received, when it started/ended."""

    op: str
    params: dict[str, Any]
    start: float = field(default_factory=time.perf_counter)
    end: float | None = None


@dataclass
class _Script:
    failures: list[BaseException]
    result: Any
    delay: float  # seconds the op takes, on the loop for async ops, blocking for sync ones


class ScriptedTool:
    """A tool with sync ops ``op``/``flaky`` and async ``aop``/``aflaky`` that follow scripts.

    ``script(op, failures, result)``: the first ``len(failures)`` attempts raise them in
    turn, later attempts return ``result``. An op without a script returns ``None``.
    """

    def __init__(self, name: str = "tool") -> None:
        self.name = name
        self.attempts: list[Attempt] = []
        self.lookups: dict[str, int] = {}
        self._scripts: dict[str, _Script] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<tool {self.name!r}>"

    def script(
        self,
        op: str,
        failures: Sequence[BaseException] = (),
        result: Any = None,
        delay: float = 0.0,
    ) -> None:
        """Set what the next attempts of ``op`` do."""
        self._scripts[op] = _Script(list(failures), result, delay)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the tool lacks: count them, so a retried refusal shows.
        if name.startswith("__") or name in ("_scripts", "_lock", "lookups", "attempts"):
            raise AttributeError(name)
        with self._lock:
            self.lookups[name] = self.lookups.get(name, 0) + 1
        raise AttributeError(f"{type(self).__name__} has no op {name!r}")

    def __deepcopy__(self, memo: dict[int, Any]) -> ScriptedTool:
        return self  # a tool is passed by reference, never compared as an input

    def lure(self, names: Iterable[str]) -> None:
        """Plant a recording callable under each refused name (see `plant_lures`)."""

        def record(op: str, params: dict[str, Any]) -> None:
            with self._lock:
                self.attempts.append(Attempt(op, _copy(params)))

        plant_lures(self, names, record)

    def calls(self, op: str | None = None) -> list[Attempt]:
        """The attempts so far (of ``op`` only, when given)."""
        with self._lock:
            return [a for a in self.attempts if op is None or a.op == op]

    def _begin(self, op: str, params: Mapping[str, Any]) -> tuple[Attempt, _Script]:
        attempt = Attempt(op, _copy(params))
        with self._lock:
            self.attempts.append(attempt)
            script = self._scripts.get(op) or _Script([], None, 0.0)
            failure = script.failures.pop(0) if script.failures else None
        if failure is not None:
            attempt.end = time.perf_counter()
            raise failure
        return attempt, script

    def _sync(self, op: str, params: Mapping[str, Any]) -> Any:
        attempt, script = self._begin(op, params)
        if script.delay:
            time.sleep(script.delay)
        attempt.end = time.perf_counter()
        return script.result

    async def _async(self, op: str, params: Mapping[str, Any]) -> Any:
        attempt, script = self._begin(op, params)
        if script.delay:
            await asyncio.sleep(script.delay)
        attempt.end = time.perf_counter()
        return script.result

    def op(self, **params: Any) -> Any:
        """A sync op."""
        return self._sync("op", params)

    async def aop(self, **params: Any) -> Any:
        """An async op."""
        return await self._async("aop", params)

    # -- private: any call is a defect -------------------------------------------------

    def _secret(self, **params: Any) -> Any:
        self._begin("_secret", params)
        return "private _secret was called"

    def _x(self, **params: Any) -> Any:
        self._begin("_x", params)
        return "private _x was called"


def _copy(params: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return copy.deepcopy(dict(params))
    except Exception:
        return dict(params)


def tool_with_ops(ops: Mapping[str, bool], name: str = "tool") -> ScriptedTool:
    """A `ScriptedTool` with one more op per name in ``ops`` (``True``: async def)."""
    namespace: dict[str, Any] = {}
    for op, is_async in ops.items():
        namespace[op] = _async_op(op) if is_async else _sync_op(op)
    cls: type[ScriptedTool] = type("GeneratedTool", (ScriptedTool,), namespace)
    return cls(name)


def _sync_op(op: str) -> Any:
    def run(self: ScriptedTool, **params: Any) -> Any:
        return self._sync(op, params)  # pyright: ignore[reportPrivateUsage]

    run.__name__ = op
    return run


def _async_op(op: str) -> Any:
    async def run(self: ScriptedTool, **params: Any) -> Any:
        return await self._async(op, params)  # pyright: ignore[reportPrivateUsage]

    run.__name__ = op
    return run


def same_result(got: object, want: object) -> bool:
    """Whether ``got`` is what the op returned (by identity, equality or, for NaN, repr)."""
    if got is want:
        return True
    try:
        if type(got) is type(want) and got == want:
            return True
    except Exception:
        pass
    return type(got) is type(want) and short(got, 10_000) == short(want, 10_000)


def same_params(got: Mapping[str, Any], sent: Mapping[str, Any]) -> str | None:
    """Describe how the params an op received differ from those sent, or ``None``."""
    if set(got) != set(sent):
        added = sorted(set(got) - set(sent))
        dropped = sorted(set(sent) - set(got))
        return f"the op received keys {sorted(got)!r}; added {added!r}, dropped {dropped!r}"
    for k, v in sent.items():
        if not same_result(got[k], v):
            return f"param {k!r} arrived as {short(got[k], 60)}, sent {short(v, 60)}"
    return None


def chain(exc: BaseException | None) -> list[BaseException]:
    """``exc`` and its causes/contexts, outermost first."""
    out: list[BaseException] = []
    while exc is not None and all(e is not exc for e in out):
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


def carries(raised: BaseException, failure: BaseException) -> bool:
    """Whether ``raised`` is ``failure`` (or an equal copy) or has it along ``__cause__``."""
    seen: list[BaseException] = []
    exc: BaseException | None = raised
    while exc is not None and all(e is not exc for e in seen):
        if alike(exc, failure):
            return True
        seen.append(exc)
        exc = exc.__cause__
    return False


def alike(a: BaseException, b: BaseException) -> bool:
    """Whether ``a`` is ``b`` or a copy of it (same type, message and args)."""
    return a is b or (type(a) is type(b) and str(a) == str(b) and a.args == b.args)


def propagated(raised: BaseException | None, failure: BaseException) -> bool:
    """``executor.errors.propagate``: the op's failure is the error or along its
    ``__cause__`` chain; carrying it only as ``__context__`` (the accident of a failing
    ``raise`` without ``from``) does not count as wrapping it."""
    return raised is not None and carries(raised, failure)


class _ExecuteView:
    """A target seen through its ``execute`` only, for the executor checks that call
    ``execute_async`` too: that path runs ``execute`` in a plain thread, no loop running."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __repr__(self) -> str:
        return repr(self._target)

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return self._target.execute(tool, operation_name, **params)

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        return await asyncio.to_thread(self._target.execute, tool, operation_name, **params)


def execute_view(target: Any) -> Any:
    """``target`` as an `IToolExecutor` whose two paths are both its sync ``execute``."""
    return _ExecuteView(target)


def as_dict(value: object) -> dict[Any, Any] | None:
    """``value`` if it is a dict (typed for the checks that read reports), else ``None``."""
    if isinstance(value, dict):
        typed: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return typed
    return None
