"""Serve a ToolRegistry's ops as an MCP server (`aiecs-mcp serve`), call them from a client."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Literal

from aiecs_runtime import ToolRegistry

# --8<-- [start:registry]
registry = ToolRegistry()


@registry.tool("notes")
class Notes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str, priority: Literal["low", "high"] = "low") -> int:
        """Add a note; return how many there are."""
        self.items.append(f"[{priority}] {text}")
        return len(self.items)

    def find(self, word: str) -> list[str]:
        """The notes containing a word."""
        if not word:
            raise ValueError("find needs a non-empty word")
        return [item for item in self.items if word in item]

    def _wipe(self) -> None:  # private: never served
        self.items.clear()


# --8<-- [end:registry]

AIECS_MCP = shutil.which("aiecs-mcp") or str(Path(sys.executable).with_name("aiecs-mcp"))
HERE = Path(__file__).parent


async def main() -> None:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.types import TextContent

    # --8<-- [start:client]
    server = StdioServerParameters(
        command=AIECS_MCP, args=["serve", "mcp_serve:registry"], cwd=HERE
    )
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        for tool in (await session.list_tools()).tools:
            print(tool.name, "-", tool.description, tool.inputSchema["properties"])
        added = await session.call_tool("notes_add", {"text": "buy milk", "priority": "high"})
        print(added.structuredContent)
        found = await session.call_tool("notes_find", {"word": "milk"})
        print(found.structuredContent)
        for args in ({"word": ""}, {"word": 3}):
            failed = await session.call_tool("notes_find", args)
            text = [c.text for c in failed.content if isinstance(c, TextContent)]
            print(failed.isError, text)
    # --8<-- [end:client]


if __name__ == "__main__":
    asyncio.run(main())
