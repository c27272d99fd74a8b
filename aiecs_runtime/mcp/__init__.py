"""MCP (extra ``mcp``): the tools of MCP servers in, and a `ToolRegistry`'s ops out.

Tools in:

    async with MCPToolProvider() as provider:
        await provider.connect_stdio("srv", sys.executable, ["server.py"])
        ops = OperationExecutor(provider)
        await ops.execute_operation("srv.add", {"a": 1, "b": 2})   # 3

Each connected server is one tool whose ops are the server's tools (those whose names are
public Python identifiers); params are checked against the tool's input schema and must be
JSON before anything is sent (E001 otherwise); a tool error is a failed op carrying the
server's message. Local tools can be served next to the servers (`register_tool`).

Tools out: ``aiecs-mcp serve myapp.tools:registry`` (see `aiecs_runtime.mcp.cli`) serves
every public op of every tool of a `ToolRegistry` as the MCP tool ``<tool>_<op>``, its
``inputSchema`` derived from the op's signature (`input_schema`), calls run through a
`ToolExecutor` (`build_server`).
"""

from __future__ import annotations

from ._provider import MCPTool, MCPToolProvider
from ._schema import NotJSONError, input_schema, json_value
from ._serve import ServedNames, build_server, serve_http, serve_stdio, served_names

__all__ = [
    "MCPTool",
    "MCPToolProvider",
    "NotJSONError",
    "ServedNames",
    "build_server",
    "input_schema",
    "json_value",
    "serve_http",
    "serve_stdio",
    "served_names",
]
