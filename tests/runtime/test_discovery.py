"""Entry-point discovery of tools (`aiecs.tools`) and executors (`aiecs.executors`), for real.

The project's own entry points come from its installed metadata (``pip install -e .``);
broken and third-party ones from the ``plugin_dist`` fixture, a real distribution on
``sys.path``. Nothing here patches ``entry_points``.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from aiecs_runtime import (
    EXECUTORS_GROUP,
    TOOLS_GROUP,
    EchoTool,
    ExecutionEngine,
    OperationExecutor,
    ToolExecutor,
    ToolRegistry,
)

from ._support import run_async
from .conftest import PLUGIN_DIST


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# -- the project's own entry points -----------------------------------------------------


def test_the_project_publishes_echo_and_local() -> None:
    tools = {p.name: p.value for p in entry_points(group=TOOLS_GROUP)}
    executors = {p.name: p.value for p in entry_points(group=EXECUTORS_GROUP)}
    assert tools.get("echo") == "aiecs_runtime._builtin:EchoTool"
    assert executors.get("local") == "aiecs_runtime._builtin:local_executor"


@run_async
async def test_discovered_echo_tool_runs_end_to_end() -> None:
    registry = ToolRegistry()
    assert registry.discover() == ["echo"]
    assert isinstance(registry.get_tool("echo"), EchoTool)
    async with ExecutionEngine(registry) as engine:
        assert await engine.execute_operation("echo.echo", {"q": "a; --"}) == {"q": "a; --"}
        assert await engine.execute_operation("echo.ping", {}) == "pong"
        steps = await engine.execute_operations_sequence(
            [
                {"operation": "echo.echo", "params": {"items": [1, 2]}},
                {"operation": "echo.echo", "params": {"x": "$result[0].items.1"}},
            ],
            "u",
            "t",
        )
        assert steps[1].result == {"x": 2}


def test_tool_discovery_is_idempotent_and_explicit_registration_wins() -> None:
    registry = ToolRegistry()
    assert registry.discover() == ["echo"]
    first = registry.get_tool("echo")
    assert registry.discover() == []  # nothing new
    assert registry.get_tool("echo") is first
    assert registry.list_tools() == ["echo"]

    mine = object()
    registry = ToolRegistry({"echo": mine})
    assert registry.discover() == []
    assert registry.get_tool("echo") is mine
    assert registry.discover(replace=True) == ["echo"]
    assert isinstance(registry.get_tool("echo"), EchoTool)


def test_engine_keeps_its_own_local_executor() -> None:
    engine = ExecutionEngine()
    local = engine.executor("local")
    assert engine.discover_executors() == []
    assert engine.discover_executors() == []
    assert engine.executor("local") is local
    assert engine.list_executors() == ["local"]


def test_replacing_local_from_the_plugin_shares_the_engines_tool_executor() -> None:
    tool_executor = ToolExecutor()
    engine = ExecutionEngine({}, tool_executor=tool_executor)
    before = engine.executor("local")
    assert engine.discover_executors(replace=True) == ["local"]
    after = engine.executor("local")
    assert after is not before
    assert isinstance(after, OperationExecutor)
    assert after.executor is tool_executor  # the factory asked for tool_executor
    assert after.tools is engine.tools


def test_an_unknown_group_finds_nothing() -> None:
    assert ToolRegistry().discover("aiecs.no-such-group") == []
    assert ExecutionEngine().discover_executors("aiecs.no-such-group") == []


# -- third-party plugins, good and broken ----------------------------------------------


def test_broken_tool_plugins_are_skipped_with_a_warning_naming_them(
    plugin_dist: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = ToolRegistry()
    with caplog.at_level(logging.WARNING, logger="aiecs_runtime.registry"):
        found = registry.discover()
    # The good ones load although three others are broken.
    assert found == ["echo", "upper"]
    assert registry.get_tool("upper").upper("x") == "X"
    warned = _warnings(caplog)
    assert len(warned) == 3, warned
    for name, why in [
        ("missing_attr", "AttributeError"),
        ("missing_module", "ModuleNotFoundError"),
        ("needs_args", "TypeError"),
    ]:
        (line,) = [w for w in warned if f"entry point {name!r}" in w]
        assert f"group {TOOLS_GROUP!r}" in line
        assert PLUGIN_DIST in line
        assert why in line
    # The traceback is attached for the developer of the broken plugin.
    assert all(r.exc_info for r in caplog.records if r.levelno == logging.WARNING)


def test_tool_plugins_are_discovered_once(plugin_dist: Path) -> None:
    registry = ToolRegistry()
    assert registry.discover() == ["echo", "upper"]
    tools = {name: registry.get_tool(name) for name in registry.list_tools()}
    assert registry.discover() == []
    assert {name: registry.get_tool(name) for name in registry.list_tools()} == tools


def test_executor_plugins_good_and_broken(
    plugin_dist: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = ExecutionEngine({"echo": EchoTool()})
    with caplog.at_level(logging.WARNING, logger="aiecs_runtime.engine"):
        found = engine.discover_executors()
    assert found == ["plain", "ready", "upper"]
    assert engine.list_executors() == ["local", "plain", "ready", "upper"]
    # A factory asking for tool_executor gets the engine's; one that does not, its own.
    upper = engine.executor("upper")
    assert isinstance(upper, OperationExecutor)
    assert getattr(upper, "plugin", None) == "upper"
    assert upper.executor is engine.tool_executor
    assert upper.tools is engine.tools
    plain = engine.executor("plain")
    assert isinstance(plain, OperationExecutor) and plain.executor is not engine.tool_executor

    warned = _warnings(caplog)
    assert len(warned) == 3, warned
    (sync,) = [w for w in warned if "entry point 'sync'" in w]
    assert f"group {EXECUTORS_GROUP!r}" in sync and PLUGIN_DIST in sync
    # ensure_conforms's explanation, naming the member and what was expected.
    assert "does not conform to IOperationExecutor" in sync
    assert "execute_operation" in sync and "async def" in sync
    (server,) = [w for w in warned if "entry point 'server'" in w]
    assert "ConnectionError" in server and "amqp://nowhere" in server
    (gone,) = [w for w in warned if "entry point 'gone'" in w]
    assert "ModuleNotFoundError" in gone


@run_async
async def test_a_discovered_executor_serves_calls(plugin_dist: Path) -> None:
    engine = ExecutionEngine({"echo": EchoTool()})
    engine.discover_executors()
    assert await engine.execute_operation("echo.echo", {"a": 1}, executor="upper") == {"a": 1}
    engine.use("upper")
    assert engine.default_executor == "upper"
    out = await engine.execute_parallel_operations([{"operation": "echo.ping"}] * 3)
    assert [s.result for s in out] == ["pong"] * 3
    await engine.aclose()


def test_executor_discovery_is_idempotent(plugin_dist: Path) -> None:
    engine = ExecutionEngine()
    assert engine.discover_executors() == ["plain", "ready", "upper"]
    held = {name: engine.executor(name) for name in engine.list_executors()}
    assert engine.discover_executors() == []
    assert {name: engine.executor(name) for name in engine.list_executors()} == held
