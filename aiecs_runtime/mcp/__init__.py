"""MCP tools in (extra ``mcp``): the tools of MCP servers as tool objects of this runtime.

    async with MCPToolProvider() as provider:
        await provider.connect_stdio("srv", sys.executable, ["server.py"])
        ops = OperationExecutor(provider)
        await ops.execute_operation("srv.add", {"a": 1, "b": 2})   # 3

Each connected server is one tool whose ops are the server's tools (those whose names are
public Python identifiers); params are checked against the tool's input schema and must be
JSON before anything is sent (E001 otherwise); a tool error is a failed op carrying the
server's message.
"""

from __future__ import annotations

from ._provider import MCPTool, MCPToolProvider

__all__ = ["MCPTool", "MCPToolProvider"]
