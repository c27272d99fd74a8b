"""MCP tools in, against a real MCP server process (the SDK's FastMCP) on stdio and HTTP."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiecs_contracts import ParameterValidationError
from aiecs_runtime import OperationExecutor
from aiecs_runtime.mcp import MCPToolProvider
from tests.integration._servers import free_port, wait_for_port

SERVER = str(Path(__file__).parents[2] / "docs" / "snippets" / "mcp_server.py")
pytestmark = pytest.mark.integration


async def _exercise(provider: MCPToolProvider) -> None:
    ops = OperationExecutor(provider)
    assert await ops.execute_operation("srv.add", {"a": 1, "b": 2}) == 3
    steps = await ops.execute_operations_sequence(
        [
            {"operation": "srv.add", "params": {"a": 2, "b": 3}},
            {"operation": "srv.fail", "params": {"reason": "no such file"}},
            {"operation": "srv.add", "params": {"a": 1, "b": {1, 2}}},  # not JSON
            {"operation": "srv.add", "params": {"a": 1}},  # b missing
        ],
        "user",
        "task",
    )
    assert [s.status for s in steps] == ["completed", "failed", "failed", "failed"]
    assert steps[0].result == 5
    assert steps[1].error_code == "E003"
    assert "the server refuses: no such file" in (steps[1].error_message or "")
    assert steps[2].error_code == "E001" and "'b'" in (steps[2].error_message or "")
    assert steps[3].error_code == "E001"
    with pytest.raises(ParameterValidationError, match="not JSON"):
        await provider.get_tool("srv").add(a=1, b=b"x")
    assert provider.has_tool("srv") and not provider.has_tool("SRV")
    assert provider.get_tool("srv").operations == ("add", "fail")


def test_stdio_server() -> None:
    async def main() -> None:
        async with MCPToolProvider() as provider:
            await provider.connect_stdio("srv", sys.executable, [SERVER, "stdio"])
            await _exercise(provider)

    asyncio.run(main())


@pytest.fixture
def http_server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, SERVER, "streamable-http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_for_port(proc, port, "the MCP server", 30)
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(10)


def test_streamable_http_server(http_server: str) -> None:
    async def main() -> None:
        async with MCPToolProvider() as provider:
            await provider.connect_http("srv", http_server)
            await _exercise(provider)

    asyncio.run(main())
