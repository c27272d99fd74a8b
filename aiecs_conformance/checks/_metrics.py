"""metrics.*: ``execute_with_metrics`` results and the ``get_performance_metrics`` report.

The report is the seed's ``{op: {"avg_time", "min_time", "max_time", "count"}}``, with
failures under ``"<op>_error"``. Op names are generated (public, without ``_error``); the
scripted ops measure their own durations, which the report's times are judged against.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from hypothesis import strategies as st

from .._context import CheckFailure, CheckSkip, Context, first_line, short
from .._outcomes import op_failures, op_results
from ..strategies import identifiers, params
from . import implements
from ._ext_probes import ScriptedTool, as_dict, propagated, same_params, same_result, tool_with_ops

_USES = ("execute_with_metrics",)
_RESERVED = frozenset({"tool", "operation_name", "self"})
_KEYS = ("avg_time", "min_time", "max_time", "count")
_TOOL_ATTRS = frozenset(dir(ScriptedTool)) | {"name", "attempts", "lookups"}

Call = tuple[int, bool]  # (index of the op, whether this call fails)


def _op_names() -> st.SearchStrategy[list[str]]:
    name = identifiers().filter(lambda n: "_error" not in n and n not in _TOOL_ATTRS)
    return st.lists(name, min_size=1, max_size=3, unique=True)


def _metered(ctx: Context, executor: Any, tool: Any, op: str, p: dict[str, Any]) -> Any:
    async def go() -> Any:
        return await executor.execute_with_metrics(tool, op, **p)

    return ctx.run_async(go)


def _timed(ctx: Context, executor: Any, tool: Any, op: str) -> tuple[BaseException | None, float]:
    """Call ``execute_with_metrics(tool, op)``; return what it raised and how long it took."""
    box: dict[str, float] = {}

    async def go() -> Any:
        started = time.perf_counter()
        try:
            return await executor.execute_with_metrics(tool, op)
        finally:
            box["took"] = time.perf_counter() - started

    try:
        ctx.run_async(go)
    except CheckFailure:
        raise
    except Exception as exc:
        return exc, box.get("took", 0.0)
    return None, box.get("took", 0.0)


def _outcome(
    ctx: Context, executor: Any, tool: Any, op: str, p: dict[str, Any]
) -> tuple[Any, BaseException | None]:
    try:
        return _metered(ctx, executor, tool, op, p), None
    except CheckFailure:
        raise
    except Exception as exc:
        return None, exc


@implements("metrics.result", uses=_USES)
def result(ctx: Context) -> None:
    """The op's result comes back, params arrive unchanged, the op's failure propagates."""
    executor = ctx.build()

    def body(
        p: dict[str, Any], value: Any, is_async: bool, fails: bool, data: st.DataObject
    ) -> None:
        tool, op = ScriptedTool(), "aop" if is_async else "op"
        failure = data.draw(op_failures(), label="failure") if fails else None
        tool.script(op, [failure] if failure is not None else [], value)
        watch = ctx.watch(f"execute_with_metrics(tool, {op!r}, **p)", p=p)
        got, exc = _outcome(ctx, executor, tool, op, p)
        watch.verify()
        calls = tool.calls(op)
        if len(calls) != 1:
            raise CheckFailure(
                f"execute_with_metrics called the op {len(calls)} times, expected once"
            )
        problem = same_params(calls[0].params, watch.before["p"])
        if problem:
            raise CheckFailure(f"execute_with_metrics(tool, {op!r}, **p): {problem}")
        if failure is not None:
            if exc is None:
                raise CheckFailure(
                    f"execute_with_metrics(tool, {op!r}) returned {short(got, 80)} although the "
                    f"op raised {first_line(failure)}; the exception must reach the caller"
                )
            if not propagated(exc, failure):
                raise CheckFailure(
                    f"execute_with_metrics(tool, {op!r}) raised {first_line(exc)}, which does "
                    f"not carry the op's {first_line(failure)} (neither itself nor a cause)"
                )
        elif exc is not None:
            raise CheckFailure(f"execute_with_metrics(tool, {op!r}) raised {first_line(exc)}")
        elif not same_result(got, value):
            raise CheckFailure(
                f"execute_with_metrics(tool, {op!r}) returned {short(got, 80)}; the op returned "
                f"{short(value, 80)}"
            )

    ctx.property(
        body,
        {
            "p": params(max_size=3).map(
                lambda p: {k: v for k, v in p.items() if k not in _RESERVED}
            ),
            "value": op_results(),
            "is_async": st.booleans(),
            "fails": st.booleans(),
            "data": st.data(),
        },
    )


def _report(executor: Any) -> dict[str, Any]:
    report = executor.get_performance_metrics()
    if not isinstance(report, dict):
        raise CheckFailure(
            f"get_performance_metrics() returned {short(report, 80)}; expected a dict "
            f"{{op: {{'avg_time', 'min_time', 'max_time', 'count'}}}}"
        )
    return report  # pyright: ignore[reportUnknownVariableType]


def _needs_report(ctx: Context) -> None:
    if not callable(getattr(ctx.sample, "get_performance_metrics", None)):
        raise CheckSkip("not applicable: the executor has no get_performance_metrics()")


def _count(report: dict[str, Any], key: str) -> int:
    raw = report.get(key)
    if raw is None:
        return 0
    entry = as_dict(raw)
    if entry is None or "count" not in entry:
        raise CheckFailure(
            f"get_performance_metrics()[{key!r}] is {short(raw, 80)}; expected a dict with "
            f"{', '.join(_KEYS)}"
        )
    return entry["count"]  # type: ignore[no-any-return]


def _run_calls(
    ctx: Context, executor: Any, tool: ScriptedTool, names: Sequence[str], calls: Sequence[Call],
    mode: str,
) -> None:  # fmt: skip
    """Make ``calls`` sequentially, as concurrent coroutines, or from 8 threads."""

    async def one(index: int, fails: bool) -> None:
        # Each op's first attempts fail (its scripted count), whichever call makes them.
        del fails
        with contextlib.suppress(Exception):
            await executor.execute_with_metrics(tool, names[index], i=index)

    async def some(part: Sequence[Call]) -> None:
        if mode == "sequential":
            for index, fails in part:
                await one(index, fails)
        else:
            await asyncio.gather(*(one(index, fails) for index, fails in part))

    if mode != "threads":
        ctx.run_async(lambda: some(calls))
        return
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            asyncio.run(some(calls[n::8]))
        except BaseException as exc:
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(8)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(ctx.timeout * 4)
    finally:
        sys.setswitchinterval(interval)
    if any(t.is_alive() for t in pool):
        raise CheckFailure(
            "execute_with_metrics did not return within the time limit under 8 threads"
        )
    if errors:
        raise CheckFailure(f"execute_with_metrics raised {first_line(errors[0])} under 8 threads")


def _script(tool: ScriptedTool, names: Sequence[str], calls: Sequence[Call]) -> None:
    # Each op fails as many attempts as calls of it were drawn failing; which calls those
    # are does not change the counts the check compares.
    for index, name in enumerate(names):
        failing = sum(1 for i, fails in calls if i == index and fails)
        tool.script(name, [RuntimeError(f"{name} failed on purpose") for _ in range(failing)])


@st.composite
def _sequences(draw: st.DrawFn) -> tuple[list[str], list[Call], str]:
    names = draw(_op_names())
    mode = draw(st.sampled_from(["sequential", "coroutines", "threads"]))
    size = (1, 12) if mode == "sequential" else (50, 400)
    calls = draw(
        st.lists(
            st.tuples(st.integers(0, len(names) - 1), st.booleans()),
            min_size=size[0], max_size=size[1],
        )
    )  # fmt: skip
    return names, calls, mode


@implements("metrics.counts", uses=_USES, budget=2.0)
def counts(ctx: Context) -> None:
    """Each op's count equals its successful calls, ``"<op>_error"``'s its failing ones."""
    _needs_report(ctx)

    def body(seq: tuple[list[str], list[Call], str], asyncs: list[bool]) -> None:
        names, calls, mode = seq
        tool = tool_with_ops({n: asyncs[i % len(asyncs)] for i, n in enumerate(names)})
        _script(tool, names, calls)
        executor = ctx.build()
        _run_calls(ctx, executor, tool, names, calls, mode)
        report = _report(executor)
        made = Counter((names[i], fails) for i, fails in calls)
        for name in names:
            for key, fails in ((name, False), (f"{name}_error", True)):
                got, want = _count(report, key), made[(name, fails)]
                if got != want:
                    raise CheckFailure(
                        f"after {len(calls)} execute_with_metrics calls ({mode}), "
                        f"get_performance_metrics()[{key!r}]['count'] is {got!r}; "
                        f"{want} {'failing' if fails else 'successful'} calls of {name!r} were made"
                    )

    ctx.property(
        body,
        {"seq": _sequences(), "asyncs": st.lists(st.booleans(), min_size=1, max_size=3)},
        max_examples=max(6, ctx.max_examples // 3),
    )


_DELAYS = (0.02, 0.04, 0.08, 0.16)  # the last only in the fixed skewed series


def _within_calls(entry: object, key: str, spans: list[float]) -> None:
    """No recorded duration exceeds the longest time the kit measured around a call."""
    if not isinstance(entry, dict):
        return  # a missing entry is metrics.counts' finding
    fields = cast("dict[str, Any]", entry)
    bound = 1.5 * max(spans) + 0.005  # the kit's clock is outside the executor's
    for field in ("min_time", "max_time", "avg_time"):
        value = fields.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > bound:
            raise CheckFailure(
                f"get_performance_metrics()[{key!r}][{field!r}] is {value!r}, but each of the "
                f"{len(spans)} calls it covers took at most {max(spans):.4f} s measured around "
                f"the call; a recorded duration cannot exceed the call"
            )


@implements("metrics.times", uses=_USES, budget=2.0)
def times(ctx: Context) -> None:
    """``0 <= min <= avg <= max`` in seconds; ``avg`` is the mean of the ops' durations."""
    _needs_report(ctx)

    def body(names: list[str], calls: list[tuple[int, int, bool]], is_async: bool) -> None:
        tool = tool_with_ops({n: is_async for n in names})
        executor = ctx.build()
        # Per op: what the op measured itself (a lower bound of any honest duration) and
        # what the kit measured around the call (an upper bound: it includes the
        # executor's own overhead, however loaded the machine).
        inner: dict[str, list[float]] = {}
        outer: dict[str, list[float]] = {}
        around: dict[str, list[float]] = {}  # every call, by report key ("<op>_error" too)
        # One 50 ms call at least, and a skewed series (20, 20, 20, 160 ms) whose mean is
        # far from its mid-range, whatever was drawn.
        skewed = [(0, 0, False), (0, 0, False), (0, 0, False), (0, 3, False)]
        for index, delay, fails in [*calls, (0, -1, False), *skewed]:
            name = names[index % len(names)]
            wait = 0.05 if delay < 0 else _DELAYS[delay]
            tool.script(name, [RuntimeError("on purpose")] if fails else [], "ok", wait)
            before = len(tool.calls(name))
            exc, elapsed = _timed(ctx, executor, tool, name)
            if exc is not None and not fails:
                raise CheckFailure(f"execute_with_metrics(tool, {name!r}) raised {first_line(exc)}")
            attempt = tool.calls(name)[before:]
            around.setdefault(f"{name}_error" if fails else name, []).append(elapsed)
            if not fails and attempt and attempt[0].end is not None:
                inner.setdefault(name, []).append(attempt[0].end - attempt[0].start)
                outer.setdefault(name, []).append(elapsed)
        report = _report(executor)
        for key, entry in report.items():
            _ordered(key, entry)
        for key, spans in around.items():
            _within_calls(report.get(key), key, spans)
        for name, took in inner.items():
            entry = report.get(name)
            if not isinstance(entry, dict):
                raise CheckFailure(
                    f"get_performance_metrics() has no entry for {name!r}: {short(report, 120)}"
                )
            avg, top = float(entry["avg_time"]), float(entry["max_time"])  # pyright: ignore[reportUnknownArgumentType]
            low, high = sum(took) / len(took), sum(outer[name]) / len(took)
            if not 0.9 * low <= avg <= 1.1 * high + 0.001:
                raise CheckFailure(
                    f"get_performance_metrics()[{name!r}]['avg_time'] is {avg!r}; the op's "
                    f"{len(took)} calls took {low:.4f} s on average ({high:.4f} s with the "
                    f"executor's overhead): avg_time is their mean in seconds, within 10 %"
                )
            if max(took) >= 0.05 and not 0.05 <= top < 5:
                raise CheckFailure(
                    f"get_performance_metrics()[{name!r}]['max_time'] is {top!r}, but a call "
                    f"slept {max(took):.3f} s; times are in seconds"
                )

    ctx.property(
        body,
        {
            "names": _op_names(),
            "calls": st.lists(
                st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()), max_size=5
            ),
            "is_async": st.booleans(),
        },
        max_examples=max(3, ctx.max_examples // 6),
    )


def _ordered(key: str, raw: object) -> None:
    entry = as_dict(raw)
    if entry is None or any(k not in entry for k in _KEYS):
        raise CheckFailure(
            f"get_performance_metrics()[{key!r}] is {short(raw, 80)}; expected a dict with "
            f"{', '.join(_KEYS)}"
        )
    try:
        lo, avg, hi = (float(entry[k]) for k in ("min_time", "avg_time", "max_time"))
    except (TypeError, ValueError):
        raise CheckFailure(
            f"get_performance_metrics()[{key!r}] has non-numeric times: {short(entry, 120)}"
        ) from None
    tol = 1e-9 * max(abs(lo), abs(avg), abs(hi), 1e-300)
    if not (math.isfinite(lo) and 0 <= lo <= avg + tol and avg <= hi + tol):
        raise CheckFailure(
            f"get_performance_metrics()[{key!r}] has min_time={lo!r}, avg_time={avg!r}, "
            f"max_time={hi!r}; expected 0 <= min_time <= avg_time <= max_time"
        )
