"""MCP tools out: ``aiecs-mcp serve`` as a real process, on stdio and HTTP, a real client."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncGenerator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from aiecs_runtime import OperationExecutor
from aiecs_runtime.mcp import MCPTool, MCPToolProvider
from tests.integration._servers import free_port, wait_for_port

ROOT = Path(__file__).parents[2]
AIECS_MCP = str(Path(sys.executable).with_name("aiecs-mcp"))
REGISTRY = "tests.integration.mcp_registry:registry"
STARTUP = 60.0  # seconds: generous, the machine may be loaded; a hang still fails
pytestmark = pytest.mark.integration

_POINT = {
    "properties": {
        "x": {"title": "X", "type": "integer"},
        "y": {"default": 0, "title": "Y", "type": "integer"},
    },
    "required": ["x"],
    "title": "Point",
    "type": "object",
}
EXPECTED: dict[str, tuple[str | None, dict[str, Any]]] = {
    "calc_add": (
        "Add two integers.",
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
            "additionalProperties": False,
        },
    ),
    "calc_fail": (
        "Always fail, with the op's own message.",
        {
            "type": "object",
            "properties": {"reason": {"type": "string", "default": "nope"}},
            "additionalProperties": False,
        },
    ),
    "shapes_digits": (
        "A set: sent as a list.",
        {"type": "object", "properties": {}, "additionalProperties": False},
    ),
    "shapes_echo": (None, {"type": "object", "properties": {}}),
    "shapes_label": (
        "Label a shape.",
        {
            "type": "object",
            "properties": {
                "kind": {"enum": ["dot", "cross"], "type": "string"},
                "tags": {"items": {"type": "string"}, "type": "array"},
                "thing": {"default": None},  # Opaque: no schema, so no constraint
            },
            "required": ["kind", "tags"],
            "additionalProperties": False,
        },
    ),
    "shapes_norm": (
        "The L1 norm of a point, optionally scaled.",
        {
            "type": "object",
            "properties": {
                "p": _POINT,
                "scale": {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None},
            },
            "required": ["p"],
            "additionalProperties": False,
        },
    ),
    "shapes_opaque": (
        "A value with no JSON form: an MCP tool error, not a crash.",
        {"type": "object", "properties": {}, "additionalProperties": False},
    ),
}


def _text(result: Any) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


async def _exercise(session: ClientSession) -> None:
    listed = (await session.list_tools()).tools
    # Private _secret is never listed; the tool "not served!" has no MCP name.
    assert {t.name: (t.description, t.inputSchema) for t in listed} == EXPECTED
    ok = await session.call_tool("calc_add", {"a": 2, "b": 3})
    assert not ok.isError
    assert json.loads(_text(ok)) == 5 and ok.structuredContent == {"result": 5}
    norm = await session.call_tool("shapes_norm", {"p": {"x": 3, "y": -4}, "scale": 2})
    assert norm.structuredContent == {"result": 14.0}
    digits = await session.call_tool("shapes_digits", {})
    assert digits.structuredContent == {"result": [3]}
    echo = await session.call_tool("shapes_echo", {"q": [1, None]})
    assert echo.structuredContent == {"result": {"q": [1, None]}}

    failed = await session.call_tool("calc_fail", {"reason": "disk full"})
    assert failed.isError and "the op refuses: disk full" in _text(failed)
    bad = await session.call_tool("calc_add", {"a": 1, "b": "two"})
    assert bad.isError and "bad params for Calc.add: 'b'" in _text(bad)
    missing = await session.call_tool("calc_add", {"a": 1})
    assert missing.isError and "'b': required but missing" in _text(missing)
    extra = await session.call_tool("calc_add", {"a": 1, "b": 2, "c": 3})
    assert extra.isError and "'c': not a parameter" in _text(extra)
    private = await session.call_tool("calc__secret", {})
    assert private.isError and "unknown tool 'calc__secret'" in _text(private)
    opaque = await session.call_tool("shapes_opaque", {})
    assert opaque.isError and "shapes.opaque returned no JSON" in _text(opaque)
    assert "Opaque" in _text(opaque)


@asynccontextmanager
async def _stdio_session(target: str) -> AsyncGenerator[ClientSession, None]:
    params = StdioServerParameters(command=AIECS_MCP, args=["serve", target], cwd=ROOT)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        with anyio.fail_after(STARTUP):  # a server that never answers fails, loudly
            await session.initialize()
        yield session


def test_stdio() -> None:
    async def main() -> None:
        async with _stdio_session(REGISTRY) as session:
            await _exercise(session)

    anyio.run(main)


@pytest.fixture
def http_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [AIECS_MCP, "serve", REGISTRY, "--transport", "streamable-http", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(proc, port, "aiecs-mcp serve", STARTUP)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


def test_streamable_http(http_url: str) -> None:
    async def main() -> None:
        async with (
            streamable_http_client(http_url) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            with anyio.fail_after(STARTUP):
                await session.initialize()
            await _exercise(session)

    anyio.run(main)


def test_round_trip_tools_in_from_tools_out() -> None:
    """`MCPToolProvider` on `aiecs-mcp serve`: specs run end to end; a factory is served."""

    async def main() -> None:
        async with MCPToolProvider({"local": object()}) as provider:
            srv = await provider.connect_stdio(
                "srv",
                AIECS_MCP,
                ["serve", "tests.integration.mcp_registry:make_registry"],
                cwd=ROOT,
                timeout=STARTUP,
            )
            assert srv.operations == ("calc_add", "calc_fail")
            ops = OperationExecutor(provider)
            assert await ops.execute_operation("srv.calc_add", {"a": 1, "b": 2}) == 3
            steps = await ops.execute_operations_sequence(
                [
                    {"operation": "srv.calc_fail", "params": {"reason": "no such file"}},
                    {"operation": "srv.calc_add", "params": {"a": 1, "b": "x"}},
                ],
                "user",
                "task",
            )
            assert [s.status for s in steps] == ["failed", "failed"]
            assert steps[0].error_code == "E003"
            assert "the op refuses: no such file" in (steps[0].error_message or "")
            # Refused by the serving side's executor: an MCP tool error, so E003 here.
            assert "bad params for Calc.add" in (steps[1].error_message or "")
            # Servers and local tools share one map, with ToolRegistry's rules.
            assert provider.list_tools() == ["local", "srv"]
            assert isinstance(provider.get_tool("srv"), MCPTool)
            with pytest.raises(ValueError, match="expected a new identifier"):
                await provider.connect_stdio("local", AIECS_MCP, ["serve", REGISTRY])
            provider.unregister_tool("srv")
            assert not provider.has_tool("srv")
        assert provider.list_tools() == ["local"]

    anyio.run(main)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tests.integration.mcp_registry:not_a_registry", "is a dict; expected a ToolRegistry"),
        ("tests.integration.mcp_registry:needs_args", "needs arguments; expected a ToolRegistry"),
    ],
)
def test_refuses_what_it_cannot_serve(target: str, message: str) -> None:
    done = subprocess.run(
        [AIECS_MCP, "serve", target], cwd=ROOT, capture_output=True, text=True, timeout=STARTUP
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("aiecs-mcp: error: ") and message in done.stderr
    assert done.stderr.count("\n") == 1


def test_without_the_extra_the_command_says_which_to_install() -> None:
    # The SDK made unimportable, as on an install without the `mcp` extra: one line, exit 2.
    code = (
        "import sys; sys.modules['mcp'] = None\n"
        "from aiecs_runtime._mcp_main import main\n"
        "raise SystemExit(main(['serve', 'tests.integration.mcp_registry:registry']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "pip install 'aiecs-contracts[mcp]'" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
