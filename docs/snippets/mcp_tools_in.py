"""Run an MCP server's tools as operations (the `mcp` extra)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiecs_runtime import OperationExecutor
from aiecs_runtime.mcp import MCPToolProvider

SERVER = Path(__file__).with_name("mcp_server.py")


async def main() -> None:
    # --8<-- [start:tools_in]
    async with MCPToolProvider() as provider:
        await provider.connect_stdio("calc", sys.executable, [str(SERVER), "stdio"])
        # or: await provider.connect_http("calc", "http://127.0.0.1:8000/mcp")
        ops = OperationExecutor(provider)
        print(await ops.execute_operation("calc.add", {"a": 1, "b": 2}))
        steps = await ops.execute_parallel_operations(
            [
                {"operation": "calc.fail", "params": {"reason": "disk full"}},
                {"operation": "calc.add", "params": {"a": 1, "b": {1, 2}}},
            ]
        )
        for step in steps:
            print(step.error_code, step.error_message)
    # --8<-- [end:tools_in]


asyncio.run(main())
