"""Probe tools built from every shape an op can take, as hypothesis strategies.

A tool can expose an operation under a name in many ways (the contract,
``executor.op_shapes``): a method defined on its class or inherited from a base or a mixin,
a ``staticmethod`` or ``classmethod``, an instance attribute holding a function, a bound
method of another object, a ``functools.partial``, a callable object, an ``async def``
behind a plain ``functools.wraps`` decorator, or a plain callable returning an awaitable
(a coroutine, or an awaitable object that is not one).
`probe_tools()` draws tools whose ops take any of these shapes (sync or ``async def``), with
arbitrary public names, each returning a drawn result (`op_results`) or raising a drawn
failure (`op_failures`). Every example gets a *fresh class*, so an executor that memoises
what it learnt per class (or per class and op name) cannot hide a shape behind an earlier
one. Every op records its call (params received, start and end, the value of `PROBE_VAR`,
whether its ``finally`` ran) in the tool's `CallLog`; the private probes (``_x``,
``_secret``, ``_<op>``, ``__reduce__``) record too, so "nothing was called" is observable.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import itertools
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._probes import CallLog

__all__ = [
    "ASYNC_ONLY_SHAPES",
    "AWAITABLE_OBJECT",
    "CLASS_LEVEL_SHAPES",
    "ECHO",
    "OP_SHAPES",
    "PROBE_VAR",
    "AwaitableBox",
    "Marker",
    "ProbeOp",
    "ShapedTool",
    "build_tool",
    "op_names",
    "op_shapes",
    "plain_decorator",
    "probe_ops",
    "probe_tools",
]

#: Every way a tool can expose an op under a name.
OP_SHAPES: tuple[str, ...] = (
    "method",
    "inherited",
    "mixin",
    "staticmethod",
    "classmethod",
    "attribute",
    "bound_other",
    "partial",
    "callable_object",
    "decorated",
    "returns_awaitable",
)

#: Opt-in, not drawn by default: a plain callable returning an awaitable that is not a
#: coroutine (a future-like object). The contract's ``executor.op_shapes`` says
#: "awaitable", but ``no_coroutine_leak`` speaks of coroutines and many correct executors
#: test ``inspect.iscoroutine``; pass ``shapes=(*OP_SHAPES, AWAITABLE_OBJECT)`` to try it.
AWAITABLE_OBJECT = "returns_awaitable_object"

#: Shapes that are always asynchronous: the call itself is plain and returns a coroutine.
ASYNC_ONLY_SHAPES = frozenset({"decorated", "returns_awaitable", AWAITABLE_OBJECT})

#: Shapes whose behaviour lives on the class, so two instances of one class share it.
CLASS_LEVEL_SHAPES = frozenset({"staticmethod", "classmethod"})

PROBE_VAR: contextvars.ContextVar[object] = contextvars.ContextVar("aiecs_probe_var")
"""A context variable every probe op reads and records (``executor.contextvars``)."""


class _Echo:
    def __repr__(self) -> str:
        return "ECHO"


ECHO: Any = _Echo()
"""A `ProbeOp.result` meaning "return ``{"op": name, "params": what was received}``"."""


class Marker:
    """A distinct result object: equal only to itself and its copies, so a mixed-up result
    shows while a cache that hands out a copy of the value it stored (never the caller's own
    object) still compares equal."""

    _made = itertools.count()

    def __init__(self, label: str) -> None:
        self.label = label
        self.token = next(Marker._made)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Marker) and (other.label, other.token) == (self.label, self.token)

    def __hash__(self) -> int:
        return hash((self.label, self.token))

    def __repr__(self) -> str:
        return f"Marker({self.label!r})"


@dataclass(eq=False)
class ProbeOp:
    """One op of a probe tool: its public name, shape, async-ness and outcome."""

    name: str
    shape: str
    is_async: bool
    result: Any = None
    failure: BaseException | None = None
    mutates: bool = False
    """After recording, the op changes its own params mapping (which must stay its own)."""
    hold: float = 0.0
    """Seconds an async op waits (until `release` is set) before finishing."""
    release: threading.Event = field(default_factory=threading.Event)

    def __repr__(self) -> str:
        kind = "async " if self.is_async else ""
        outcome = (
            f"raises {self.failure!r}" if self.failure is not None else f"returns {self.result!r}"
        )
        extra = ", mutates its params" if self.mutates else ""
        return f"{self.name}: {kind}{self.shape}, {outcome}{extra}"

    @property
    def how(self) -> str:
        """The shape in words, for messages."""
        return f"{'async ' if self.is_async else ''}{self.shape}"

    def outcome(self, params: Mapping[str, Any]) -> Any:
        """Return the result, or raise the failure (what every shape ends with)."""
        if self.failure is not None:
            raise self.failure
        if self.result is ECHO:
            return {"op": self.name, "params": dict(params)}
        return self.result


# -- the behaviour every shape shares --------------------------------------------------


def _run_sync(op: ProbeOp, log: CallLog, tool: str, params: dict[str, Any]) -> Any:
    call = log.record(tool, op.name, params)
    call.extra["var"] = PROBE_VAR.get(None)
    call.extra["thread"] = threading.get_ident()
    try:
        if op.mutates:
            params.clear()
            params["mutated_by_op"] = True
        return op.outcome(call.params)
    finally:
        call.end = time.perf_counter()
        call.extra["finally"] = True


async def _run_async(op: ProbeOp, log: CallLog, tool: str, params: dict[str, Any]) -> Any:
    call = log.record(tool, op.name, params)
    call.extra["var"] = PROBE_VAR.get(None)
    try:
        if op.mutates:
            params.clear()
            params["mutated_by_op"] = True
        await asyncio.sleep(0)  # a real suspension point, as real async ops have
        deadline = time.perf_counter() + op.hold
        while time.perf_counter() < deadline and not op.release.is_set():
            await asyncio.sleep(0.002)
        return op.outcome(call.params)
    finally:
        call.end = time.perf_counter()
        call.extra["finally"] = True


def _runner(op: ProbeOp, log: CallLog, tool: str) -> Callable[..., Any]:
    """A plain function or ``async def`` running ``op``; positional-only, any param names."""
    if op.is_async:

        async def arun(**params: Any) -> Any:
            return await _run_async(op, log, tool, params)

        return arun

    def run(**params: Any) -> Any:
        return _run_sync(op, log, tool, params)

    return run


# -- building a tool from its ops --------------------------------------------------------


class _PrivateProbes:
    """Private members that record any call: an executor must never reach them."""

    _probe_log: CallLog
    _probe_name: str

    def _x(self, **params: Any) -> str:
        self._probe_log.record(self._probe_name, "_x", params)
        return "private _x was called"

    def _secret(self, **params: Any) -> str:
        self._probe_log.record(self._probe_name, "_secret", params)
        return "private _secret was called"

    def __reduce__(self) -> str | tuple[Any, ...]:
        self._probe_log.record(self._probe_name, "__reduce__", {})
        return (object, ())

    def __repr__(self) -> str:
        return f"<probe tool {self._probe_name!r}>"


class _Other:
    """Another object whose bound method a tool exposes."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self._run = run

    def sync_handle(self, **params: Any) -> Any:
        return self._run(**params)

    async def async_handle(self, **params: Any) -> Any:
        return await self._run(**params)


