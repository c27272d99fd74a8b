"""The kit rates `MCPToolProvider` `full`; a live server's name keeps the same invariants.

The tool-provider harness hands the factory Python objects and asks for them back by
identity, which no tool fetched from a server can be, so the kit judges the provider's
map with local tools; the second test asks the kit's questions (the same confusable
variants) of a provider holding a real connected MCP server next to local tools.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest

import aiecs_conformance
from aiecs_conformance.checks._provider import variants
from aiecs_contracts import ToolNotFoundError
from aiecs_runtime import OperationExecutor
from aiecs_runtime.mcp import MCPToolProvider

SERVER = str(Path(__file__).parents[2] / "docs" / "snippets" / "mcp_server.py")
pytestmark = pytest.mark.integration


def test_kit_rates_the_mcp_tool_provider_full() -> None:
    report = aiecs_conformance.check(
        "aiecs_runtime.factories:mcp_tool_provider", "tool-provider", max_examples=25, seed=1234
    )
    assert report.failed() == [], [(r.id, r.message, r.example) for r in report.failed()]
    assert report.level == "full"


def test_a_connected_server_keeps_the_provider_invariants() -> None:
    local = {"search": object(), "tool-1": object(), "café": object()}

    async def main() -> None:
        async with MCPToolProvider(local) as provider:
            calc = await provider.connect_stdio("calc", sys.executable, [SERVER, "stdio"])
            served = {**local, "calc": calc}
            assert provider.list_tools() == sorted(served)
            for name, tool in served.items():
                assert provider.has_tool(name) is True
                assert provider.get_tool(name) is tool
                for other in variants(name):
                    if other in served:
                        continue
                    assert provider.has_tool(other) is False, (other, name)
                    with pytest.raises(ToolNotFoundError):
                        provider.get_tool(other)

            # 8 threads see what one thread sees.
            probes = [*served, "Calc", "calc ", ""]
            alone = [provider.has_tool(p) for p in probes]

            def agrees(_: int) -> bool:
                return all([provider.has_tool(p) for p in probes] == alone for _ in range(200))

            with ThreadPoolExecutor(8) as pool:
                assert all(pool.map(agrees, range(8)))

            # The latest registration wins over a server, and unregistering stops serving it.
            replacement = object()
            provider.register_tool("calc", replacement)
            assert provider.get_tool("calc") is replacement
            provider.unregister_tool("calc")
            assert not provider.has_tool("calc")
            with pytest.raises(ToolNotFoundError):
                provider.get_tool("calc")
            again = await provider.connect_stdio("calc", sys.executable, [SERVER, "stdio"])
            assert provider.get_tool("calc") is again
            assert (
                await OperationExecutor(provider).execute_operation("calc.add", {"a": 1, "b": 2})
                == 3
            )
        # Leaving the block closes the connections and stops serving the servers only.
        assert provider.list_tools() == sorted(local)

    anyio.run(main)
