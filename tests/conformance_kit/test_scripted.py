"""Scripted probe ops and tasks: they do what was drawn, record everything, and expose
what must never run."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiecs_conformance import strategies
from aiecs_conformance._probes import CallLog
from aiecs_conformance._scripted import (
    Outcome,
    Plan,
    Script,
    build_tools,
    malformed_specs,
    same_failure,
    same_result,
    unknown_specs,
)
from aiecs_conformance._tasks import TaskScript, build_tasks
from aiecs_models import split_operation


def _run(value: Any) -> Any:
    return asyncio.run(value) if inspect.iscoroutine(value) else value


@settings(max_examples=40, deadline=None)
@given(strategies.plans())
def test_each_op_does_what_its_script_says(plan: Plan) -> None:
    tools = plan.tools()
    for i, op in enumerate(plan.ops):
        tool, name = split_operation(op["operation"])
        method = getattr(tools[tool], name)
        script = plan.script(i)
        # A decorated async op is a plain callable that returns a coroutine.
        assert inspect.iscoroutinefunction(method) == (script.is_async and not script.decorated)
        outcome = plan.outcome(i)
        if outcome.error is not None:
            with pytest.raises(type(outcome.error)):
                _run(method(**op["params"]))
        else:
            assert same_result(_run(method(**op["params"])), outcome.value, outcome.before)
        (call,) = plan.calls_of(i)
        assert call.params == op["params"] and call.end is not None
    assert plan.stray() == []


@settings(max_examples=20, deadline=None)
@given(strategies.plans(calls=2, failing=False))
def test_later_calls_follow_the_script(plan: Plan) -> None:
    tools = plan.tools()
    s = plan.script(0)
    method = getattr(tools[s.tool], s.name)
    got = [_run(method()), _run(method())]
    assert [same_result(g, o.value, o.before) for g, o in zip(got, s.outcomes, strict=True)] == [
        True,
        True,
    ]


def test_plans_cover_the_outcome_domain() -> None:
    seen: dict[str, bool] = {"falsy": False, "exception value": False, "raises": False}
    seen |= {"no message": False, "sync": False, "async": False, "two tools": False}

    @settings(max_examples=200, deadline=None, database=None)
    @given(strategies.plans())
    def collect(plan: Plan) -> None:
        seen["two tools"] |= len({s.tool for s in plan.scripts}) > 1
        for s in plan.scripts:
            o = s.outcome(0)
            seen["sync" if not s.is_async else "async"] = True
            if o.error is not None:
                seen["raises"] = True
                seen["no message"] |= str(o.error) == ""
            elif isinstance(o.value, BaseException):
                seen["exception value"] = True
            elif not o.value:
                seen["falsy"] = True

    collect()
    assert all(seen.values()), seen


def test_everything_but_the_ops_records_a_call() -> None:
    log = CallLog()
    script = Script("t", "echo", False, 0.0, (Outcome(value=1, before=1),))
    tool: Any = build_tools([script], log)["t"]
    tool._x()  # pyright: ignore[reportPrivateUsage]
    tool._secret()  # pyright: ignore[reportPrivateUsage]
    tool.log.snapshot()
    tool()
    tool.echo.__self__()
    tool.__class__()
    assert [c.op for c in log.snapshot()] == [
        "_x",
        "_secret",
        "log.snapshot",
        "__call__",
        "__call__",
        "__init__",
    ]


@pytest.mark.parametrize("spec", malformed_specs("t", "echo"))
def test_malformed_specs_are_refused_by_the_model(spec: object) -> None:
    """Each is refused by `split_operation`, or (whitespace before the dot) names no tool."""
    try:
        tool, _ = split_operation(spec)
    except ValueError:
        return
    assert tool.strip() == "t" and tool != "t"


def test_unknown_specs_leave_out_what_is_served() -> None:
    known = frozenset({"t.echo", "t.ECHO", "T.echo"})
    specs = unknown_specs("t", "echo", known)
    assert specs and not set(specs) & known
    for spec in specs:
        split_operation(spec)  # well-formed, only unknown


def test_failures_and_results_compare_as_documented() -> None:
    boom = TimeoutError()
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = TimeoutError()  # an equal copy, as asyncio.to_thread makes
    assert same_failure(boom, boom) and same_failure(wrapped, boom)
    assert not same_failure(RuntimeError("other"), boom) and not same_failure(None, boom)
    returned = ValueError("a value")
    assert same_result(returned, returned, returned)
    assert same_result(ValueError("a value"), returned, returned)  # a copy, as if pickled
    assert not same_result(ValueError("other"), returned, returned)
    assert not same_result(TypeError("a value"), returned, returned)
    assert same_result([1], [1], [1]) and not same_result((1,), [1], [1])


@settings(max_examples=40, deadline=None)
@given(strategies.tasks(), st.dictionaries(st.text(max_size=3), st.integers()), st.booleans())
def test_tasks_take_any_names_positionally(script: TaskScript, data: Any, flag: bool) -> None:
    log = CallLog()
    task = build_tasks([script], log)[script.name]
    names = list(inspect.signature(task).parameters)
    assert names == list(script.parameters) and names != ["input_data", "context"]
    assert inspect.iscoroutinefunction(task) == script.is_async
    context = {"flag": flag}
    if script.outcome.error is not None:
        with pytest.raises(type(script.outcome.error)):
            _run(task(data, context))
    else:
        got = _run(task(data, context))
        assert same_result(got, script.outcome.value, script.outcome.before)
    (call,) = log.snapshot()
    # Recorded as received at the call (a snapshot: rule 2), in the positions given.
    assert call.params["args"][0] == data and call.params["args"][1] == context
    if script.positional_only or set(names) != {"input_data", "context"}:
        with pytest.raises(TypeError):
            task(input_data=data, context=context)