class _SyncCallable:
    def __init__(self, run: Callable[..., Any]) -> None:
        self._run = run

    def __call__(self, **params: Any) -> Any:
        return self._run(**params)


class _AsyncCallable:
    def __init__(self, run: Callable[..., Any]) -> None:
        self._run = run

    async def __call__(self, **params: Any) -> Any:
        return await self._run(**params)


def plain_decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
    # A plain (sync) decorator, as users write them: the wrapper hands back whatever the
    # wrapped function returns, a coroutine for an ``async def``.
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def _partial_target(run: Callable[..., Any], /, **params: Any) -> Any:
    return run(**params)


async def _apartial_target(run: Callable[..., Any], /, **params: Any) -> Any:
    return await run(**params)


_serial = itertools.count(1)


def _method(name: str, is_async: bool) -> Callable[..., Any]:
    # Looks its op up on the instance, so two instances of one class behave apart.
    if is_async:

        async def amethod(self: Any, /, **params: Any) -> Any:
            return await self._probe_runs[name](**params)

        amethod.__name__ = name
        return amethod

    def method(self: Any, /, **params: Any) -> Any:
        return self._probe_runs[name](**params)

    method.__name__ = name
    return method


def _awaitable_method(name: str, boxed: bool = False) -> Callable[..., Any]:
    def method(self: Any, /, **params: Any) -> Any:
        run = self._probe_runs[name]
        if boxed:
            return AwaitableBox(lambda: run(**params))
        return run(**params)  # a coroutine, from a plain def

    return method


