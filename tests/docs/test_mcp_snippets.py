"""The MCP page's shell lines and client configuration: the real CLI runs what they show."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from aiecs_runtime.mcp.cli import _parser  # pyright: ignore[reportPrivateUsage]
from tests.integration._servers import free_port, wait_for_port

SNIPPETS = Path(__file__).resolve().parents[2] / "docs" / "snippets"
AIECS_MCP = str(Path(sys.executable).with_name("aiecs-mcp"))


def _commands() -> list[list[str]]:
    lines = (SNIPPETS / "mcp_serve.sh").read_text(encoding="utf-8").splitlines()
    return [shlex.split(ln, comments=True) for ln in lines if ln.startswith("aiecs-mcp ")]


def test_every_shell_line_parses_with_the_real_cli() -> None:
    commands = _commands()
    assert len(commands) == 2
    parsed = [_parser().parse_args(argv[1:]) for argv in commands]
    assert [(a.target, a.transport, a.port) for a in parsed] == [
        ("mcp_serve:registry", "stdio", 8000),
        ("mcp_serve:registry", "streamable-http", 8000),
    ]


def test_the_client_configuration_names_a_command_that_parses() -> None:
    config = json.loads((SNIPPETS / "mcp_client.json").read_text(encoding="utf-8"))
    server = config["mcpServers"]["notes"]
    assert server["command"] == "aiecs-mcp"
    assert _parser().parse_args(server["args"]).target == "mcp_serve:registry"


def test_the_http_line_serves_the_snippet_registry() -> None:
    argv = _commands()[1]
    port = free_port()
    argv = [AIECS_MCP, *argv[1:-1], str(port)]  # the page's port may be taken here
    proc = subprocess.Popen(argv, cwd=SNIPPETS, stderr=subprocess.PIPE)
    try:
        wait_for_port(proc, port, "the page's aiecs-mcp serve line", 60)

        async def main() -> list[str]:
            url = f"http://127.0.0.1:{port}/mcp"
            async with (
                streamable_http_client(url) as (read, write, _),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                return [t.name for t in (await session.list_tools()).tools]

        assert anyio.run(main) == ["notes_add", "notes_find"]
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()
