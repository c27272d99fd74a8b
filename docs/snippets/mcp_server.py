"""An MCP server written with the official SDK (FastMCP): two tools, on stdio or HTTP."""

from __future__ import annotations

import sys

from mcp.server.fastmcp import FastMCP

PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
server = FastMCP("calc", host="127.0.0.1", port=PORT, log_level="WARNING")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def fail(reason: str = "nope") -> str:
    """Always fail, with the server's own message."""
    raise ValueError(f"the server refuses: {reason}")


if __name__ == "__main__":
    server.run(transport="streamable-http" if sys.argv[1:2] == ["streamable-http"] else "stdio")