class AwaitableBox:
    """An awaitable that is not a coroutine (as futures and ORM query objects are).

    The op's coroutine is made only when the box is awaited, so a box an executor drops
    leaves no "never awaited" warning behind.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make

    def __await__(self) -> Any:
        return self._make().__await__()

    def close(self) -> None:
        """Nothing to close: the coroutine is made only on await."""

    def __repr__(self) -> str:
        return "<AwaitableBox: an awaitable that is not a coroutine>"


@dataclass(eq=False)
class ShapedTool:
    """A built probe tool: the object handed to the executor, its ops and its call log."""

    tool: Any
    name: str
    ops: dict[str, ProbeOp]
    log: CallLog
    cls: type

    def __repr__(self) -> str:
        return f"tool {self.name!r} ({'; '.join(repr(op) for op in self.ops.values())})"

    def twin(self, name: str, results: Callable[[ProbeOp], Any]) -> ShapedTool:
        """Another instance of the same class, its instance-level ops returning new results.

        Class-level shapes (static and class methods) are shared by construction, so they
        keep their op; every other op gets ``results(op)`` as its result.
        """
        ops = {
            n: op if op.shape in CLASS_LEVEL_SHAPES else replace(op, result=results(op))
            for n, op in self.ops.items()
        }
        return _instantiate(self.cls, name, ops, CallLog())


def _build_class(name: str, ops: Mapping[str, ProbeOp], log: CallLog) -> type:
    n = next(_serial)
    base_ns: dict[str, Any] = {}
    mixin_ns: dict[str, Any] = {}
    ns: dict[str, Any] = {"__module__": __name__}
    for op_name, op in ops.items():
        if op.shape == "method":
            ns[op_name] = _method(op_name, op.is_async)
        elif op.shape == "inherited":
            base_ns[op_name] = _method(op_name, op.is_async)
        elif op.shape == "mixin":
            mixin_ns[op_name] = _method(op_name, op.is_async)
        elif op.shape == "decorated":
            ns[op_name] = plain_decorator(_method(op_name, True))
        elif op.shape == "returns_awaitable":
            ns[op_name] = _awaitable_method(op_name)
        elif op.shape == "returns_awaitable_object":
            ns[op_name] = _awaitable_method(op_name, boxed=True)
        elif op.shape in CLASS_LEVEL_SHAPES:
            # Class-level behaviour, shared by every instance: it logs into the first's log.
            run = _runner(op, log, name)
            if op.shape == "staticmethod":
                ns[op_name] = staticmethod(_static(run, op.is_async))
            else:
                ns[op_name] = classmethod(_classmethod(run, op.is_async))
        # instance-level shapes are set on the instance by _instantiate
    base = type(f"ProbeBase{n}", (_PrivateProbes,), {"__module__": __name__, **base_ns})
    mixin = type(f"ProbeMixin{n}", (), {"__module__": __name__, **mixin_ns})
    return type(f"ProbeTool{n}", (mixin, base), ns)


def _static(run: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def astatic(**params: Any) -> Any:
            return await run(**params)

        return astatic

    def static(**params: Any) -> Any:
        return run(**params)

    return static


def _classmethod(run: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def aclassmethod(cls: type, /, **params: Any) -> Any:
            return await run(**params)

        return aclassmethod

    def cmethod(cls: type, /, **params: Any) -> Any:
        return run(**params)

    return cmethod


def _instantiate(cls: type, name: str, ops: dict[str, ProbeOp], log: CallLog) -> ShapedTool:
    tool: Any = cls()
    tool._probe_log = log
    tool._probe_name = name
    runs: dict[str, Callable[..., Any]] = {}
    for op_name, op in ops.items():
        if op.shape in CLASS_LEVEL_SHAPES:
            continue
        run = _runner(op, log, name)
        runs[op_name] = run
        if op.shape == "attribute":
            setattr(tool, op_name, run)
        elif op.shape == "bound_other":
            other = _Other(run)
            setattr(tool, op_name, other.async_handle if op.is_async else other.sync_handle)
        elif op.shape == "partial":
            target = _apartial_target if op.is_async else _partial_target
            setattr(tool, op_name, functools.partial(target, run))
        elif op.shape == "callable_object":
            setattr(tool, op_name, _AsyncCallable(run) if op.is_async else _SyncCallable(run))
    tool._probe_runs = runs
    # One private twin per op (``_<op>``): reaching it is reaching private code.
    for op_name in ops:
        setattr(tool, f"_{op_name}", _private_probe(log, name, f"_{op_name}"))
    return ShapedTool(tool, name, dict(ops), log, cls)


def _private_probe(log: CallLog, tool: str, name: str) -> Callable[..., Any]:
    def private(*args: Any, **params: Any) -> str:
        log.record(tool, name, params)
        return f"private {name} was called"

    return private


def build_tool(name: str, ops: list[ProbeOp]) -> ShapedTool:
    """A fresh class with ``ops`` in their shapes, and one instance of it."""
    by_name = {op.name: op for op in ops}
    log = CallLog()
    return _instantiate(_build_class(name, by_name, log), name, by_name, log)


# The strategies live beside the builders (imported last: they build on them).
from ._shape_draws import op_names, op_shapes, probe_ops, probe_tools  # noqa: E402
