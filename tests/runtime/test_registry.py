"""`ToolRegistry`: registration, the decorator, lookups that name the closest tools, threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from aiecs_contracts import IToolProvider, IToolRegistry, ToolNotFoundError, conforms
from aiecs_runtime import OperationExecutor, ToolRegistry

from ._support import run_async


class Search:
    def run(self, q: str) -> str:
        return q


def test_conforms_to_both_protocols() -> None:
    registry = ToolRegistry()
    assert conforms(registry, IToolProvider) and conforms(registry, IToolRegistry)


def test_register_get_unregister_list() -> None:
    a, b = Search(), Search()
    registry = ToolRegistry({"b": b})
    registry.register_tool("a", a)
    assert registry.list_tools() == ["a", "b"]
    assert registry.get_tool("a") is a and registry.get_tool("b") is b
    assert "a" in registry and len(registry) == 2
    registry.register_tool("a", b)  # replaces
    assert registry.get_tool("a") is b
    registry.unregister_tool("a")
    assert not registry.has_tool("a") and registry.list_tools() == ["b"]
    assert repr(registry) == "ToolRegistry(['b'])"


def test_decorator_registers_an_instance_of_a_class_or_the_object() -> None:
    registry = ToolRegistry()

    @registry.tool("search")
    class Decorated:
        def run(self) -> str:
            return "ran"

    assert isinstance(registry.get_tool("search"), Decorated)
    assert Decorated.__name__ == "Decorated"  # the decorator returns the class unchanged
    thing = Search()
    assert registry.tool("thing")(thing) is thing
    assert registry.get_tool("thing") is thing


def test_unknown_names_raise_tool_not_found_listing_the_closest() -> None:
    registry = ToolRegistry({"search": Search(), "summarize": Search(), "math": Search()})
    with pytest.raises(ToolNotFoundError) as info:
        registry.get_tool("serch")
    assert "no tool named 'serch'; did you mean 'search'" in str(info.value)
    assert info.value.available == ("math", "search", "summarize")
    assert isinstance(info.value, LookupError)
    with pytest.raises(ToolNotFoundError, match="did you mean 'math'"):
        registry.unregister_tool("maths")
    with pytest.raises(ToolNotFoundError) as none_close:
        registry.get_tool("zzzz")
    assert "did you mean" not in str(none_close.value)


@run_async
async def test_unknown_tool_through_an_operation_executor_names_the_closest() -> None:
    ops = OperationExecutor(ToolRegistry({"search": Search()}))
    with pytest.raises(ToolNotFoundError, match="did you mean 'search'"):
        await ops.execute_operation("serch.run", {"q": "x"})


@pytest.mark.parametrize("name", ["", "Search", " search", "search\x00", "ｓearch", "x" * 10_000])
def test_has_tool_is_exact_and_total(name: str) -> None:
    registry = ToolRegistry({"search": Search()})
    assert registry.has_tool(name) is False
    weird: Any = ["unhashable"]
    assert registry.has_tool(weird) is False
    with pytest.raises(ToolNotFoundError):
        registry.get_tool(weird)


@pytest.mark.parametrize("name", ["", None, 3])
def test_register_refuses_a_bad_name(name: Any) -> None:
    with pytest.raises(ValueError, match="expected a non-empty str"):
        ToolRegistry().register_tool(name, Search())


def test_concurrent_writers_and_readers_see_complete_maps() -> None:
    registry = ToolRegistry({"stable": Search()})
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(k: int) -> None:
        try:
            for i in range(2_000):
                registry.register_tool(f"w{k}-{i}", i)
                registry.unregister_tool(f"w{k}-{i}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def reader() -> None:
        try:
            while not stop.is_set():
                assert registry.has_tool("stable")
                names = registry.list_tools()
                assert "stable" in names
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    assert errors == []
    assert registry.list_tools() == ["stable"]
