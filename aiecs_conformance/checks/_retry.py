"""retry.*: ``execute_with_retry`` attempts, the error after the last one, params, refusals.

``max_retries`` is the total number of attempts (the seed's loop). Each property draws the
attempt budget (1 to 4), how many times the op fails first (its failures drawn from
`op_failures`), what it then returns (`op_results`), whether it is ``async def``, and the
params; the scripted op records every attempt with its params and time.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, CheckTimeout, Context, first_line, short
from .._outcomes import op_failures, op_results
from ..strategies import identifiers, params
from . import implements
from ._ext_probes import ScriptedTool, carries, same_params, same_result

_USES = ("execute_with_retry",)
_DEFAULT_RETRIES = 3  # the Protocol's default for max_retries
_CALL_LIMIT = 10.0  # the contract: each call may take up to 10 s (backoff included)
_RESERVED = frozenset({"tool", "operation_name", "max_retries", "self"})
_TOOL_ATTRS = frozenset(n for n in dir(ScriptedTool) if not n.startswith("_")) | {
    "name",
    "attempts",
    "lookups",
}


class _Overrun(Exception):
    """Raised by an attempt beyond the budget, so extra attempts cannot pass unnoticed."""


def _params() -> st.SearchStrategy[dict[str, Any]]:
    return params(max_size=3).map(lambda p: {k: v for k, v in p.items() if k not in _RESERVED})


def _op(is_async: bool) -> str:
    return "aop" if is_async else "op"


def _run(
    ctx: Context, executor: Any, tool: Any, op: str, retries: int | None, p: dict[str, Any]
) -> tuple[Any, BaseException | None, float]:
    """Call ``execute_with_retry`` once; return (result, raised, seconds).

    ``retries=None`` leaves ``max_retries`` out: the Protocol's default (3) then applies.
    """
    box: dict[str, float] = {}
    given = {} if retries is None else {"max_retries": retries}

    async def go() -> Any:
        started = time.perf_counter()
        try:
            return await executor.execute_with_retry(tool, op, **given, **p)
        finally:
            box["took"] = time.perf_counter() - started

    try:
        value = ctx.run_async(go, timeout=_CALL_LIMIT)
    except CheckTimeout:
        raise
    except CheckFailure:
        raise
    except Exception as exc:
        return None, exc, box.get("took", 0.0)
    return value, None, box.get("took", 0.0)


def _call(retries: int | None, op: str) -> str:
    if retries is None:
        return f"await execute_with_retry(tool, {op!r}, ...) (max_retries left to its default)"
    return f"await execute_with_retry(tool, {op!r}, max_retries={retries}, ...)"


def _few(ctx: Context) -> int:
    # Each example may back off for seconds (the seed waits 1, 2, 4 s): keep them few.
    return max(4, ctx.max_examples // 4)


@st.composite
def _flaky(draw: st.DrawFn) -> tuple[int, list[BaseException]]:
    retries = draw(st.integers(1, 4))
    k = draw(st.integers(0, retries - 1))
    return retries, draw(st.lists(op_failures(), min_size=k, max_size=k))


@implements("retry.succeeds", uses=_USES, budget=3.0)
def succeeds(ctx: Context) -> None:
    """An op failing ``k < max_retries`` times returns its result after ``k + 1`` calls."""
    executor = ctx.build()

    def body(flaky: tuple[int, list[BaseException]], result: Any, is_async: bool) -> None:
        retries, failures = flaky
        tool, op = ScriptedTool(), _op(is_async)
        tool.script(op, failures, result)
        value, exc, _ = _run(ctx, executor, tool, op, retries, {"n": 1})
        calls = len(tool.calls(op))
        if exc is not None:
            raise CheckFailure(
                f"{_call(retries, op)} raised {first_line(exc)} after {calls} calls; the op "
                f"failed {len(failures)} times, then returned, so the call must succeed"
            )
        if calls != len(failures) + 1:
            raise CheckFailure(
                f"{_call(retries, op)} called the op {calls} times; it failed "
                f"{len(failures)} times and then succeeded, so exactly {len(failures) + 1} "
                f"calls were due"
            )
        if not same_result(value, result):
            raise CheckFailure(
                f"{_call(retries, op)} returned {short(value, 80)}; the op returned "
                f"{short(result, 80)}"
            )

    flaky_examples: tuple[dict[str, Any], ...] = (
        {"flaky": (3, [ValueError("a"), KeyError("b")]), "result": None, "is_async": True},
        {"flaky": (1, []), "result": 0, "is_async": False},
        {"flaky": (4, [OSError("1"), OSError("2"), OSError("3")]), "result": [], "is_async": True},
    )
    ctx.property(
        body,
        {"flaky": _flaky(), "result": op_results(), "is_async": st.booleans()},
        max_examples=_few(ctx),
        examples=flaky_examples,
    )


def _distinct_failures(n: int) -> st.SearchStrategy[list[BaseException]]:
    return st.lists(
        op_failures(), min_size=n, max_size=n, unique_by=lambda e: (type(e), str(e), repr(e.args))
    )


@implements("retry.exhausts", uses=_USES, budget=3.0)
def exhausts(ctx: Context) -> None:
    """An always-failing op is called ``max_retries`` times; its last failure is raised."""
    executor = ctx.build()

    def body(given: int | None, is_async: bool, data: st.DataObject) -> None:
        # given=None leaves max_retries out: the Protocol's default, 3, must then apply.
        retries = _DEFAULT_RETRIES if given is None else given
        failures: list[BaseException] = data.draw(_distinct_failures(retries), label="failures")
        tool, op = ScriptedTool(), _op(is_async)
        extra = [_Overrun(f"attempt {retries + i + 1} beyond max_retries") for i in range(2)]
        tool.script(op, [*failures, *extra])
        value, exc, _ = _run(ctx, executor, tool, op, given, {})
        retries_text = f"max_retries={retries}" + (" (the default)" if given is None else "")
        calls = len(tool.calls(op))
        if calls != retries:
            raise CheckFailure(
                f"{_call(given, op)} on an op that always fails called it {calls} times; "
                f"{retries_text} is the total number of attempts"
            )
        if exc is None:
            raise CheckFailure(
                f"{_call(given, op)} returned {short(value, 80)} although every attempt "
                f"failed; the last failure must be raised"
            )
        last = failures[-1]
        if not carries(exc, last):
            raise CheckFailure(
                f"{_call(given, op)} raised {type(exc).__name__}({short(str(exc), 60)}) "
                f"(cause {short(exc.__cause__, 60)}); expected the last failure "
                f"{type(last).__name__}({short(str(last), 60)}) itself or as __cause__"
            )

    ctx.property(
        body,
        {
            "given": st.one_of(st.none(), st.integers(1, 4)),
            "is_async": st.booleans(),
            "data": st.data(),
        },
        max_examples=_few(ctx),
    )


@implements("retry.passthrough", uses=_USES, budget=3.0)
def passthrough(ctx: Context) -> None:
    """Every attempt receives exactly ``**params``; ``max_retries`` is not among them."""
    executor = ctx.build()

    def body(flaky: tuple[int, list[BaseException]], p: dict[str, Any], is_async: bool) -> None:
        retries, failures = flaky
        tool, op = ScriptedTool(), _op(is_async)
        tool.script(op, failures, "done")
        watch = ctx.watch(f"execute_with_retry(tool, {op!r}, **p)", p=p)
        _run(ctx, executor, tool, op, retries, p)
        watch.verify()
        sent = watch.before["p"]
        for n, attempt in enumerate(tool.calls(op), 1):
            problem = same_params(attempt.params, sent)
            if problem:
                raise CheckFailure(f"attempt {n} of {_call(retries, op)}: {problem}")

    ctx.property(
        body,
        {"flaky": _flaky(), "p": _params(), "is_async": st.booleans()},
        max_examples=_few(ctx),
        examples=({"flaky": (3, [ValueError("x"), ValueError("y")]), "p": {"a": [1]},
                   "is_async": False},),
    )  # fmt: skip


_REFUSED = ("_secret", "_x", "__class__", "__init__", "", "a.b", "op()", "1op", " op", "Op", "op_")


def _unknown() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_REFUSED), identifiers().filter(lambda n: n not in _TOOL_ATTRS)
    ).filter(lambda n: n not in ("op", "aop"))


@implements("retry.refusals", uses=_USES, budget=3.0)
def refusals(ctx: Context) -> None:
    """A private, malformed or unknown op name raises at once: no call, no retry."""
    executor = ctx.build()
    # How long 4 failing attempts take with this executor's backoff: a refusal that takes
    # a good part of it was retried.
    failing = ScriptedTool()
    failing.script("op", [RuntimeError(str(i)) for i in range(8)])
    _, _, four_failures = _run(ctx, executor, failing, "op", 4, {})

    def body(name: str) -> None:
        seen: dict[int, int] = {}
        for retries in (1, 4):
            tool = ScriptedTool()
            tool.lure([name])  # a name looked up anyway finds a callable that records
            value, exc, took = _run(ctx, executor, tool, name, retries, {})
            calls = [a.op for a in tool.calls()]
            if calls:
                raise CheckFailure(
                    f"{_call(retries, name)} called {', '.join(calls)} on the tool; the name "
                    f"must be refused before anything runs"
                )
            if exc is None:
                raise CheckFailure(
                    f"{_call(retries, name)} returned {short(value, 60)}; a private, malformed "
                    f"or unknown op name must raise"
                )
            seen[retries] = sum(tool.lookups.values())
            if retries == 4 and four_failures > 0.02 and took > 0.5 * four_failures:
                raise CheckFailure(
                    f"{_call(retries, name)} took {took:.3f} s to raise (4 failing attempts take "
                    f"{four_failures:.3f} s): the refusal was retried; it must raise at once"
                )
        if seen[4] > seen[1]:
            raise CheckFailure(
                f"{_call(4, name)} looked the name up on the tool {seen[4]} times, "
                f"{_call(1, name)} {seen[1]} times: the refusal was retried"
            )

    ctx.property(
        body,
        {"name": _unknown()},
        max_examples=max(6, ctx.max_examples // 2),
        examples=({"name": "_secret"}, {"name": "no_such_op"}, {"name": "a.b"}),
    )


@implements("retry.backoff", uses=_USES, budget=2.0)
def backoff(ctx: Context) -> None:
    """Attempts are at least 1 ms apart, and 4 failing attempts end within 10 s."""
    executor = ctx.build()

    def body(failures: list[BaseException], is_async: bool) -> None:
        tool, op = ScriptedTool(), _op(is_async)
        tool.script(op, [*failures, *failures])
        _, _, took = _run(ctx, executor, tool, op, 4, {})
        if took >= _CALL_LIMIT:
            raise CheckFailure(f"{_call(4, op)} took {took:.1f} s; it must end within 10 s")
        attempts = tool.calls(op)
        for n, (before, after) in enumerate(itertools.pairwise(attempts), 2):
            gap = after.start - (before.end or before.start)
            if gap < 0.001:
                raise CheckFailure(
                    f"attempt {n} of {_call(4, op)} started {gap * 1000:.3f} ms after attempt "
                    f"{n - 1} ended; space attempts (at least 1 ms, no busy loop)"
                )

    ctx.property(
        body,
        {"failures": st.lists(op_failures(), min_size=4, max_size=4), "is_async": st.booleans()},
        max_examples=2,
    )
