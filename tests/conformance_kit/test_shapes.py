"""Probe tools of every op shape: each shape runs, records and returns what was drawn."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from hypothesis import given, settings

import aiecs_conformance as ac
from aiecs_conformance import strategies
from aiecs_conformance._shapes import (
    ASYNC_ONLY_SHAPES,
    AWAITABLE_OBJECT,
    CLASS_LEVEL_SHAPES,
    OP_SHAPES,
    PROBE_VAR,
    Marker,
    ProbeOp,
    ShapedTool,
    build_tool,
)

VARIANTS = [
    (shape, asynchronous)
    for shape in (*OP_SHAPES, AWAITABLE_OBJECT)
    for asynchronous in (False, True)
    if asynchronous or shape not in ASYNC_ONLY_SHAPES
]


def _finish(value: Any) -> Any:
    if inspect.isawaitable(value):

        async def wait() -> Any:
            return await value

        return asyncio.run(wait())
    return value


@pytest.mark.parametrize(("shape", "asynchronous"), VARIANTS)
def test_every_shape_returns_its_result_and_records_one_call(
    shape: str, asynchronous: bool
) -> None:
    marker = Marker(shape)
    shaped = build_tool("t", [ProbeOp("do_it", shape, asynchronous, result=marker)])
    assert _finish(shaped.tool.do_it(x=1, query="SELECT 1; --")) is marker
    calls = shaped.log.snapshot()
    assert [(c.tool, c.op, c.params) for c in calls] == [
        ("t", "do_it", {"x": 1, "query": "SELECT 1; --"})
    ]
    assert calls[0].extra["finally"] is True


@pytest.mark.parametrize(("shape", "asynchronous"), VARIANTS)
def test_every_shape_raises_its_failure(shape: str, asynchronous: bool) -> None:
    failure = KeyError()
    shaped = build_tool("t", [ProbeOp("boom", shape, asynchronous, failure=failure)])
    with pytest.raises(KeyError) as caught:
        _finish(shaped.tool.boom())
    assert caught.value is failure


def test_async_shapes_are_async_and_sync_ones_are_not() -> None:
    for shape, asynchronous in VARIANTS:
        shaped = build_tool("t", [ProbeOp("op", shape, asynchronous, result=1)])
        returned = shaped.tool.op()
        assert inspect.isawaitable(returned) is asynchronous, shape
        _finish(returned)


def test_each_tool_has_a_fresh_class_and_a_twin_shares_it() -> None:
    ops = [ProbeOp("a", "method", False, result=1), ProbeOp("b", "staticmethod", False, result=2)]
    first, second = build_tool("t", ops), build_tool("t", ops)
    assert type(first.tool) is not type(second.tool)
    twin = first.twin("u", lambda op: Marker(f"twin {op.name}"))
    assert type(twin.tool) is type(first.tool)
    assert twin.tool.a() == twin.ops["a"].result != first.ops["a"].result
    assert "staticmethod" in CLASS_LEVEL_SHAPES and twin.tool.b() == 2  # shared by the class


def test_private_probes_record() -> None:
    shaped = build_tool("t", [ProbeOp("run", "method", False, result=None)])
    shaped.tool._secret()
    shaped.tool._x()
    shaped.tool._run()
    shaped.tool.__reduce__()
    assert [c.op for c in shaped.log.snapshot()] == ["_secret", "_x", "_run", "__reduce__"]


def test_ops_record_the_callers_context_variable() -> None:
    shaped = build_tool("t", [ProbeOp("run", "attribute", True, result=None)])

    async def go() -> None:
        PROBE_VAR.set("mine")
        await shaped.tool.run()

    asyncio.run(go())
    assert shaped.log.snapshot()[0].extra["var"] == "mine"


@settings(max_examples=40, deadline=None)
@given(strategies.probe_tools(ops=strategies.probe_ops(fails=None, mutates=None)))
def test_drawn_tools_have_distinct_public_names(shaped: ShapedTool) -> None:
    assert 1 <= len(shaped.ops) <= 4
    for name, op in shaped.ops.items():
        assert name == op.name and not name.startswith("_") and name.isidentifier()
        assert callable(getattr(shaped.tool, name))
        assert name in repr(shaped)


class _ClassMemo:
    """Remembers the bound op per (class, name): two instances of one class collide."""

    def __init__(self) -> None:
        self.memo: dict[tuple[type[Any], str], Any] = {}

    def _op(self, tool: object, name: str) -> Any:
        if not name.isidentifier() or name.startswith("_"):
            raise LookupError(name)
        key: tuple[type[Any], str] = (type(tool), name)
        if key not in self.memo:
            self.memo[key] = getattr(tool, name)
        return self.memo[key]

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        result = self._op(tool, operation_name)(**params)
        return asyncio.run(result) if inspect.iscoroutine(result) else result

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        result = await asyncio.to_thread(self._op(tool, operation_name), **params)
        return await result if inspect.isawaitable(result) else result


def test_a_memo_keyed_on_the_class_fails_isolation() -> None:
    report = ac.check(_ClassMemo, "tool-executor", seed=1, only=["executor.isolation.tools"])
    assert set(report.failed_ids("must")) == {"executor.isolation.tools"}
    (result,) = report.failed()
    assert "twin" in (result.message or "")


class _StickyRegistry:
    """Keeps the first tool registered under a name."""

    def __init__(self, tools: dict[str, object]) -> None:
        self.tools = dict(tools)

    def has_tool(self, tool_name: str) -> bool:
        return tool_name in self.tools

    def get_tool(self, tool_name: str) -> object:
        try:
            return self.tools[tool_name]
        except KeyError:
            raise LookupError(tool_name) from None

    def register_tool(self, tool_name: str, tool: object) -> None:
        self.tools.setdefault(tool_name, tool)

    def unregister_tool(self, tool_name: str) -> None:
        self.tools.pop(tool_name, None)


def test_registry_failures_print_direct_calls() -> None:
    report = ac.check(_StickyRegistry, "tool-provider", seed=1, only=["provider.registry"])
    (result,) = report.failed()
    message = result.message or ""
    assert "registry = factory(" in message and "registry.register_tool(" in message
    assert "registry.get_tool(" in message and "tool1" in message
